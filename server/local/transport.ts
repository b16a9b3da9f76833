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
import { EJSON, BSONRegExp } from 'bson';
import { DocumentStore, StoreError, type Doc } from './store';
import { noteRoundTrip } from './roundTrips';

const stores = new Map<string, { store: DocumentStore; now: () => Date }>();

export function registerStore(env: string, store: DocumentStore, now: () => Date): void {
  stores.set(env, { store, now });
}

export function unregisterStore(env: string): void {
  stores.delete(env);
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
    const { store, now } = this.target();
    noteRoundTrip();
    const requestId = `local-${++requestSeq}`;
    try {
      return { requestId, ...this.dispatch(store, now, action, params) };
    } catch (err) {
      if (err instanceof StoreError) {
        // Same shape node-sdk throws for an error answer from CloudBase.
        throw Object.assign(new Error(err.message), { code: err.code, requestId });
      }
      throw err;
    }
  }

  private dispatch(store: DocumentStore, now: () => Date, action: string, p: Params): any {
    const coll = p.collectionName as string;
    const tx = p.transactionId as string | undefined;
    switch (action) {
      case 'database.getDocument': {
        const query = decode(p.query, now);
        if (p.queryType === 'DOC') {
          const doc = store.getById(coll, query._id, tx);
          return { data: { list: doc ? [encode(doc)] : [] } };
        }
        const options = {
          order: p.order ? decode(p.order, now) : undefined,
          offset: p.offset,
          limit: Math.min(p.limit ?? 100, 1000),
          projection: p.projection ? decode(p.projection, now) : undefined,
        };
        const list = store.find(coll, query, options, tx).map(encode);
        return { data: { list }, limit: options.limit, offset: options.offset ?? 0 };
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
        return { data: { list: store.aggregate(coll, pipeline).map(encode) } };
      }
      case 'database.addCollection':
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
