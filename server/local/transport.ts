/**
 * The database transport of wx-server-sdk, pointed at the embedded store.
 *
 * `@cloudbase/node-sdk` builds every query with `@cloudbase/database` and
 * hands it to `Db.reqClass#send(action, params)`; in the cloud that class
 * posts to CloudBase. Here the same class shape answers from DocumentStore,
 * so everything above it (query building, `db.command`, serializers,
 * transactions, limits) is the SDK's own code.
 *
 * Stores are registered per cloud env id: the requester is constructed by the
 * SDK with the db config, which carries the env, so several local runtimes
 * (one per test) can live in one process.
 */
import { AsyncResource } from 'async_hooks';
import { EJSON, BSONRegExp } from 'bson';
// The package's index first: its modules require each other, and entering the cycle at query.js breaks it.
import '@cloudbase/database';
import { Query as SdkQuery } from '@cloudbase/database/dist/commonjs/query';
import { DocumentStore, INVALID_PARAM, StoreError, UNBOUNDED_CODE, type Doc } from './store';
import { noteRoundTrip } from './roundTrips';

/** CloudBase answers at most this many documents to a server get() without limit(), silently. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/**
 * In a cloud function an aggregation without `.limit()` answers at most 20
 * rows, silently (the rest are dropped). Locally a pipeline without a `$limit`
 * stage that would answer more is refused, so the code cannot rely on it.
 */
export const AGGREGATE_DEFAULT_LIMIT = 20;

/**
 * The limit the caller asked for on the get() being sent. The SDK does not
 * mark "no limit" in the request: it sends limit 100 (and clamps anything
 * above 1000 to 1000), so the transport cannot tell limit(100) from no limit.
 * This probe reads the query's own options as get() starts; get() hands its
 * request to send() before its first await, so the value is the one for the
 * send() that follows. It only observes: the SDK still builds and sends the
 * request itself.
 */
let probedLimit: { requested: number | undefined } | undefined;
const sdkGet = SdkQuery.prototype.get;
if (!(sdkGet as { probed?: boolean }).probed) {
  const probe = function (this: { _apiOptions?: { limit?: number } }) {
    probedLimit = { requested: this._apiOptions?.limit || undefined };
    try {
      return sdkGet.call(this as never);
    } finally {
      probedLimit = undefined;
    }
  };
  SdkQuery.prototype.get = Object.assign(probe, { probed: true }) as typeof sdkGet;
}

/**
 * Seeded latency, for the tests that explore interleavings (tests/slow/races.test.ts):
 * each request is answered after a delay drawn from a small seeded PRNG, up to
 * `maxMs`. The delay is virtual — requests wait in a queue ordered by their
 * due time and the earliest is answered whenever the process has nothing else
 * to run — so no test waits for real time, and a seed replays the same order
 * of requests (the same interleaving of concurrent calls) every time. Only
 * real time breaks that: a call sleeping on a timer (a transaction's retry
 * jitter, server/core/tx.ts) is overtaken by however many requests the
 * others send meanwhile.
 */
export interface Latency {
  seed: number;
  maxMs: number;
}

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1); enough to vary an order, not for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Pending {
  due: number;
  order: number;
  run: () => void;
}

/** The queue of delayed requests of one store, in virtual time. */
class DelayQueue {
  private now = 0;
  private order = 0;
  private readonly queue: Pending[] = [];
  private pumping = false;
  private readonly random: () => number;

  constructor(private readonly latency: Latency) {
    this.random = seededRandom(latency.seed);
  }

  /** The virtual time: the due time of the request answered last. */
  get time(): number {
    return this.now;
  }

  /** Runs `work` when the request's turn comes; it runs in the caller's async context (round-trip counts, tracing). */
  delay<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = AsyncResource.bind(() => {
        try {
          resolve(work());
        } catch (err) {
          reject(err);
        }
      });
      this.queue.push({ due: this.now + this.random() * this.latency.maxMs, order: this.order++, run });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.pumping || !this.queue.length) return;
    this.pumping = true;
    // setImmediate runs once every pending continuation (a microtask) has, so each call has sent what it will.
    setImmediate(() => {
      this.pumping = false;
      let next = 0;
      for (let i = 1; i < this.queue.length; i++) {
        const [a, b] = [this.queue[i], this.queue[next]];
        if (a.due < b.due || (a.due === b.due && a.order < b.order)) next = i;
      }
      const [due] = this.queue.splice(next, 1);
      this.now = due.due;
      due.run();
      this.schedule();
    });
  }
}

