import type { ChartSpec } from './charts.js';
import type { TrainingRun } from './run-dir.js';

/** Charts of a training run: the learning curve and the active terms, gate hardening marked. */

const WIDTH = 560;
const WINDOW = 10;

const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const std = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length);
};

/** What one row of returns.csv is: a TD3 episode, or a search iteration. */
const xTitle = (run: TrainingRun): string => (run.config.iterations !== undefined ? 'iteration' : 'episode');

function hardening(run: TrainingRun) {
  const at = run.config.hardenAfter;
  const last = run.episodes.at(-1)?.episode ?? 0;
  return at !== undefined && at >= 1 && at <= last ? at : undefined;
}

function hardeningLayer(at: number) {
  return {
    data: { values: [{ episode: at, label: 'gates hardened' }] },
    layer: [
      { mark: { type: 'rule', color: '#e9a23b', strokeDash: [5, 3], strokeWidth: 1.5 }, encoding: { x: { field: 'episode', type: 'quantitative' } } },
      { mark: { type: 'text', align: 'left', dx: 4, dy: 8, color: '#b07a1c', baseline: 'top' }, encoding: { x: { field: 'episode', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } },
    ],
  };
}

/**
 * Episode returns (thin), their running mean with a band of one standard deviation over the last
 * 10 episodes, and the evaluation means (points; with evals.csv, a bar of one standard deviation).
 */
export function learningCurveChart(run: TrainingRun): ChartSpec {
  const rows = run.episodes;
  const band = rows.map((row, i) => {
    const window = rows.slice(Math.max(0, i - WINDOW + 1), i + 1).map((r) => r.return);
    const m = mean(window);
    const s = std(window);
    return { episode: row.episode, return: row.return, mean: m, lo: m - s, hi: m + s };
  });
  const byEpisode = new Map<number, number[]>();
  for (const e of run.evaluations ?? []) byEpisode.set(e.episode, [...(byEpisode.get(e.episode) ?? []), e.return]);
  const evals = rows
    .filter((r) => r.evalMean !== undefined)
    .map((r) => {
      const returns = byEpisode.get(r.episode);
      const s = returns && returns.length > 1 ? std(returns) : undefined;
      return { episode: r.episode, evalMean: r.evalMean!, ...(s !== undefined ? { lo: r.evalMean! - s, hi: r.evalMean! + s } : {}) };
    });
  const spread = evals.filter((e) => 'lo' in e);
  const at = hardening(run);
  const x = { field: 'episode', type: 'quantitative', title: xTitle(run) };
  const layers: object[] = [
    { data: { values: band }, mark: { type: 'area', color: '#1f6fb2', opacity: 0.15 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'return' }, y2: { field: 'hi' } } },
    { data: { values: band }, mark: { type: 'line', color: '#1f6fb2', strokeWidth: 0.8, opacity: 0.45 }, encoding: { x, y: { field: 'return', type: 'quantitative' } } },
    { data: { values: band }, mark: { type: 'line', color: '#1f6fb2', strokeWidth: 2 }, encoding: { x, y: { field: 'mean', type: 'quantitative' } } },
  ];
  if (spread.length > 0) layers.push({ data: { values: spread }, mark: { type: 'rule', color: '#d1495b' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } });
  if (evals.length > 0) layers.push({ data: { values: evals }, mark: { type: 'point', filled: true, size: 50, color: '#d1495b' }, encoding: { x, y: { field: 'evalMean', type: 'quantitative' }, tooltip: [{ field: 'episode' }, { field: 'evalMean', format: '.1f' }] } });
  if (at !== undefined) layers.push(hardeningLayer(at));
  return {
    id: 'learning-curve',
    title: 'Learning curve',
    caption:
      `return of each training episode (thin), its mean over the last ${WINDOW} episodes with one standard deviation (band)` +
      (evals.length > 0 ? `, evaluation means (red points${spread.length > 0 ? ', bars of one standard deviation' : ''})` : '') +
      (at !== undefined ? `; gates hardened after episode ${at}` : ''),
    marks: { area: 1, line: 2, symbol: evals.length, rule: spread.length + (at !== undefined ? 1 : 0) },
    spec: { width: WIDTH, height: 240, layer: layers },
  };
}

/** Surviving terms of the sparse law after each episode. */
export function activeTermsChart(run: TrainingRun): ChartSpec | undefined {
  const values = run.episodes.filter((r) => r.terms !== undefined).map((r) => ({ episode: r.episode, terms: r.terms! }));
  if (values.length === 0) return undefined;
  const at = hardening(run);
  const layers: object[] = [
    { data: { values }, mark: { type: 'line', color: '#2a9d8f', strokeWidth: 2, interpolate: 'step-after' }, encoding: { x: { field: 'episode', type: 'quantitative', title: xTitle(run) }, y: { field: 'terms', type: 'quantitative', title: 'active terms' } } },
  ];
  if (at !== undefined) layers.push(hardeningLayer(at));
  return {
    id: 'active-terms',
    title: 'Active terms over training',
    caption: `terms with an open gate after each episode; ${values.at(-1)!.terms} at the end`,
    marks: { line: 1, rule: at !== undefined ? 1 : 0 },
    spec: { width: WIDTH, height: 160, layer: layers },
  };
}
