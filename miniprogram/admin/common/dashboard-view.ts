/**
 * The dashboard's charts as data: the trend of the two rates over days and
 * the units ranked by closure. Apart from the page so tests can call them.
 */
import type { TrendDay, UnitKpi } from '../../services/admin-api';
import type { ChartSeries } from './chart-layout';
import { duration, pct } from './admin-labels';

const NEEDS_PAGE = '/admin/needs/index';

export interface KpiRow {
  code: string;
  name: string;
  closure: string;
  /** Bar width, percent of the row. */
  bar: number;
  firstResponse: string;
  received: number;
  closed: number;
  overdue: string;
  url: string;
}

/** "03-05": the chart's ticks are short. */
const shortDate = (date: string) => date.slice(5);

export function trendView(days: TrendDay[]): { trendLabels: string[]; trendSeries: ChartSeries[] } {
  return {
    trendLabels: days.map((d) => shortDate(d.date)),
    trendSeries: [
      // A day with no enterprises (or no employees) has no rate: a gap, not a 0%.
      { name: '复工率', tone: 'primary', values: days.map((d) => (d.enterprises ? d.resumptionRate : null)) },
      { name: '返岗率', tone: 'success', values: days.map((d) => (d.employeesTotal ? d.workforceReturnRate : null)) },
    ],
  };
}

/** Units that received needs, best closure first; a tie goes to the faster first response. */
export function kpiRows(items: UnitKpi[]): KpiRow[] {
  const rate = (r: number | null) => (typeof r === 'number' && Number.isFinite(r) ? r : -1);
  const hours = (h: number | null) => (typeof h === 'number' && Number.isFinite(h) ? h : Infinity);
  return items
    .filter((k) => k.received > 0)
    .sort((a, b) => rate(b.closureRate) - rate(a.closureRate) || hours(a.medianFirstResponseHours) - hours(b.medianFirstResponseHours))
    .map((k) => ({
      code: `${k.scope}:${k.code}`,
      name: k.name || (k.scope === 'taskforce' ? '服务专班' : '责任单位'),
      closure: pct(k.closureRate),
      bar: Math.round(Math.max(0, rate(k.closureRate)) * 100),
      firstResponse: duration(k.medianFirstResponseHours),
      received: k.received,
      closed: k.closed,
      overdue: pct(k.overdueRate),
      url: k.scope === 'unit' ? `${NEEDS_PAGE}?unitCode=${k.code}` : '',
    }));
}

/** The China date `days` before `date` ('YYYY-MM-DD'). */
export function daysBefore(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) - days * 86400000;
  return new Date(t).toISOString().slice(0, 10);
}


export interface FlowDay {
  date: string;
  opened: number;
  closed: number;
}

export interface FlowRow {
  key: string;
  date: string;
  opened: number;
  closed: number;
  /** Bar lengths in % of the busiest day, so a quiet day still shows as a sliver, not nothing. */
  openedBar: number;
  closedBar: number;
}

/** Needs opened and closed per day, newest first, as rows with bars. */
export function flowRows(days: FlowDay[]): FlowRow[] {
  const top = Math.max(1, ...days.map((d) => Math.max(d.opened, d.closed)));
  const bar = (n: number) => (n > 0 ? Math.max(3, Math.round((n / top) * 100)) : 0);
  return days
    .slice()
    .reverse()
    .map((d) => ({ key: d.date, date: `${Number(d.date.slice(5, 7))}月${Number(d.date.slice(8, 10))}日`, opened: d.opened, closed: d.closed, openedBar: bar(d.opened), closedBar: bar(d.closed) }));
}
