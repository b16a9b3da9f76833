/**
 * Generated bad input, drawn from each action's own zod schema: objects with
 * their fields (and extra hostile ones), strings within and beyond their
 * bounds, numbers including NaN, ±Infinity, 1e308 and -0, enum values and
 * near misses, arrays, unions, optionals — mixed with hostile values (NUL
 * bytes, prototype keys, operator-looking objects, deep nesting, huge
 * strings) and with ids that exist, so the calls reach past validation.
 *
 * At least 1,000 payloads per function (spread over its actions), each sent
 * as an admin and as a caller of a role the action allows, through the local
 * runtime (the real dispatcher and SDK). For every answer: never INTERNAL;
 * and when the answer is not ok, no document was written — apart from the
 * counters that limit abuse (rateLimits, the wrong-code count on a person).
 */
import fc from 'fast-check';
import { z } from 'zod';
import type { Role } from '../../typings/api';
import { functions } from '../../server/functions';
import { startHarness, masks, type Harness } from './harness';

const RUNS_PER_FUNCTION = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20260302);

// ---- arbitraries from zod -------------------------------------------------

const deep = (depth: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};
const deepArray = (depth: number): unknown => {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

const HOSTILE_VALUES: unknown[] = [
  null,
  NaN,
  Infinity,
  -Infinity,
  -0,
  1e308,
  -1e308,
  5e-324,
  2 ** 53 + 2,
  -1,
  0,
  true,
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0000'.repeat(64),
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  '$where',
  '$gt',
  'a.b',
  '.',
  '$',
  '\ud800',
  '\u202e反向',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'x'.repeat(100_000),
  '测'.repeat(5000),
  [],
  {},
  [null],
  [[[[]]]],
  { $gt: '' },
  { $ne: null },
  { $regex: '.*' },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
  deep(3000),
  deepArray(3000),
];

/** Ids, codes and values that exist in the seeded district (filled in once it is up), so calls get past NOT_FOUND. */
const KNOWN: string[] = [
  'ent-qiutian',
  'ent-hualun',
  'chamber-pharma',
  'chamber-catering',
  'hrss',
  'fic',
  'fic-finance',
  'fic-supply-pool',
  'jianqiao-c',
  'tf-01',
  'tf-02',
  'supplies',
  'financing',
  'mask',
  'manufacturing',
  '2026-03-05',
  '2026-02-30',
  '2026-03-05T10:00:00.000Z',
  '2026-W10',
  '13800138000',
  '91350100M000100Y43',
  'ledger',
  'report',
  // Well-formed list cursors (keyset values, base64url JSON) of one, two and three sort keys: second pages.
  ...[['zzz'], ['2026-03-01T00:00:00.000Z', 'zzz'], ['2026-03-01', 1, 'zzz'], [1, 'zzz'], ['', '']].map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
];

const hostile = () => fc.constantFrom(...HOSTILE_VALUES);

type Def = { typeName: string; [k: string]: any };

function stringArb(def: Def): fc.Arbitrary<string> {
  let min = 0;
  let max = 40;
  let regex: RegExp | undefined;
  for (const check of def.checks ?? []) {
    if (check.kind === 'min') min = check.value;
    if (check.kind === 'max') max = check.value;
    if (check.kind === 'length') min = max = check.value;
    if (check.kind === 'regex') regex = check.regex;
  }
  const within = fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, 60) });
  const options: fc.Arbitrary<string>[] = [within, fc.constantFrom(...KNOWN)];
  if (regex) options.push(fc.stringMatching(regex).filter((s) => s.length <= 200));
  // Just past the bounds.
  options.push(fc.constantFrom('x'.repeat(max + 1), min > 0 ? 'x'.repeat(min - 1) : 'x'));
  return fc.oneof(...options);
}

