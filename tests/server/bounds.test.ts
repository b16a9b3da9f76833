/** Bounds (contract, second round): figures, dates and text outside them are INVALID_ARGUMENT naming the field. */
import { masks, startHarness, type Harness } from './harness';
import { checkDelivered } from '../../server/needs/schema';
import { calendarDay } from '../../server/core/validation';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
// need.submit allows 30 calls a minute per caller; refused ones count too.
beforeEach(() => h.clock.advance(61_000));

const OWNER = 'demo-enterprise';
let key = 0;
const submit = (need: Record<string, unknown>) => h.raw('need', 'submit', { ...need, clientKey: `bounds-key-${String(++key).padStart(4, '0')}` }, OWNER);

async function refused(need: Record<string, unknown>, field: string) {
  const env = await submit(need);
  expect(env).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field } });
  if (!env.ok) expect(env.error.message).toMatch(/[\u4e00-\u9fa5]/);
}

const status = (overrides: Record<string, unknown>) => ({ employeesTotal: 100, employeesBack: 50, capacityPercent: 50, resumed: true, ...overrides });

describe('status reports', () => {
  test.each([
    [{ employeesTotal: 1e308, employeesBack: 0 }, 'employeesTotal'],
    [{ employeesTotal: 1_000_001, employeesBack: 0 }, 'employeesTotal'],
    [{ employeesTotal: 10, employeesBack: 10.5 }, 'employeesBack'],
    [{ capacityPercent: 101 }, 'capacityPercent'],
    [{ capacityPercent: -1 }, 'capacityPercent'],
    [{ employeesTotal: 10, employeesBack: 11 }, 'employeesBack'],
    [{ difficulties: '原料\u0000短缺' }, 'difficulties'],
  ])('%j is refused at %s', async (overrides, field) => {
    expect(await h.fail('enterprise', 'reportStatus', status(overrides), OWNER)).toMatchObject({ code: 'INVALID_ARGUMENT', field });
  });

  test('the upper bounds themselves are accepted', async () => {
    const r = await h.ok('enterprise', 'reportStatus', status({ employeesTotal: 1_000_000, employeesBack: 1_000_000, capacityPercent: 100, difficulties: '第一行\n第二行' }), OWNER);
    expect(r).toMatchObject({ employeesTotal: 1_000_000, capacityPercent: 100 });
  });
});

describe('need fields', () => {
  test.each([
    ['2026-02-30', '2026-02-30 does not exist'],
    ['1970-01-01', 'long past'],
    ['9999-12-31', 'far future'],
    ['2026-02-28', 'more than a day before today (2026-03-02 China time)'],
    ['2027-03-04', 'more than a year ahead'],
    ['2026-13-01', 'month 13'],
    ['tomorrow', 'not a date'],
  ])('neededBy %s is refused (%s)', async (neededBy) => {
    await refused({ ...masks(), neededBy }, 'neededBy');
  });

  test('neededBy from yesterday to a year ahead, as a date or an instant, is accepted', async () => {
    for (const neededBy of ['2026-03-01', '2026-03-02', '2027-03-02', '2026-03-05T08:00:00.000Z']) {
      expect(await submit({ ...masks(), neededBy })).toMatchObject({ ok: true });
    }
  });

  test('the multi-need form names the need that holds the bad date', async () => {
    const env = await h.raw('need', 'submit', { clientKey: 'bounds-multi-01', needs: [{ type: 'policy', question: '问' }, { ...masks(), neededBy: '1970-01-01' }] }, OWNER);
    expect(env).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'needs.1.neededBy' } });
  });

  test.each([
    [{ type: 'hiring', positions: [{ title: '焊工', count: 2, salaryMin: 9000, salaryMax: 6000 }] }, 'positions.0.salaryMax'],
    [{ type: 'hiring', positions: [{ title: '焊工', count: 2, salaryMin: 1e308 }] }, 'positions.0.salaryMin'],
    [{ type: 'hiring', positions: [{ title: '焊工', count: 2, salaryMax: 1e308 }] }, 'positions.0.salaryMax'],
    [{ type: 'hiring', positions: [{ title: '焊工', count: 1e308 }] }, 'positions.0.count'],
    [{ type: 'financing', amountWan: 1e-300, purpose: '周转', termMonths: 12 }, 'amountWan'],
    [{ type: 'financing', amountWan: 1e308, purpose: '周转', termMonths: 12 }, 'amountWan'],
    [{ type: 'financing', amountWan: 100.123, purpose: '周转', termMonths: 12 }, 'amountWan'],
    [{ type: 'financing', amountWan: 100, purpose: '周转', termMonths: 12.5 }, 'termMonths'],
    [{ type: 'rent', landlord: '某物业', areaSqm: 1e308, monthlyRentYuan: 5000 }, 'areaSqm'],
    [{ type: 'rent', landlord: '某物业', areaSqm: 500, monthlyRentYuan: 0 }, 'monthlyRentYuan'],
    [{ type: 'health', headcount: 1e308, preferredDate: '2026-03-10' }, 'headcount'],
    [{ type: 'health', headcount: 30, preferredDate: '2026-02-30' }, 'preferredDate'],
    [{ type: 'health', headcount: 30, preferredDate: '9999-12-31' }, 'preferredDate'],
    [{ ...masks(), items: [{ kind: 'mask', quantity: 1e308, unit: '个' }] }, 'items.0.quantity'],
    [{ type: 'other', description: '困难\u0000描述' }, 'description'],
    [{ type: 'legal', topic: '合同\u001b纠纷', description: '说明' }, 'topic'],
  ])('%j is refused at %s', async (need, field) => {
    await refused(need, field);
  });

  test('salaries with minimum ≤ maximum, and sensible figures, are accepted', async () => {
    expect(await submit({ type: 'hiring', positions: [{ title: '焊工', count: 2, salaryMin: 6000, salaryMax: 6000 }] })).toMatchObject({ ok: true });
    expect(await submit({ type: 'financing', amountWan: 0.01, purpose: '周转', termMonths: 360 })).toMatchObject({ ok: true });
  });
});

describe('quantityDelivered only where the type has quantities', () => {
  test('checkDelivered refuses a quantity on other needs, and a hostile one on supplies', () => {
    expect(() => checkDelivered('supplies', undefined)).not.toThrow();
    expect(() => checkDelivered('hiring', undefined)).not.toThrow();
    expect(() => checkDelivered('supplies', 15000)).not.toThrow();
    for (const [type, q] of [['hiring', 3], ['financing', 0], ['supplies', 1e308], ['supplies', -1], ['supplies', 2.5]] as const) {
      let caught: unknown;
      try {
        checkDelivered(type, q);
      } catch (err) {
        caught = err;
      }
      expect(caught).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'quantityDelivered' });
    }
  });
});

describe('registration bounds', () => {
  test('employees above 1,000,000 are refused', async () => {
    const err = await h.fail('enterprise', 'update', { employees: 1e308 }, OWNER);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'employees' });
    expect(err.message).toMatch(/员工人数/);
  });

  test('calendar days exist or are null', () => {
    expect(calendarDay('2024-02-29')).toBe('2024-02-29');
    expect(calendarDay('2026-02-29')).toBeNull();
    expect(calendarDay('2026-04-31')).toBeNull();
    expect(calendarDay('2026-03-05T25:00:00Z')).toBeNull();
  });
});
