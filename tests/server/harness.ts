/** A local runtime per test file, set up with the demo data set, with a clock the test can move. */
import { createLocalRuntime, type LocalRuntime } from '../../server/local/runtime';
import type { Latency } from '../../server/local/transport';
import { installDistrict } from '../../server/setup/install';
import { DEMO } from '../../server/seed/demo';
import type { ApiError, Envelope } from '../../typings/api';

export class TestClock {
  constructor(public current = new Date('2026-03-02T01:00:00.000Z')) {}
  now = () => new Date(this.current);
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Harness {
  rt: LocalRuntime;
  /** The SDK database, untyped: its typings overload every call with callback forms. */
  db: any;
  clock: TestClock;
  /** Calls and returns data, failing the test on an error envelope. */
  ok<T = any>(fn: string, action: string, payload: Record<string, unknown>, openid: string): Promise<T>;
  /** Calls and returns the error, failing the test on success. */
  fail(fn: string, action: string, payload: Record<string, unknown>, openid?: string): Promise<ApiError>;
  raw<T = any>(fn: string, action: string, payload: Record<string, unknown>, openid?: string): Promise<Envelope<T>>;
  /** Calls (failing the test on an error envelope) and answers the data with the call's database round trips. */
  counted<T = any>(fn: string, action: string, payload: Record<string, unknown>, openid: string): Promise<{ data: T; db: number }>;
  close(): void;
}

/**
 * The suites build many needs of one type for the same ten demo enterprises;
 * the district's limits per enterprise (open needs of a type, needs a day)
 * would stop them after three. They are raised here, as an admin would for a
 * bulk day, and tested at their defaults on their own (`limits: 'district'`,
 * tests/server/floods.test.ts).
 */
export const ROOMY_NEED_LIMITS = { openNeedsPerType: 1000, needsPerEnterprisePerDay: 100_000 };

export async function roomyNeedLimits(db: any): Promise<void> {
  await db.collection('settings').doc('global').update({ data: ROOMY_NEED_LIMITS });
}

/**
 * `seed: false` starts on an environment nobody set up; `setupCode` is what
 * admin.setup expects; `limits: 'district'` keeps the per-enterprise need
 * limits as the district sets them; `latency` delays every database request
 * (tests/slow/races.test.ts); a fixed `historyKey` makes two runtimes'
 * timelines comparable hash for hash.
 */
export async function startHarness(
  options: { seed?: boolean; setupCode?: string; limits?: 'district' | 'roomy'; latency?: Latency; historyKey?: string } = {},
): Promise<Harness> {
  const clock = new TestClock();
  const rt = createLocalRuntime({ dataDir: ':memory:', clock, setupCode: options.setupCode, latency: options.latency, historyKey: options.historyKey });
  if (options.seed !== false) {
    await installDistrict(rt.ports.db, clock, DEMO);
    if (options.limits !== 'district') await roomyNeedLimits(rt.ports.db);
  }
  const raw = <T>(fn: string, action: string, payload: Record<string, unknown>, openid?: string) =>
    rt.call<T>(fn, { action, ...payload }, openid);
  return {
    rt,
    db: rt.ports.db,
    clock,
    raw,
    async ok<T>(fn: string, action: string, payload: Record<string, unknown>, openid: string) {
      const env = await raw<T>(fn, action, payload, openid);
      if (!env.ok) throw new Error(`${fn}.${action} failed: ${JSON.stringify(env.error)}`);
      return env.data;
    },
    async counted<T>(fn: string, action: string, payload: Record<string, unknown>, openid: string) {
      const { envelope, db } = await rt.counted<T>(fn, { action, ...payload }, openid);
      if (!envelope.ok) throw new Error(`${fn}.${action} failed: ${JSON.stringify(envelope.error)}`);
      return { data: envelope.data, db };
    },
    async fail(fn, action, payload, openid) {
      const env = await raw(fn, action, payload, openid);
      if (env.ok) throw new Error(`${fn}.${action} unexpectedly succeeded: ${JSON.stringify(env.data)}`);
      return env.error;
    },
    close: () => rt.close(),
  };
}

export const masks = (quantity = 20000) => ({
  type: 'supplies',
  items: [{ kind: 'mask', quantity, unit: '个' }],
  neededBy: '2026-03-05',
  deliveryAddress: '大渡口区建桥工业园C区 秋田齿轮门卫室',
});
