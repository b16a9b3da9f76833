/**
 * The deployed entry of every cloud function: read the platform context
 * once, build the ports from wx-server-sdk, dispatch. Identity comes from
 * the WeChat context only; nothing in the event can claim to be someone.
 */
import * as cloud from 'wx-server-sdk';
import { dispatch, type ActionTable } from './actions';
import { systemClock, type Messenger, type Ports } from './ports';
import { templateIdOf } from '../notify/templates';

function cloudPorts(): Ports {
  const messenger: Messenger = {
    async send(message) {
      await cloud.openapi.subscribeMessage.send({
        touser: message.touser,
        templateId: templateIdOf(message.template),
        page: message.page,
        data: Object.fromEntries(Object.entries(message.data).map(([k, v]) => [k, { value: v }])),
      });
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
    },
    setupCode: () => process.env.SETUP_CODE || undefined,
  };
}

/**
 * `onTimer` answers the platform's timer trigger (event.Type === 'Timer'),
 * which carries no caller; every other event goes through the action table.
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
    if (onTimer && event?.Type === 'Timer') {
      const started = Date.now();
      const data = await onTimer(ports);
      console.log(JSON.stringify({ fn: name, action: 'timer', ms: Date.now() - started, data }));
      return { ok: true, data };
    }
    const { OPENID } = cloud.getWXContext();
    return dispatch(name, table, event, ports, OPENID, (entry) => console.log(JSON.stringify(entry)));
  };
}