function numberArb(def: Def): fc.Arbitrary<number> {
  let min = -1e6;
  let max = 1e6;
  let int = false;
  for (const check of def.checks ?? []) {
    if (check.kind === 'min') min = check.value;
    if (check.kind === 'max') max = check.value;
    if (check.kind === 'int') int = true;
  }
  const lo = Math.max(min, -1e9);
  const hi = Math.min(max, 1e9);
  const within = int ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }) : fc.double({ min: lo, max: hi, noNaN: true });
  return fc.oneof(
    { weight: 3, arbitrary: within },
    fc.constantFrom(min - 1, max + 1, min, max, 0.5, NaN, Infinity, -Infinity, -0, 1e308, -1e308),
    fc.double(),
  );
}

/** Walks a zod schema; `depth` stops recursion through lazy or self-similar schemas. */
export function fromZod(schema: z.ZodTypeAny, depth = 0): fc.Arbitrary<unknown> {
  const def = schema._def as Def;
  const valid = shaped(schema, def, depth);
  return fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: hostile() });
}

function shaped(schema: z.ZodTypeAny, def: Def, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return hostile();
  switch (def.typeName) {
    case 'ZodObject': {
      const shape = (schema as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>;
      const fields: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(shape)) fields[k] = fromZod(v, depth + 1);
      const keys = Object.keys(fields);
      const record = fc.record(fields, { requiredKeys: keys.filter((k) => !shape[k].isOptional()) }) as fc.Arbitrary<Record<string, unknown>>;
      const sparse = fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
      const extra = fc.dictionary(fc.constantFrom('__proto__', 'constructor', '$where', 'a.b', '_id', 'action', 'openid', 'x'), hostile(), { maxKeys: 2 });
      return fc
        .tuple(fc.oneof({ weight: 4, arbitrary: record }, { weight: 1, arbitrary: sparse }), fc.option(extra, { freq: 4 }))
        .map(([base, more]) => {
          if (!more) return base;
          const out = { ...base };
          // defineProperty: an own "__proto__" key, as JSON.parse makes it, not a prototype change.
          for (const [k, v] of Object.entries(more)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
          return out;
        });
    }
    case 'ZodString':
      return stringArb(def);
    case 'ZodNumber':
      return numberArb(def);
    case 'ZodBigInt':
      return fc.bigInt();
    case 'ZodBoolean':
      return fc.boolean();
    case 'ZodDate':
      return fc.date();
    case 'ZodLiteral':
      return fc.constant(def.value);
    case 'ZodEnum':
      return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...(def.values as string[])) }, fc.constantFrom('', 'other_value', 'ADMIN'));
    case 'ZodNativeEnum':
      return fc.constantFrom(...Object.values(def.values as Record<string, unknown>));
    case 'ZodArray': {
      const min = def.exactLength?.value ?? def.minLength?.value ?? 0;
      const max = def.exactLength?.value ?? def.maxLength?.value ?? 8;
      return fc.oneof(
        { weight: 4, arbitrary: fc.array(fromZod(def.type, depth + 1), { minLength: min, maxLength: Math.min(max, 12) }) },
        fc.array(fromZod(def.type, depth + 1), { minLength: max + 1, maxLength: max + 2 }),
      );
    }
    case 'ZodTuple':
      return fc.tuple(...(def.items as z.ZodTypeAny[]).map((i) => fromZod(i, depth + 1)));
    case 'ZodRecord':
      return fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...KNOWN)), fromZod(def.valueType, depth + 1), { maxKeys: 4 });
    case 'ZodMap':
    case 'ZodSet':
      return hostile();
    case 'ZodUnion':
    case 'ZodDiscriminatedUnion': {
      const options = (Array.isArray(def.options) ? def.options : [...def.options.values()]) as z.ZodTypeAny[];
      return fc.oneof(...options.map((o) => shaped(o, o._def as Def, depth + 1)));
    }
    case 'ZodIntersection':
      return fc.tuple(shaped(def.left, def.left._def, depth + 1), shaped(def.right, def.right._def, depth + 1)).map(([a, b]) =>
        a && b && typeof a === 'object' && typeof b === 'object' ? { ...a, ...b } : a,
      );
    case 'ZodOptional':
      return fc.option(shaped(def.innerType, def.innerType._def, depth), { nil: undefined, freq: 5 });
    case 'ZodNullable':
      return fc.option(shaped(def.innerType, def.innerType._def, depth), { nil: null, freq: 5 });
    case 'ZodDefault':
    case 'ZodCatch':
    case 'ZodReadonly':
      return fc.option(shaped(def.innerType, def.innerType._def, depth), { nil: undefined, freq: 5 });
    case 'ZodEffects':
      return shaped(def.schema, def.schema._def, depth);
    case 'ZodPipeline':
      return shaped(def.in, def.in._def, depth);
    case 'ZodBranded':
      return shaped(def.type, def.type._def, depth);
    case 'ZodLazy': {
      const inner = def.getter() as z.ZodTypeAny;
      return shaped(inner, inner._def as Def, depth + 2);
    }
    default:
      // any, unknown, null, undefined, never, …
      return fc.oneof(hostile(), fc.jsonValue({ maxDepth: 3 }));
  }
}

