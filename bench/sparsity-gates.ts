/**
 * How the hard-concrete gates behave on one discovery problem, measured on the L0 engine directly:
 * the sparsity they reach over lambda and the temperature beta (and the initial drop rate), how many
 * gates end fractional (0 < z < 1), and whether P(z != 0) reads as an inclusion probability, i.e.
 * whether it matches how often a bootstrap resample of the rows keeps the term.
 */
import { fitGram } from '../src/l0/fit-gram.js';
import { gramStats, type GramStats } from '../src/l0/gram.js';
import { DEFAULT_GATE, probNonZero } from '../src/l0/hard-concrete.js';
import { logGrid } from '../src/l0/lambda-path.js';
import { Rng } from '../src/util/rng.js';
import { formatTable } from '../src/cli/table.js';
import type { ChartSpec } from '../src/report/charts.js';

/** The regression a study fits: Θ (n×p) and the targets (n×m), row-major. */
export interface GateProblem {
  name: string;
  theta: Float64Array;
  y: Float64Array;
  n: number;
  p: number;
  m: number;
}

export interface GateStudyOptions {
  seeds: number;
  betas: number[];
  lambdas: number[];
  dropRates: number[];
  /** The lambda of the calibration fits. */
  calibrationLambda: number;
  bootstraps: number;
}

export const GATE_STUDY: GateStudyOptions = { seeds: 3, betas: [0.1, 0.25, 0.5, 2 / 3, 1, 1.5], lambdas: logGrid(1e-5, 1e-1, 9), dropRates: [0.2, 0.5, 0.8], calibrationLambda: 1e-3, bootstraps: 30 };
export const GATE_STUDY_QUICK: GateStudyOptions = { seeds: 1, betas: [0.25, 2 / 3], lambdas: [1e-4, 1e-2], dropRates: [0.5], calibrationLambda: 1e-3, bootstraps: 3 };

interface FitSummary {
  terms: number;
  fractional: number;
}