/**
 * A crash, for crash-point tests: the `atWrite`-th write (an insert, update or
 * removal outside a transaction, or a commit) fails, and so does every request
 * after it, as nothing a killed process would send reaches the database — no
 * clean-up either — until `heal()` (the process restarted).
 */
export interface Crash {
  /** Whether the crash point was reached. */
  reached(): boolean;
  /** Writes seen so far (the crashed one included). */
  writes(): number;
  heal(): void;
}

interface Fault {
  atWrite: number;
  writes: number;
  crashed: boolean;
}

/**
 * Sees each request as it is answered, in the calling request's async context (tests tell calls apart
 * with it). `sentAt` is the virtual time it was sent at, with latency: requests a call sends together
 * (a Promise.all) share it.
 */
export type RequestObserver = (request: { requestId: string; sentAt?: number; action: string; params: Params; result?: any; error?: unknown }) => void;

interface Target {
  store: DocumentStore;
  now: () => Date;
  delays?: DelayQueue;
  fault?: Fault;
  observer?: RequestObserver;
}

const stores = new Map<string, Target>();

export function registerStore(env: string, store: DocumentStore, now: () => Date, options: { latency?: Latency } = {}): void {
  stores.set(env, { store, now, delays: options.latency ? new DelayQueue(options.latency) : undefined });
}

export function unregisterStore(env: string): void {
  stores.delete(env);
}

function targetOf(env: string): Target {
  const entry = stores.get(env);
  if (!entry) throw new Error(`no local store for env "${env}"`);
  return entry;
}

/** Crashes the env's work at its `atWrite`-th write from now on (see Crash). */
export function crashAtWrite(env: string, atWrite: number): Crash {
  const target = targetOf(env);
  const fault: Fault = { atWrite, writes: 0, crashed: false };
  target.fault = fault;
  return {
    reached: () => fault.crashed,
    writes: () => fault.writes,
    heal: () => {
      if (target.fault === fault) target.fault = undefined;
    },
  };
}

/** Observes every request of the env (undefined stops). */
export function observeRequests(env: string, observer: RequestObserver | undefined): void {
  targetOf(env).observer = observer;
}

const WRITES = new Set(['database.insertDocument', 'database.modifyDocument', 'database.modifyAndReturnDoc', 'database.removeDocument']);

/** Whether a request makes a lasting change: a write outside a transaction, or a commit. */
const isWrite = (action: string, p: Params) => action === 'database.commitTransaction' || (WRITES.has(action) && !p.transactionId);

/** Throws when the env's work has crashed (see Crash). */
function checkFault(fault: Fault | undefined, action: string, p: Params): void {
  if (!fault) return;
  if (!fault.crashed && isWrite(action, p) && ++fault.writes === fault.atWrite) fault.crashed = true;
  if (fault.crashed) throw Object.assign(new Error('injected crash: the process is gone'), { code: 'SYS_ERR' });
}

type Params = Record<string, any>;

let requestSeq = 0;

/** EJSON from the SDK → plain values mingo understands. */
function decode(text: unknown, now: () => Date): any {
  if (text === undefined || text === null || text === '') return {};
  const value = typeof text === 'string' ? EJSON.parse(text, { relaxed: true }) : text;
  return normalise(value, now);
}

function normalise(value: any, now: () => Date): any {
  if (value instanceof BSONRegExp) return new RegExp(value.pattern, value.options);
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof RegExp) return value;
  if (Array.isArray(value)) return value.map((v) => normalise(v, now));
  if (value.$tcb_server_date) return new Date(now().getTime() + (value.$tcb_server_date.offset ?? 0));
  if (value.$regularExpression) return new RegExp(value.$regularExpression.pattern, value.$regularExpression.options);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = normalise(v, now);
  return out;
}

const encode = (doc: Doc) => EJSON.stringify(doc, { relaxed: false });

export class LocalDbRequester {
  constructor(private readonly config: { env?: string; envName?: string }) {}

  private target() {
    const env = this.config.envName ?? this.config.env ?? '';
    const entry = stores.get(env);
    if (!entry) throw Object.assign(new Error(`no local store for env "${env}"`), { code: 'SYS_ERR' });
    return entry;
  }

