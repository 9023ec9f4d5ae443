import { strided, type ChartSpec } from '../../report/charts.js';
import type { RolloutChartFunction, RolloutTrace } from '../../report/rollout-charts.js';
import type { Drawing } from './task.js';

/**
 * Report charts of a MuJoCo task: a film strip (the body drawn from its geoms' positions at a few
 * instants, capsules as round-capped strokes of their true width, one scale for both axes) and the
 * joint angles against time, for the controlled episode and, below, the one without control.
 * The trace's field rows are MujocoEnv.field(): [n, n x (x1, y1, x2, y2, r), joint angles].
 */

const FRAMES = 6;
const STRIP_WIDTH = 720;
const MAX_POINTS = 400;

interface Segment {
  x: number;
  y: number;
  x2: number;
  y2: number;
  w: number;
  frame: number;
}

function frameSegments(row: readonly number[]): Omit<Segment, 'frame'>[] {
  const n = row[0] ?? 0;
  return Array.from({ length: n }, (_, i) => {
    const [x, y, x2, y2, r] = row.slice(1 + 5 * i, 6 + 5 * i) as [number, number, number, number, number];
    return { x, y, x2, y2, w: r };
  });
}

const centre = (segments: Omit<Segment, 'frame'>[]) => segments.reduce((s, g) => s + (g.x + g.x2) / 2, 0) / Math.max(1, segments.length);

/** Frames side by side: each shifted so that frames never overlap (and, when following, centred on the body). */
function layout(trace: RolloutTrace, drawing: Drawing): { segments: Segment[]; labels: { x: number; text: string }[]; extent: [number, number, number, number]; floors: { x: number; x2: number }[] } {
  const rows = trace.field!;
  const picks = strided(rows.length, FRAMES);
  const frames = picks.map((step) => {
    const segs = frameSegments(rows[step]!);
    const shift = drawing.follow ? -centre(segs) : 0;
    return { step, centre: centre(segs), segs: segs.map((s) => ({ ...s, x: s.x + shift, x2: s.x2 + shift })) };
  });
  let lo = Infinity;
  let hi = -Infinity;
  let bottom = drawing.floor ?? Infinity;
  let top = -Infinity;
  for (const f of frames) {
    for (const s of f.segs) {
      lo = Math.min(lo, s.x - s.w, s.x2 - s.w);
      hi = Math.max(hi, s.x + s.w, s.x2 + s.w);
      bottom = Math.min(bottom, s.y - s.w, s.y2 - s.w);
      top = Math.max(top, s.y + s.w, s.y2 + s.w);
    }
  }
  const width = hi - lo;
  const spacing = width * 1.15;
  const segments: Segment[] = [];
  const labels: { x: number; text: string }[] = [];
  const floors: { x: number; x2: number }[] = [];
  frames.forEach((f, k) => {
    const dx = k * spacing;
    for (const s of f.segs) segments.push({ ...s, x: s.x + dx, x2: s.x2 + dx, frame: k });
    const t = (f.step * (trace.dt ?? 1)).toFixed(2);
    labels.push({ x: (lo + hi) / 2 + dx, text: drawing.follow ? `t=${t} x=${f.centre.toFixed(2)}` : `t=${t}` });
    floors.push({ x: lo + dx, x2: hi + dx });
  });
  return { segments, labels, floors, extent: [lo, lo + (frames.length - 1) * spacing + width, bottom, top] };
}