function fitSummary(stats: GramStats, lambda: number, seed: number, beta: number, p0: number): FitSummary & { probability: Float64Array; support: Uint8Array } {
  // Without the final single-term search: the support is the gates' own (deterministic z > 0).
  const fit = fitGram(stats, { lambda, seed, p0, gate: { ...DEFAULT_GATE, beta }, polish: false });
  const gates = Array.from(fit.gates);
  const probability = Float64Array.from(fit.logAlpha, (la) => probNonZero(la, { ...DEFAULT_GATE, beta }));
  return { terms: fit.support.reduce((a, s) => a + s, 0), fractional: gates.filter((g) => g > 0 && g < 1).length / gates.length, probability, support: fit.support };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Mean terms and fractional-gate share over the seeds, for every (beta, lambda) at the default drop rate. */
function heatMap(stats: GramStats, o: GateStudyOptions): { beta: number; lambda: number; terms: number; fractional: number }[] {
  return o.betas.flatMap((beta) =>
    o.lambdas.map((lambda) => {
      const fits = Array.from({ length: o.seeds }, (_, s) => fitSummary(stats, lambda, s + 1, beta, 0.5));
      return { beta, lambda, terms: mean(fits.map((f) => f.terms)), fractional: mean(fits.map((f) => f.fractional)) };
    }),
  );
}

/** Rows drawn with replacement, as Gram statistics. */
function bootstrapStats(problem: GateProblem, rng: Rng): GramStats {
  const { n, p, m } = problem;
  const theta = new Float64Array(n * p);
  const y = new Float64Array(n * m);
  for (let r = 0; r < n; r++) {
    const i = rng.int(n);
    theta.set(problem.theta.subarray(i * p, (i + 1) * p), r * p);
    y.set(problem.y.subarray(i * m, (i + 1) * m), r * m);
  }
  return gramStats(theta, y, n, p, m);
}

/** P(z != 0) of the fit on all rows against each term's inclusion frequency over bootstrap refits, binned. */
function calibration(problem: GateProblem, stats: GramStats, o: GateStudyOptions): { rows: string[][]; meanGap: number; count: number } {
  const full = fitSummary(stats, o.calibrationLambda, 1, DEFAULT_GATE.beta, 0.5);
  const rng = Rng.seeded(77);
  const kept = new Float64Array(full.probability.length);
  for (let b = 0; b < o.bootstraps; b++) {
    const fit = fitSummary(bootstrapStats(problem, rng), o.calibrationLambda, 1, DEFAULT_GATE.beta, 0.5);
    fit.support.forEach((s, i) => (kept[i]! += s));
  }
  const frequency = Array.from(kept, (k) => k / o.bootstraps);
  const bins = [[0, 0.05], [0.05, 0.5], [0.5, 0.95], [0.95, 1.0001]] as const;
  const rows = bins.map(([lo, hi]) => {
    const idx = Array.from(full.probability.keys()).filter((i) => full.probability[i]! >= lo && full.probability[i]! < hi);
    const label = `[${lo}, ${hi > 1 ? 1 : hi}${hi > 1 ? ']' : ')'}`;
    if (idx.length === 0) return [label, '0', '', ''];
    return [label, String(idx.length), mean(idx.map((i) => full.probability[i]!)).toFixed(3), mean(idx.map((i) => frequency[i]!)).toFixed(3)];
  });
  const meanGap = mean(frequency.map((f, i) => Math.abs(f - full.probability[i]!)));
  return { rows, meanGap, count: frequency.length };
}

export interface GateStudyResult {
  markdown: string[];
  charts: ChartSpec[];
  /** Facts the conclusions quote. */
  facts: { minTerms: number; maxTerms: number; maxFractional: number; meanGap: number; total: number };
}

export function gateStudy(problem: GateProblem, o: GateStudyOptions): GateStudyResult {
  const stats = gramStats(problem.theta, problem.y, problem.n, problem.p, problem.m);
  const cells = heatMap(stats, o);
  const total = problem.p * problem.m;
  const init = o.dropRates.map((p0) => [String(p0), ...o.lambdas.map((lambda) => mean(Array.from({ length: o.seeds }, (_, s) => fitSummary(stats, lambda, s + 1, DEFAULT_GATE.beta, p0).terms)).toFixed(1))]);
  const cal = calibration(problem, stats, o);
  const lambdaLabel = (l: number): string => l.toExponential(0);
  const chart: ChartSpec = {
    id: 'gates-heatmap',
    title: `Terms kept by the L0 engine, ${problem.name}`,
    spec: {
      width: 420,
      height: 220,
      data: { values: cells.map((c) => ({ lambda: lambdaLabel(c.lambda), beta: c.beta.toFixed(2), terms: c.terms, label: c.terms.toFixed(0) })) },
      encoding: { x: { field: 'lambda', type: 'ordinal', sort: null, title: 'lambda' }, y: { field: 'beta', type: 'ordinal', sort: 'descending', title: 'temperature beta' } },
      layer: [
        { mark: 'rect', encoding: { color: { field: 'terms', type: 'quantitative', title: 'terms', scale: { scheme: 'blues' } } } },
        { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'label' } } },
      ],
    },
    marks: { rect: cells.length },
  };
  const markdown = [
    `Problem: ${problem.name}, ${problem.n} samples, ${total} coefficients (library terms x outputs). Each cell is the mean over ${o.seeds} gate seed(s) of a fit at one lambda (1500 Adam steps, then the least-squares refit of the gates' support, without the engine's final single-term search), initial drop rate 0.5.`,
    '',
    '![Terms kept against lambda and beta](sparsity-gates.svg)',
    '',
    formatTable(['beta', ...o.lambdas.map(lambdaLabel)], o.betas.map((beta) => [beta.toFixed(2), ...o.lambdas.map((lambda) => cells.find((c) => c.beta === beta && c.lambda === lambda)!.terms.toFixed(1))])),
    '',
    'Share of gates that end fractional (0 < z < 1, neither pruned nor fully open), same cells:',
    '',
    formatTable(['beta', ...o.lambdas.map(lambdaLabel)], o.betas.map((beta) => [beta.toFixed(2), ...o.lambdas.map((lambda) => `${(100 * cells.find((c) => c.beta === beta && c.lambda === lambda)!.fractional).toFixed(0)}%`)])),
    '',
    `Terms kept against the initial drop rate (beta ${DEFAULT_GATE.beta.toFixed(2)}):`,
    '',
    formatTable(['drop rate', ...o.lambdas.map(lambdaLabel)], init),
    '',
    `P(z != 0) of the fit on all rows at lambda ${o.calibrationLambda} against how often ${o.bootstraps} bootstrap resamples of the rows keep the same coefficient (same lambda, same gate seed), binned by P:`,
    '',
    formatTable(['P(z != 0)', 'coefficients', 'mean P(z != 0)', 'mean bootstrap inclusion'], cal.rows),
    '',
    `Mean |inclusion frequency - P(z != 0)| over all ${cal.count} coefficients: ${cal.meanGap.toFixed(3)}.`,
  ];
  const terms = cells.map((c) => c.terms);
  return { markdown, charts: [chart], facts: { minTerms: Math.min(...terms), maxTerms: Math.max(...terms), maxFractional: Math.max(...cells.map((c) => c.fractional)), meanGap: cal.meanGap, total } };
}