  async send(action: string, params: Params = {}): Promise<any> {
    const limit = probedLimit;
    probedLimit = undefined;
    const target = this.target();
    noteRoundTrip();
    const requestId = `local-${++requestSeq}`;
    const sentAt = target.delays?.time;
    const answer = () => {
      const { store, now, fault, observer } = target;
      try {
        checkFault(fault, action, params);
        const result = this.dispatch(store, now, action, params, limit);
        observer?.({ requestId, sentAt, action, params, result });
        return result;
      } catch (error) {
        observer?.({ requestId, sentAt, action, params, error });
        throw error;
      }
    };
    try {
      return { requestId, ...(target.delays ? await target.delays.delay(answer) : answer()) };
    } catch (err) {
      if (err instanceof StoreError) {
        // Same shape node-sdk throws for an error answer from CloudBase. wx-server-sdk keeps only the
        // message (the code becomes a number), so the message carries the code as CloudBase's do.
        const message = err.message.includes(err.code) ? err.message : `${err.message} ${err.code}`;
        throw Object.assign(new Error(message), { code: err.code, requestId });
      }
      throw err;
    }
  }

  private dispatch(store: DocumentStore, now: () => Date, action: string, p: Params, probed?: { requested: number | undefined }): any {
    const coll = p.collectionName as string;
    const tx = p.transactionId as string | undefined;
    if (tx && p.queryType === 'WHERE') {
      throw new StoreError(INVALID_PARAM, `${action} with where() inside a transaction: CloudBase takes document operations only (doc(id), add)`);
    }
    switch (action) {
      case 'database.getDocument': {
        const query = decode(p.query, now);
        if (p.queryType === 'DOC') {
          const doc = store.getById(coll, query._id, tx);
          return { data: { list: doc ? [encode(doc)] : [] } };
        }
        const requested = probed ? probed.requested : p.limit;
        if (requested !== undefined && requested > MAX_LIMIT) {
          throw new StoreError(INVALID_PARAM, `limit ${requested} is above CloudBase's maximum of ${MAX_LIMIT}`);
        }
        const options = {
          order: p.order ? decode(p.order, now) : undefined,
          offset: p.offset,
          // Without a limit, one more than the default tells whether the cloud would have cut the answer.
          limit: requested ?? DEFAULT_LIMIT + 1,
          projection: p.projection ? decode(p.projection, now) : undefined,
        };
        const docs = store.find(coll, query, options, tx);
        if (requested === undefined && docs.length > DEFAULT_LIMIT) {
          throw new StoreError(
            UNBOUNDED_CODE,
            `get() without limit() on ${coll} matches more than ${DEFAULT_LIMIT} documents: the cloud would silently answer only ${DEFAULT_LIMIT}; page with limit()`,
          );
        }
        return { data: { list: docs.map(encode) }, limit: options.limit, offset: options.offset ?? 0 };
      }
      case 'database.calculateDocument':
        return { data: { total: store.count(coll, decode(p.query, now)) } };
      case 'database.insertDocument': {
        const docs = (p.data as string[]).map((d) => decode(d, now));
        return { data: { insertedIds: store.insert(coll, docs, tx) } };
      }
      case 'database.modifyDocument': {
        const result = store.modify(
          coll,
          decode(p.query, now),
          decode(p.data, now),
          { multi: Boolean(p.multi), merge: p.merge !== false, upsert: Boolean(p.upsert) },
          tx,
        );
        return { data: { updated: result.updated, upsert_id: result.upsertedId } };
      }
      case 'database.modifyAndReturnDoc': {
        const result = store.modify(coll, decode(p.query, now), decode(p.data, now), {
          multi: false,
          merge: true,
          upsert: false,
        }, tx);
        return { data: { updated: result.updated, doc: result.docs[0] ? encode(result.docs[0]) : null } };
      }
      case 'database.removeDocument':
        return { data: { deleted: store.remove(coll, decode(p.query, now), p.multi !== false, tx) } };
      case 'database.aggregateDocuments': {
        const pipeline = (p.stages as Array<{ stageKey: string; stageValue: string }>).map((s) => ({
          [s.stageKey]: decode(s.stageValue, now),
        }));
        const rows = store.aggregate(coll, pipeline);
        if (rows.length > AGGREGATE_DEFAULT_LIMIT && !pipeline.some((stage) => '$limit' in stage)) {
          throw new StoreError(
            UNBOUNDED_CODE,
            `aggregate() without limit() on ${coll} answers ${rows.length} rows: the cloud would silently answer only ${AGGREGATE_DEFAULT_LIMIT}; add .limit()`,
          );
        }
        return { data: { list: rows.map(encode) } };
      }
      case 'database.addCollection':
        store.createCollection(coll);
        return {};
      case 'database.startTransaction':
        return { transactionId: store.begin() };
      case 'database.commitTransaction':
        store.commit(tx!);
        return {};
      case 'database.abortTransaction':
        store.abort(tx!);
        return {};
      default:
        throw new StoreError('INVALID_PARAM', `unsupported database action ${action}`);
    }
  }
}
