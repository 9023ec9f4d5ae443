import type { ChartSpec } from './charts.js';
import { strided } from './charts.js';

/**
 * Closed-loop behaviour as charts. A rollout is recorded as a trace (below); each environment
 * turns traces into charts with its own function (registered by environment id), and any
 * environment without one gets the generic charts: every observation and action against time.
 */
export interface RolloutTrace {
  envId: string;
  observationNames: readonly string[];
  actionNames: readonly string[];
  parameterNames: readonly string[];
  parameters: number[];
  /** Time per step (1 when absent: the axis is then the step). */
  dt?: number;
  /** One row per step, the observation before the step's action (steps + 1 rows with the last). */
  observations: number[][];
  /** One row per step. */
  actions: number[][];
  rewards: number[];
  /** A field over space, one row per step, e.g. u(x, t) of a PDE on its grid. */
  field?: number[][];
}

/** Charts of a controlled rollout and, when given, the same start without control. */
export type RolloutChartFunction = (trace: RolloutTrace, uncontrolled?: RolloutTrace) => ChartSpec[];

const MAX_POINTS = 400;
const WIDTH = 560;
const HEIGHT = 180;

const timeTitle = (trace: RolloutTrace) => (trace.dt === undefined ? 'step' : 'time');
const timeOf = (trace: RolloutTrace, step: number) => step * (trace.dt ?? 1);
const sum = (xs: number[]) => xs.reduce((s, v) => s + v, 0);
export const returnText = (trace: RolloutTrace) => `return ${sum(trace.rewards).toFixed(1)} over ${trace.rewards.length} steps`;

/** Long-format rows {t, value, series} of some columns of a trace's rows, thinned to MAX_POINTS. */
export function series(trace: RolloutTrace, rows: number[][], names: readonly string[], pick: readonly number[], label = (name: string) => name, value = (row: number[], i: number) => row[i]!) {
  const out: { t: number; value: number; series: string }[] = [];
  for (const step of strided(rows.length, MAX_POINTS)) {
    for (const i of pick) out.push({ t: timeOf(trace, step), value: value(rows[step]!, i), series: label(names[i]!) });
  }
  return out;
}

export type LinePoint = { t: number; value: number; series: string; segment?: number };

/** Points with a `segment` draw one line per (series, segment): a wrapped angle is not joined across its jump. */
export function lineChart(id: string, title: string, xTitle: string, yTitle: string, values: LinePoint[], caption?: string, dashed?: string): ChartSpec {
  const seriesNames = [...new Set(values.map((v) => v.series))];
  const segmented = values.some((v) => v.segment !== undefined);
  return {
    id,
    title,
    caption,
    marks: { line: new Set(values.map((v) => `${v.series}\u0000${v.segment ?? 0}`)).size },
    spec: {
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: xTitle },
        y: { field: 'value', type: 'quantitative', title: yTitle },
        color: { field: 'series', type: 'nominal', title: null, sort: seriesNames },
        ...(segmented ? { detail: { field: 'segment', type: 'nominal' } } : {}),
        ...(dashed ? { strokeDash: { condition: { test: `datum.series === ${JSON.stringify(dashed)}`, value: [4, 3] }, value: [1, 0] } } : {}),
      },
    },
  };
}

/** Every observation and every action against time: what any environment can show. */
export const genericRolloutCharts: RolloutChartFunction = (trace, uncontrolled) => {
  const obsIdx = trace.observationNames.map((_, i) => i);
  const charts = [
    lineChart(
      'rollout-observations',
      'Observations in closed loop',
      timeTitle(trace),
      'observation',
      [
        ...series(trace, trace.observations, trace.observationNames, obsIdx),
        ...(uncontrolled ? series(uncontrolled, uncontrolled.observations, uncontrolled.observationNames, obsIdx, (n) => `${n} (no control)`) : []),
      ],
      returnText(trace),
    ),
    lineChart('rollout-actions', 'Actions', timeTitle(trace), 'action', series(trace, trace.actions, trace.actionNames, trace.actionNames.map((_, i) => i))),
  ];
  return charts;
};

