import type { GramStats } from './gram.js';
import { mseFromStats } from './gram.js';
import { fitGram, type SparseFit } from './fit-gram.js';
import type { GateShape } from './hard-concrete.js';
import { fitMethod, methodLevels, type SparsityMethod } from './methods.js';

export interface LambdaPathOptions {
  lambdas?: readonly number[];
  /** Grid size when lambdas is not given (default 20). */
  count?: number;
  /** Grid ends, in normalised units (fraction of an output's variance; default 1e-7 and 1e-1). */
  lambdaMin?: number;
  lambdaMax?: number;
  /** Relative tolerance of the selection rule (default 0.1). */
  tolerance?: number;
  seed: number;
  /** The L0 gates' temperature and stretch (default: Louizos et al.'s). */
  gate?: GateShape;
  /** The sparsity method whose levels the path visits (default l0). */
  method?: SparsityMethod;
  onPoint?: (done: number, total: number) => void;
}

export interface FrontPoint {
  lambda: number;
  /** Surviving terms per output. */
  terms: number[];
  trainMse: Float64Array;
  validMse: Float64Array;
  coefficients: Float64Array;
  support: Uint8Array;
}

export interface LambdaPath {
  points: FrontPoint[];
  /** Index of the chosen point for each output. */
  selected: number[];
  /** The chosen law: for each output, the coefficients of its selected point. */
  coefficients: Float64Array;
  support: Uint8Array;
  rule: string;
}

/** Smallest share of an output's held-out variance a term must explain to be worth keeping. */
const RESOLUTION = 1e-5;

export const SELECTION_RULE =
  'per output, the sparsest law on the path whose validation MSE is within (1 + tolerance) times the best validation MSE on the path plus 1e-5 of the output variance (a term must explain at least that share of held-out variance); ties go to the lower validation MSE';

export function logGrid(min: number, max: number, count: number): number[] {
  if (count === 1) return [max];
  return Array.from({ length: count }, (_, i) => Math.exp(Math.log(min) + ((Math.log(max) - Math.log(min)) * i) / (count - 1)));
}

/**
 * Fits along a log grid of lambda (warm-started from small to large lambda), keeps every point of
 * the (terms, validation MSE) front, and selects one law per output with SELECTION_RULE.
 */
function frontPoint(train: GramStats, valid: GramStats, lambda: number, coefficients: Float64Array, support: Uint8Array): FrontPoint {
  const { p, m } = train;
  const terms = Array.from({ length: m }, (_, k) => {
    let c = 0;
    for (let j = 0; j < p; j++) c += support[j * m + k]!;
    return c;
  });
  return { lambda, terms, trainMse: mseFromStats(train, coefficients), validMse: mseFromStats(valid, coefficients), coefficients, support };
}

function l0Points(train: GramStats, valid: GramStats, lambdas: readonly number[], options: LambdaPathOptions): FrontPoint[] {
  const points: FrontPoint[] = [];
  let previous: SparseFit | undefined;
  for (const [i, lambda] of [...lambdas].sort((a, b) => a - b).entries()) {
    const fit = fitGram(train, {
      lambda,
      seed: options.seed + i,
      steps: previous ? 400 : 1000,
      ...(options.gate ? { gate: options.gate } : {}),
      warmStart: previous ? { xi: previous.xi, logAlpha: previous.logAlpha } : undefined,
    });
    previous = fit;
    points.push(frontPoint(train, valid, lambda, fit.coefficients, fit.support));
    options.onPoint?.(i + 1, lambdas.length);
  }
  return points;
}

function methodPoints(method: Exclude<SparsityMethod, 'l0'>, train: GramStats, valid: GramStats, options: LambdaPathOptions): FrontPoint[] {
  const levels = options.lambdas ?? methodLevels(method, train, options.count ?? 20);
  let warm: Float64Array | undefined;
  return levels.map((level, i) => {
    const fit = fitMethod(method, train, level, warm);
    warm = fit.warm;
    options.onPoint?.(i + 1, levels.length);
    return frontPoint(train, valid, level, fit.coefficients, fit.support);
  });
}

export function lambdaPath(train: GramStats, valid: GramStats, options: LambdaPathOptions): LambdaPath {
  const { p, m } = train;
  const lambdas = options.lambdas ?? logGrid(options.lambdaMin ?? 1e-7, options.lambdaMax ?? 1e-1, options.count ?? 20);
  const tol = options.tolerance ?? 0.1;
  const points = options.method && options.method !== 'l0' ? methodPoints(options.method, train, valid, options) : l0Points(train, valid, lambdas, options);
  const selected = Array.from({ length: m }, (_, k) => {
    const variance = Math.max(valid.yy[k]! - valid.yMean[k]! ** 2, 0) || valid.yy[k]! || 1;
    const best = Math.min(...points.map((pt) => pt.validMse[k]!));
    const bound = best * (1 + tol) + RESOLUTION * variance;
    let choice = -1;
    points.forEach((pt, i) => {
      if (pt.validMse[k]! > bound) return;
      if (choice < 0) {
        choice = i;
        return;
      }
      const c = points[choice]!;
      if (pt.terms[k]! < c.terms[k]! || (pt.terms[k] === c.terms[k] && pt.validMse[k]! < c.validMse[k]!)) choice = i;
    });
    return choice;
  });
  const coefficients = new Float64Array(p * m);
  const support = new Uint8Array(p * m);
  selected.forEach((s, k) => {
    for (let j = 0; j < p; j++) {
      coefficients[j * m + k] = points[s]!.coefficients[j * m + k]!;
      support[j * m + k] = points[s]!.support[j * m + k]!;
    }
  });
  return { points, selected, coefficients, support, rule: SELECTION_RULE.replace('tolerance', String(tol)) };
}
