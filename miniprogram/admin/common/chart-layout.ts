/**
 * Where the line chart (components/line-chart) puts its lines and dots:
 * percentages of the plot, so the drawing scales with the box and needs no
 * measuring. Kept apart from the component so it can be tested alone.
 */

export interface ChartSeries {
  name: string;
  /** Theme tone of the line: 'primary' (blue) or 'success' (green). */
  tone: 'primary' | 'success';
  /** One per label; null where there was nothing to measure (no line drawn there). */
  values: (number | null)[];
}

interface Band {
  key: string;
  clip: string;
}

interface Dot {
  key: string;
  left: string;
  top: string;
}

export interface SeriesView {
  name: string;
  tone: string;
  bands: Band[];
  dots: Dot[];
  latest: string;
  first: string;
}

export interface ChartView {
  lines: SeriesView[];
  ticks: { key: string; text: string; left: string }[];
  summary: string;
  empty: boolean;
}

/** Half the line's thickness, in percent of the plot's height (a 160-px plot: about 3 px in all). */
const HALF = 0.9;

const r2 = (n: number) => Math.round(n * 100) / 100;
const clamp = (v: number) => Math.min(1, Math.max(0, v));

function pct(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—';
}

/** Runs of consecutive measured points: a gap in the data is a gap in the line. */
function runs(values: (number | null)[]): { i: number; v: number }[][] {
  const out: { i: number; v: number }[][] = [];
  let run: { i: number; v: number }[] = [];
  values.forEach((v, i) => {
    if (typeof v === 'number' && Number.isFinite(v)) run.push({ i, v: clamp(v) });
    else if (run.length) (out.push(run), (run = []));
  });
  if (run.length) out.push(run);
  return out;
}

export function layout(series: ChartSeries[], labels: string[]): ChartView {
  const n = labels.length;
  const x = (i: number) => (n <= 1 ? 50 : (i / (n - 1)) * 100);
  const y = (v: number) => (1 - v) * 100;
  const lines: SeriesView[] = (series || []).map((s, si) => {
    const bands: Band[] = [];
    runs(s.values || []).forEach((run, ri) => {
      if (run.length < 2) return;
      const upper = run.map((p) => `${r2(x(p.i))}% ${r2(y(p.v) - HALF)}%`);
      const lower = run
        .slice()
        .reverse()
        .map((p) => `${r2(x(p.i))}% ${r2(y(p.v) + HALF)}%`);
      bands.push({ key: `${si}-${ri}`, clip: `polygon(${upper.concat(lower).join(', ')})` });
    });
    const dots: Dot[] = [];
    (s.values || []).forEach((v, i) => {
      if (typeof v === 'number' && Number.isFinite(v)) dots.push({ key: `${si}-${i}`, left: `${r2(x(i))}%`, top: `${r2(y(clamp(v)))}%` });
    });
    const measured = (s.values || []).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    return {
      name: s.name,
      tone: s.tone === 'success' ? 'success' : 'primary',
      bands,
      dots,
      latest: pct(measured[measured.length - 1]),
      first: pct(measured[0]),
    };
  });
  const tickAt = n > 2 ? [0, Math.floor((n - 1) / 2), n - 1] : labels.map((_, i) => i);
  const ticks = tickAt.map((i) => ({ key: String(i), text: labels[i], left: `${r2(x(i))}%` }));
  const empty = lines.every((l) => l.dots.length === 0);
  const summary = empty
    ? '这段时间还没有数据'
    : lines.map((l) => `${l.name}从 ${l.first} 到 ${l.latest}`).join('；');
  return { lines, ticks, summary, empty };
}
