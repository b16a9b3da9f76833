/**
 * The local runtime: the real wx-server-sdk, its database transport pointed
 * at the embedded store, cloud storage in a folder and subscribe messages in
 * an outbox file. Tests and the gateway call functions through `call`, which
 * runs the same dispatcher and action tables the deployed entries run.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as cloud from 'wx-server-sdk';
import { Db as CloudbaseDb } from '@cloudbase/database';
import { DocumentStore, newId } from './store';
import { LocalDbRequester, registerStore, unregisterStore, type Latency } from './transport';
import { withRoundTrips } from './roundTrips';
import { FileOutbox } from './outbox';
import { LocalFiles } from './files';
import { dispatch, type CallLog } from '../core/actions';
import { gate } from '../functions/gate';
import { systemClock, type Clock, type Ports } from '../core/ports';
import { functions } from '../functions';
import { readSetupCode } from '../setup/code';
import { ensureHistoryKey, HISTORY_KEY_FILE, LINK_KEY_FILE, newHistoryKey, readKeyFile } from '../history/keyFile';
import type { Envelope } from '../../typings/api';

/** What a DATA_DIR holds besides the key files (server/history/keyFile.ts) and the setup code. */
export const DATABASE_FILE = 'db.sqlite';
export const OUTBOX_FILE = 'outbox.jsonl';
export const FILES_FOLDER = 'files';

export interface LocalRuntimeOptions {
  /** Folder for the database, files and outbox; ':memory:' keeps the database in memory (tests). */
  dataDir: string;
  clock?: Clock;
  log?: (entry: CallLog) => void;
  /** The setup code, when a test sets one; otherwise DATA_DIR/setup-code (written by npm start). */
  setupCode?: string;
  /** Refuse database queries no index declared in server/db/schema.ts covers (default on: the suite and the gateway run strict). */
  strictIndexes?: boolean;
  /** The history key, when a test sets one; otherwise DATA_DIR/history-key (made on first use), or a random key per in-memory runtime. */
  historyKey?: string;
  /** Answer each database request after a seeded random delay (virtual, see transport.ts); off by default. */
  latency?: Latency;
}

export interface LocalRuntime {
  env: string;
  ports: Ports;
  store: DocumentStore;
  outbox: FileOutbox;
  files: LocalFiles;
  call<T = unknown>(fn: string, event: Record<string, unknown>, openid?: string): Promise<Envelope<T>>;
  /** The same call, with the number of database round trips it made. */
  counted<T = unknown>(fn: string, event: Record<string, unknown>, openid?: string): Promise<{ envelope: Envelope<T>; db: number }>;
  close(): void;
}

function ensureOfflineCredentials(): void {
  // Without credentials the SDK raises an unhandled rejection before any call; locally none is ever used.
  process.env.TENCENTCLOUD_SECRETID ??= 'local';
  process.env.TENCENTCLOUD_SECRETKEY ??= 'local';
  process.env.SILENCE ??= 'true';
}

let initialised = false;
function initCloudOnce(): void {
  // init is process-wide; each runtime then asks for its own env's database.
  if (initialised) return;
  cloud.init({ env: 'local' });
  initialised = true;
}

export function createLocalRuntime(options: LocalRuntimeOptions): LocalRuntime {
  ensureOfflineCredentials();
  const clock: Clock = options.clock ?? systemClock;
  const env = `local-${newId().slice(0, 8)}`;
  const inMemory = options.dataDir === ':memory:';
  // A damaged key file stops the start, with its remedy, rather than failing every call that needs it.
  if (!inMemory) for (const name of [HISTORY_KEY_FILE, LINK_KEY_FILE]) readKeyFile(join(options.dataDir, name));
  const store = new DocumentStore(inMemory ? ':memory:' : join(options.dataDir, DATABASE_FILE), { strictIndexes: options.strictIndexes ?? true });
  // In memory, files and the outbox still need a folder: a fresh one per runtime, removed by close().
  const dataDir = inMemory ? mkdtempSync(join(tmpdir(), `resumption-desk-${env}-`)) : options.dataDir;
  registerStore(env, store, () => clock.now(), { latency: options.latency });
  initCloudOnce();
  const db = cloud.database({ env });
  // node-sdk installs its HTTP requester each time a database is created; replace it afterwards.
  (CloudbaseDb as unknown as { reqClass: unknown }).reqClass = LocalDbRequester;
  const outbox = new FileOutbox(join(dataDir, OUTBOX_FILE), () => clock.now());
  const files = new LocalFiles(join(dataDir, FILES_FOLDER), env, { clock, keyFile: inMemory ? undefined : join(dataDir, LINK_KEY_FILE) });
  const setupCode = () => options.setupCode ?? (inMemory ? undefined : readSetupCode(dataDir));
  let key = options.historyKey ?? (inMemory ? newHistoryKey() : undefined);
  const historyKey = () => (key ??= ensureHistoryKey(dataDir));
  const ports: Ports = { db, clock, messenger: outbox, files, setupCode, historyKey };
  const counted = <T>(fn: string, event: Record<string, unknown>, openid?: string) =>
    withRoundTrips(async (roundTrips) => {
      const table = Object.prototype.hasOwnProperty.call(functions, fn) ? functions[fn as keyof typeof functions] : undefined;
      if (!table) {
        const envelope: Envelope<T> = { ok: false, error: { code: 'NOT_FOUND', message: `没有云函数 ${fn}` } };
        return { envelope, db: 0 };
      }
      const log = options.log;
      const envelope = (await dispatch(fn, table, event, ports, openid, gate, log && ((entry) => log({ ...entry, db: roundTrips() })))) as Envelope<T>;
      return { envelope, db: roundTrips() };
    });
  return {
    env,
    ports,
    store,
    outbox,
    files,
    call: async <T>(fn: string, event: Record<string, unknown>, openid?: string) => (await counted<T>(fn, event, openid)).envelope,
    counted,
    close() {
      unregisterStore(env);
      store.close();
      if (inMemory) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