function filmStrip(id: string, title: string, trace: RolloutTrace, drawing: Drawing): ChartSpec {
  const { segments, labels, floors, extent } = layout(trace, drawing);
  const [x0, x1, y0, y1] = extent;
  const pad = 0.05 * (x1 - x0);
  const pixelsPerUnit = STRIP_WIDTH / (x1 - x0 + 2 * pad);
  const labelRoom = 14 / pixelsPerUnit;
  const height = Math.max(40, Math.round((y1 - y0 + labelRoom + pad) * pixelsPerUnit));
  const x = { scale: { domain: [x0 - pad, x1 + pad], nice: false, zero: false }, axis: null };
  const y = { scale: { domain: [y0 - labelRoom, y1 + pad], nice: false, zero: false }, axis: null };
  const layers: Record<string, unknown>[] = [];
  if (drawing.floor !== undefined) {
    layers.push({
      data: { values: floors.map((f) => ({ ...f, y: drawing.floor })) },
      mark: { type: 'rule', color: '#8d6e63', strokeWidth: 1.5 },
      encoding: { x: { field: 'x', type: 'quantitative', ...x }, x2: { field: 'x2' }, y: { field: 'y', type: 'quantitative', ...y } },
    });
  }
  layers.push(
    {
      data: { values: segments.map((s) => ({ ...s, w: Math.max(1, 2 * s.w * pixelsPerUnit) })) },
      mark: { type: 'rule', strokeCap: 'round', color: '#1f6fb2', opacity: 0.85 },
      encoding: {
        x: { field: 'x', type: 'quantitative', ...x },
        y: { field: 'y', type: 'quantitative', ...y },
        x2: { field: 'x2' },
        y2: { field: 'y2' },
        strokeWidth: { field: 'w', type: 'quantitative', scale: null, legend: null },
      },
    },
    {
      data: { values: labels.map((l) => ({ ...l, y: y0 - labelRoom })) },
      mark: { type: 'text', baseline: 'bottom', fontSize: 10, color: '#555' },
      encoding: { x: { field: 'x', type: 'quantitative', ...x }, y: { field: 'y', type: 'quantitative', ...y }, text: { field: 'text' } },
    },
  );
  return {
    id,
    title,
    caption: `${labels.length} instants of one episode${drawing.follow ? ', each centred on the body (x: its horizontal position)' : ''}; one length scale on both axes`,
    marks: { rule: segments.length + (drawing.floor !== undefined ? floors.length : 0) },
    spec: { width: STRIP_WIDTH, height, view: { stroke: null }, layer: layers },
  };
}

function angleChart(id: string, title: string, trace: RolloutTrace, drawing: Drawing): ChartSpec {
  const rows = trace.field!;
  const start = 1 + 5 * (rows[0]?.[0] ?? 0);
  const values: { t: number; value: number; series: string }[] = [];
  for (const step of strided(rows.length, MAX_POINTS)) {
    drawing.joints.forEach((j, k) => values.push({ t: step * (trace.dt ?? 1), value: rows[step]![start + k]!, series: j.label }));
  }
  const names = drawing.joints.map((j) => j.label);
  return {
    id,
    title,
    marks: { line: names.length },
    spec: {
      width: 560,
      height: 180,
      data: { values },
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: trace.dt === undefined ? 'step' : 'time [s]' },
        y: { field: 'value', type: 'quantitative', title: 'angle [rad]' },
        color: { field: 'series', type: 'nominal', title: null, sort: names },
      },
    },
  };
}

const total = (trace: RolloutTrace) => trace.rewards.reduce((s, r) => s + r, 0);

/** The rolloutCharts hook of a task with a drawing; actions against time follow the pictures. */
export function filmStripCharts(drawing: Drawing): RolloutChartFunction {
  return (trace, uncontrolled) => {
    if (!trace.field || trace.field.length === 0) return [];
    const charts: ChartSpec[] = [
      filmStrip('rollout-film', `With the law: return ${total(trace).toFixed(1)} over ${trace.rewards.length} steps`, trace, drawing),
    ];
    if (uncontrolled?.field && uncontrolled.field.length > 0) {
      charts.push(filmStrip('rollout-film-uncontrolled', `Without control: return ${total(uncontrolled).toFixed(1)} over ${uncontrolled.rewards.length} steps`, uncontrolled, drawing));
    }
    if (drawing.joints.length > 0) {
      charts.push(angleChart('rollout-joints', 'Joint angles with the law', trace, drawing));
      if (uncontrolled?.field && uncontrolled.field.length > 0) charts.push(angleChart('rollout-joints-uncontrolled', 'Joint angles without control', uncontrolled, drawing));
    }
    charts.push(actionChart(trace));
    return charts;
  };
}

function actionChart(trace: RolloutTrace): ChartSpec {
  const values: { t: number; value: number; series: string }[] = [];
  for (const step of strided(trace.actions.length, MAX_POINTS)) {
    trace.actionNames.forEach((name, k) => values.push({ t: step * (trace.dt ?? 1), value: trace.actions[step]![k]!, series: name }));
  }
  return {
    id: 'rollout-actions',
    title: 'Actions with the law (as applied)',
    marks: { line: trace.actions.length > 0 ? trace.actionNames.length : 0 },
    spec: {
      width: 560,
      height: 180,
      data: { values },
      mark: { type: 'line', strokeWidth: 1.2 },
      encoding: {
        x: { field: 't', type: 'quantitative', title: trace.dt === undefined ? 'step' : 'time [s]' },
        y: { field: 'value', type: 'quantitative', title: 'action' },
        color: { field: 'series', type: 'nominal', title: null, sort: [...trace.actionNames] },
      },
    },
  };
}
