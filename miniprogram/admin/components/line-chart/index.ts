/**
 * A small line chart for rates (0–1) over days, drawn with views, not a
 * canvas: each line is a thin band clipped out of a view by a percentage
 * polygon, so it scales with the box, needs no measuring, draws the same in
 * tests and screenshots, and adds a few kilobytes instead of a chart
 * library's 150–500 KB. Values are also written out under the chart, so a
 * reader who cannot make out the lines still gets the figures.
 */

import type { ChartSeries, ChartView } from '../../common/chart-layout';
import { layout } from '../../common/chart-layout';

Component({
  properties: {
    series: { type: Array, value: [] },
    labels: { type: Array, value: [] },
  },
  data: { view: { lines: [], ticks: [], summary: '', empty: true } as ChartView },
  observers: {
    'series, labels'(series: ChartSeries[], labels: string[]) {
      this.setData({ view: layout(series, labels) });
    },
  },
});
