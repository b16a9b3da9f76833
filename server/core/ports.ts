/**
 * What domain code receives from its caller instead of reaching for globals:
 * the deployed entry builds these from wx-server-sdk, the local runtime from
 * the same SDK pointed at the embedded store, and tests may swap the clock.
 */
import type * as cloud from 'wx-server-sdk';
import type { Session } from '../../typings/api';

export type Db = ReturnType<typeof cloud.database>;
export type Collection = ReturnType<Db['collection']>;

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface SubscribeMessage {
  /** OPENID of the receiver. */
  touser: string;
  /** Key into config/templates; the messenger maps it to a template id. */
  template: string;
  page?: string;
  data: Record<string, string>;
}

export interface Messenger {
  send(message: SubscribeMessage): Promise<void>;
}

export interface FileStore {
  /** Stores bytes under a cloud path and returns the cloud file ID. */
  upload(cloudPath: string, content: Buffer): Promise<string>;
  /** The bytes of a stored file (an uploaded spreadsheet, say). */
  download(fileID: string): Promise<Buffer>;
}

export interface Ports {
  db: Db;
  clock: Clock;
  messenger: Messenger;
  files: FileStore;
  /**
   * The one-time setup code of this environment: the admin function's
   * SETUP_CODE variable in the cloud, DATA_DIR/setup-code locally. Absent,
   * nobody can run setup.
   */
  setupCode?: () => string | undefined;
}

/** Everything a handler needs about one call. */
export interface Context extends Ports {
  openid: string;
  session: Session;
}