// ---- writes made by a call -------------------------------------------------

interface Write {
  coll: string;
  id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Records every committed write of the store (the one place writes land) while `work` runs. */
function watchWrites(h: Harness) {
  const store = h.rt.store as any;
  const original = store.commitWrites.bind(store);
  let log: Write[] | undefined;
  store.commitWrites = (writes: Map<string, Record<string, unknown> | null>) => {
    if (log) {
      for (const [k, after] of writes) {
        const [coll, ...rest] = k.split('\u0000');
        const id = rest.join('\u0000');
        log.push({ coll, id, before: store.getById(coll, id), after });
      }
    }
    return original(writes);
  };
  return async <T>(work: () => Promise<T>): Promise<{ result: T; writes: Write[] }> => {
    log = [];
    try {
      const result = await work();
      return { result, writes: log };
    } finally {
      log = undefined;
    }
  };
}

const COUNTER_FIELDS = new Set(['missMinute', 'misses', 'createdAt', 'updatedAt', '_id', 'roles', 'unitCodes', 'headOf']);

/** Counting a call against a limit is the one write a refused call may leave. */
function isCounter(w: Write): boolean {
  if (w.coll === 'rateLimits') return true;
  if (w.coll !== 'users' || !w.after) return false;
  const changed = new Set([...Object.keys(w.after), ...Object.keys(w.before ?? {})].filter((k) => JSON.stringify(w.after?.[k]) !== JSON.stringify(w.before?.[k])));
  // A wrong invite code counts on the person's document (and creates it for someone never seen).
  return [...changed].every((k) => COUNTER_FIELDS.has(k)) && (changed.has('misses') || changed.has('missMinute'));
}

// ---- callers -----------------------------------------------------------------

const ADMIN = 'demo-admin';
const BY_ROLE: Record<Role, string> = {
  admin: ADMIN,
  enterprise: 'demo-enterprise',
  taskforce: 'demo-taskforce',
  unit: 'demo-chamber-head',
};

/** An admin, and someone of a role the action allows (a person with no role for a signed-in action). */
function callersOf(roles: Role[] | 'signedIn'): string[] {
  if (roles === 'signedIn') return [ADMIN, 'fuzz-no-role'];
  const other = roles.find((r) => r !== 'admin');
  return other ? [ADMIN, BY_ROLE[other]] : [ADMIN];
}

// ---- the runs ----------------------------------------------------------------

interface Finding {
  fn: string;
  action: string;
  caller: string;
  payload: string;
  problem: string;
}

const describePayload = (p: unknown) => {
  try {
    const text = JSON.stringify(p);
    return text.length > 400 ? `${text.slice(0, 400)}…` : text;
  } catch {
    return String(p);
  }
};

async function seedKnown(h: Harness): Promise<void> {
  // Raise the per-minute limits so a thousand calls exercise the actions, not the limiter.
  const rateLimits: Record<string, number> = {};
  for (const [fn, table] of Object.entries(functions)) {
    for (const [action, def] of Object.entries(table)) if (def.perMinute) rateLimits[`${fn}.${action}`] = 100_000;
  }
  await h.ok('admin', 'saveSettings', { rateLimits }, ADMIN);
  const { needs } = await h.ok('need', 'submit', { ...masks(100), clientKey: 'fuzz-seed-need-01' }, 'demo-enterprise');
  KNOWN.push(needs[0].id);
  const { code } = await h.ok('admin', 'createInvite', { role: 'unit', unitCode: 'hrss' }, ADMIN);
  KNOWN.push(code);
  await h.ok('user', 'login', {}, 'fuzz-no-role');
}

describe.each(Object.keys(functions))('%s', (fn) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await seedKnown(h);
  });
  afterAll(() => h.close());

  test(`${RUNS_PER_FUNCTION} generated payloads: never INTERNAL, and no write behind a refusal`, async () => {
    const table = functions[fn];
    const actions = Object.keys(table);
    const watch = watchWrites(h);
    const findings: Finding[] = [];
    const outcomes = new Map<string, number>();
    const errorSpy = jest.spyOn(console, 'error').mockImplementation(() => {});
    // A payload the schema accepts reaches the handler as its parsed input only; once that input has
    // been sent a few times, sending it again tests nothing new (scheduler.run takes {}, say).
    const sentParsed = new Map<string, number>();
    let skipped = 0;
    const repeats = (action: string, event: Record<string, unknown>): boolean => {
      if (Object.prototype.hasOwnProperty.call(event, 'action')) return false;
      const parsed = table[action].input.safeParse(event);
      if (!parsed.success) return false;
      let key: string;
      try {
        key = `${action}:${JSON.stringify(parsed.data)}`;
      } catch {
        return false;
      }
      const n = sentParsed.get(key) ?? 0;
      sentParsed.set(key, n + 1);
      if (n < 3) return false;
      skipped++;
      return true;
    };
    const arb = fc.oneof(
      ...actions.map((action) => fromZod(table[action].input).map((payload) => ({ action, payload }))),
    );
    try {
      await fc.assert(
        fc.asyncProperty(arb, async ({ action, payload }) => {
          const event = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : { value: payload };
          if (repeats(action, event)) return;
          for (const caller of callersOf(table[action].roles)) {
            const { result: env, writes } = await watch(() => h.raw(fn, action, event, caller));
            const outcome = env.ok ? 'ok' : env.error.code;
            outcomes.set(`${action}:${outcome}`, (outcomes.get(`${action}:${outcome}`) ?? 0) + 1);
            const record = (problem: string) => findings.push({ fn, action, caller, payload: describePayload(payload), problem });
            if (!env.ok && env.error.code === 'INTERNAL') record('INTERNAL');
            const left = env.ok ? [] : writes.filter((w) => !isCounter(w));
            if (left.length) record(`refused (${outcome}) but wrote ${left.map((w) => `${w.coll}/${w.id}`).join(', ')}`);
            if (({} as Record<string, unknown>).polluted !== undefined) record('Object.prototype polluted');
          }
        }),
        { numRuns: RUNS_PER_FUNCTION, seed: SEED, endOnFailure: true },
      );
    } finally {
      errorSpy.mockRestore();
    }
    if (process.env.FUZZ_REPORT) console.log(fn, `${skipped} repeated inputs not sent`, JSON.stringify(Object.fromEntries([...outcomes].sort())));
    // Every action was reached, and most past validation at least sometimes.
    for (const action of actions) expect([...outcomes.keys()].some((k) => k.startsWith(`${action}:`))).toBe(true);
    expect(findings.slice(0, 10)).toEqual([]);
  }, 120_000);
});

describe('what the generated runs found, kept as plain regressions', () => {
  test("an admin's second page of every visit answers (it was INTERNAL: an unpinned range on createdAt)", async () => {
    const h = await startHarness();
    try {
      const cursor = Buffer.from(JSON.stringify(['2026-03-01T00:00:00.000Z', 'zzz'])).toString('base64url');
      expect(await h.ok('visit', 'list', { cursor }, ADMIN)).toEqual({ items: [] });
    } finally {
      h.close();
    }
  });
});
