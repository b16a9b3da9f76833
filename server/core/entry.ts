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
    },
  };
}

export function cloudEntry(name: string, table: ActionTable) {
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  const ports = cloudPorts();
  return async (event: Record<string, unknown>) => {
    const { OPENID } = cloud.getWXContext();
    return dispatch(name, table, event, ports, OPENID, (entry) => console.log(JSON.stringify(entry)));
  };
}
