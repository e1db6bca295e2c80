// Charts as PNG images, drawn on the server: ECharts renders the chart to SVG (its server-side renderer, no DOM or
// canvas), resvg turns the SVG into a PNG with the machine's fonts. A few tens of milliseconds per chart.
// ECharts is imported on the first chart, not at start: it takes about 0.7 s to load, which every process would
// otherwise pay (a worker restarting after a crash included) for a command few members run.
import { Resvg } from '@resvg/resvg-js';
import type * as Echarts from 'echarts';

let echartsModule: Promise<typeof Echarts> | undefined;

export interface DailySeries {
  name: string;
  values: readonly number[];
  /** Bars for counts, a line for a level (active members). */
  kind: 'bar' | 'line';
}

export async function renderDailyChart({ title, days, series, width = 900, height = 420 }: { title: string; days: readonly string[]; series: readonly DailySeries[]; width?: number; height?: number }): Promise<Buffer> {
  const echarts = await (echartsModule ??= import('echarts'));
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: 'DejaVu Sans, Arial, sans-serif' },
      title: { text: title, left: 'center', top: 8 },
      legend: { bottom: 8 },
      grid: { left: 56, right: 24, top: 48, bottom: 72 },
      xAxis: { type: 'category', data: days.map((day) => day.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.map((entry) => ({ name: entry.name, type: entry.kind, data: [...entry.values], ...(entry.kind === 'line' ? { smooth: true } : {}) })),
    });
    const svg = chart.renderToSVGString();
    return Buffer.from(new Resvg(svg, { background: '#ffffff', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng());
  } finally {
    chart.dispose();
  }
}