/** Numbers the pieces of an angle in (-pi, pi] between its wraps (a jump of more than pi between samples). */
export function breakAtWraps(points: LinePoint[]): LinePoint[] {
  let segment = 0;
  return points.map((p, i) => {
    if (i > 0 && Math.abs(p.value - points[i - 1]!.value) > Math.PI) segment++;
    return { ...p, segment };
  });
}

const MAX_FIELD_ROWS = 60;

/** Rows of a field averaged into at most MAX_FIELD_ROWS time bins: a heat map stays a few hundred kB. */
function heatValues(trace: RolloutTrace, field: number[][]): { cells: { t: number; x: number; u: number }[]; rows: number; points: number } {
  const steps = field.length;
  const bins = Math.min(steps, MAX_FIELD_ROWS);
  const points = field[0]?.length ?? 0;
  const cells: { t: number; x: number; u: number }[] = [];
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * steps) / bins);
    const to = Math.floor(((b + 1) * steps) / bins);
    for (let x = 0; x < points; x++) {
      let u = 0;
      for (let r = from; r < to; r++) u += field[r]![x]!;
      cells.push({ t: Number(timeOf(trace, from).toPrecision(6)), x, u: u / (to - from) });
    }
  }
  return { cells, rows: bins, points };
}

function heatMap(id: string, title: string, trace: RolloutTrace, field: number[][], domain: [number, number]): ChartSpec {
  const { cells, rows, points } = heatValues(trace, field);
  return {
    id,
    title,
    marks: { rect: rows * points },
    spec: {
      width: WIDTH,
      height: 200,
      data: { values: cells },
      mark: { type: 'rect' },
      encoding: {
        x: { field: 't', type: 'ordinal', title: timeTitle(trace), axis: { labelOverlap: true, labelAngle: 0, format: '.3~g' } },
        y: { field: 'x', type: 'ordinal', title: 'x (grid point)', sort: 'descending', axis: { values: Array.from({ length: Math.ceil(points / 8) }, (_, i) => i * 8) } },
        color: { field: 'u', type: 'quantitative', title: 'u', scale: { scheme: 'redblue', reverse: true, domain, domainMid: 0 } },
      },
    },
  };
}

/**
 * A field over space and time (a PDE's u(x, t)) as space-time heat maps, with and
 * without control on one colour scale, followed by the actions against time.
 */
export const fieldRolloutCharts: RolloutChartFunction = (trace, uncontrolled) => {
  if (!trace.field) return genericRolloutCharts(trace, uncontrolled);
  const fields = [trace.field, ...(uncontrolled?.field ? [uncontrolled.field] : [])];
  let extent = 1e-12;
  for (const f of fields) for (const row of f) for (const u of row) extent = Math.max(extent, Math.abs(u));
  const domain: [number, number] = [-extent, extent];
  const charts = [heatMap('rollout-field', `u(x, t) with the law (${returnText(trace)})`, trace, trace.field, domain)];
  if (uncontrolled?.field) charts.push(heatMap('rollout-field-uncontrolled', `u(x, t) without control (${returnText(uncontrolled)})`, uncontrolled, uncontrolled.field, domain));
  charts.push(lineChart('rollout-actions', 'Actions', timeTitle(trace), 'action', series(trace, trace.actions, trace.actionNames, trace.actionNames.map((_, i) => i))));
  return charts;
};

/** The environment's own charts (its registry entry supplies them), else the field charts when the trace has a field, else the generic ones. */
export function rolloutCharts(trace: RolloutTrace, uncontrolled?: RolloutTrace, own?: RolloutChartFunction): ChartSpec[] {
  return (own ?? (trace.field ? fieldRolloutCharts : genericRolloutCharts))(trace, uncontrolled);
}
