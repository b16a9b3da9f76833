/**
 * The deployed entry of every cloud function: read the platform context
 * once, build the ports from wx-server-sdk, dispatch. Identity comes from
 * the WeChat context only; nothing in the event can claim to be someone.
 */
import * as cloud from 'wx-server-sdk';
import { dispatch, type ActionTable } from '../core/actions';
import { systemClock, type FileLink, type Messenger, type Ports } from '../core/ports';
import { AppError, notFound } from '../core/errors';
import { miniprogramState, toSubscribeSend } from '../notify/messages';
import { gate } from './gate';

/** getTempFileURL answers at most 50 files per request. */
const TEMP_URL_BATCH = 50;

type TempUrls = { fileList: { fileID: string; tempFileURL: string; status: number; errMsg: string }[] };

async function cloudLinks(fileIDs: string[], seconds: number): Promise<FileLink[]> {
  const links: FileLink[] = [];
  for (let i = 0; i < fileIDs.length; i += TEMP_URL_BATCH) {
    const expiresAt = new Date(systemClock.now().getTime() + seconds * 1000).toISOString();
    const res = (await cloud.getTempFileURL({ fileList: fileIDs.slice(i, i + TEMP_URL_BATCH).map((fileID) => ({ fileID, maxAge: seconds })) })) as TempUrls;
    for (const item of res.fileList) {
      if (item.status === 0 && item.tempFileURL) links.push({ fileID: item.fileID, url: item.tempFileURL, expiresAt });
      else console.error(JSON.stringify({ getTempFileURL: item.fileID, status: item.status, errMsg: item.errMsg }));
    }
  }
  return links;
}

function cloudPorts(): Ports {
  // Read once per instance: a wrong value fails the first call loudly, not every message quietly.
  const state = miniprogramState(process.env.MINIPROGRAM_STATE);
  const messenger: Messenger = {
    async send(message) {
      // Checked against the template's keyword kinds first: the platform refuses a bad value with 47003.
      await cloud.openapi.subscribeMessage.send(toSubscribeSend(message, state) as never);
    },
  };
  return {
    db: cloud.database(),
    clock: systemClock,
    messenger,
    files: {
      async upload(cloudPath, content) {
        const res = await cloud.uploadFile({ cloudPath, fileContent: content });
        return res.fileID;
      },
      async download(fileID) {
        const res = await cloud.downloadFile({ fileID });
        return res.fileContent as Buffer;
      },
      async link(fileID, seconds) {
        const [link] = await cloudLinks([fileID], seconds);
        if (!link) throw notFound('文件不存在或已被删除');
        return link;
      },
      links: cloudLinks,
      async remove(fileIDs) {
        // deleteFile takes at most 50 IDs a request; an ID already gone answers a per-file status, not an error.
        for (let i = 0; i < fileIDs.length; i += TEMP_URL_BATCH) await cloud.deleteFile({ fileList: fileIDs.slice(i, i + TEMP_URL_BATCH) });
      },
    },
    setupCode: () => process.env.SETUP_CODE || undefined,
    historyKey: () => process.env.HISTORY_KEY || undefined,
  };
}

/**
 * `onTimer` answers the platform's timer trigger (event.Type === 'Timer'),
 * which carries no caller; every other event goes through the action table.
 * A phone can send `{Type: 'Timer'}` too, but its call always carries an
 * OPENID: the context, not the event, tells the timer apart.
 */
export function cloudEntry(
  name: string,
  table: ActionTable,
  onTimer?: (ports: Ports) => Promise<unknown>,
  /** Tests hand in the local runtime's ports; deployed, the SDK's own. */
  makePorts: () => Ports = cloudPorts,
) {
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  const ports = makePorts();
  return async (event: Record<string, unknown>) => {
    const { OPENID } = cloud.getWXContext();
    if (onTimer && event?.Type === 'Timer') {
      if (OPENID) {
        console.log(JSON.stringify({ fn: name, action: 'timer', openid: OPENID, outcome: 'FORBIDDEN' }));
        return { ok: false, error: new AppError('FORBIDDEN', '定时任务只能由系统触发').toJSON() };
      }
      const started = Date.now();
      const data = await onTimer(ports);
      console.log(JSON.stringify({ fn: name, action: 'timer', ms: Date.now() - started, data }));
      return { ok: true, data };
    }
    return dispatch(name, table, event, ports, OPENID, gate, (entry) => console.log(JSON.stringify(entry)));
  };
}
