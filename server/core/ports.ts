/**
 * What domain code receives from its caller instead of reaching for globals:
 * the deployed entry builds these from wx-server-sdk, the local runtime from
 * the same SDK pointed at the embedded store, and tests may swap the clock.
 */
import type * as cloud from 'wx-server-sdk';
import type { Session } from '../../typings/api';

export type Db = ReturnType<typeof cloud.database>;

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
  /**
   * A URL that reads the file until `expiresAt`: storage itself is closed to
   * clients (exports carry phone numbers), so this is the only way a person
   * reaches a stored file.
   */
  link(fileID: string, seconds: number): Promise<FileLink>;
  /** The same for many files at once (the cloud answers 50 per request); files that are gone are left out. */
  links(fileIDs: string[], seconds: number): Promise<FileLink[]>;
  /** Removes stored files (uploads no record came to name); files already gone are no error. */
  remove(fileIDs: string[]): Promise<void>;
}

export interface FileLink {
  fileID: string;
  url: string;
  /** UTC ISO time after which the URL no longer answers. */
  expiresAt: string;
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
  /**
   * The secret that keys every need's timeline (HMAC): the HISTORY_KEY
   * variable of each function that writes needs in the cloud,
   * DATA_DIR/history-key locally. Never stored in the database.
   */
  historyKey?: () => string | undefined;
}

/** Everything a handler needs about one call. */
export interface Context extends Ports {
  openid: string;
  session: Session;
  /** Whether the person has a users document (the dispatcher read it for the session). */
  known: boolean;
  /** Counts this call against the action's per-minute limit (see ActionDef.countsItself). */
  countCall(): Promise<void>;
}
