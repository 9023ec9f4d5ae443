import type * as Vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { SparselawError } from '../errors.js';

/**
 * Charts are Vega-Lite specs rendered to SVG by Vega's headless renderer when the report is
 * written, so the page needs no script, no network and no charting library to show them.
 */

/** The kinds of data marks a chart draws, as Vega names their SVG groups (`g.role-mark.mark-line`). */
export type MarkKind = 'line' | 'symbol' | 'rule' | 'rect' | 'area';

export interface ChartSpec {
  /** Unique within a report; the figure's `data-chart` attribute. */
  id: string;
  title: string;
  caption?: string;
  /** A Vega-Lite spec with its data inline (checked by Vega-Lite's compiler when rendered). */
  spec: Record<string, unknown>;
  /**
   * The data marks the chart must show, counted from the data it was given (not from the SVG):
   * a line or an area per series, a symbol per point, a rule per rule, a rect per cell.
   */
  marks: Partial<Record<MarkKind, number>>;
}

export interface RenderedChart extends ChartSpec {
  svg: string;
}

const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  range: { category: ['#1f6fb2', '#d1495b', '#2a9d8f', '#e9a23b', '#6c5b7b', '#8d6e63', '#00798c', '#b5651d'] },
};

/** A loader that refuses every URL: charts carry their data inline, and a report never fetches. */
const offlineLoader = {
  load: async (uri: string) => {
    throw new SparselawError(`a chart tried to load "${uri}"; report charts must carry their data inline`);
  },
  sanitize: async (uri: string) => {
    throw new SparselawError(`a chart tried to load "${uri}"; report charts must carry their data inline`);
  },
  http: async () => '',
  file: async () => '',
};

export async function renderChart(chart: ChartSpec): Promise<RenderedChart> {
  const spec = { ...chart.spec, config: { ...CONFIG, ...(chart.spec.config as object | undefined) } } as unknown as TopLevelSpec;
  // Loaded here, not at start: every command that lists environments reaches this module, and Vega
  // with Vega-Lite is the slowest import of the command line.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', loader: offlineLoader as unknown as Vega.Loader });
  try {
    const svg = await view.toSVG();
    return { ...chart, svg };
  } finally {
    view.finalize();
  }
}

/** Every k-th index so that at most `max` of `n` remain (first and last kept): charts stay small. */
export function strided(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let i = 0; i < max; i++) out.push(Math.round((i * (n - 1)) / (max - 1)));
  return [...new Set(out)];
}
