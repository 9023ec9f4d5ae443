import { SparselawError } from '../errors.js';
import type { GramStats } from './gram.js';
import { fitGram } from './fit-gram.js';
import type { GateShape } from './hard-concrete.js';
import { fitLasso, lassoLambdaMax } from './lasso.js';
import { fitStlsq } from './stlsq.js';
import { fitSr3 } from './sr3.js';
import { fitMagnitude } from './magnitude.js';
import { refitLeastSquares } from './least-squares.js';

/**
 * The sparsity methods beside L0, on the same Gram statistics and the same standardisation: each
 * is a fit at one level of its own knob (L0 and L1: lambda; STLSQ: the threshold) and a grid of
 * levels from dense to empty for the path, so discovery selects among their laws by one rule.
 */
export const SPARSITY_METHODS = ['l0', 'l1', 'adaptive-l1', 'stlsq', 'sr3-l0', 'sr3-l1', 'magnitude'] as const;
export type SparsityMethod = (typeof SPARSITY_METHODS)[number];

export function parseSparsityMethod(value: string): SparsityMethod {
  if ((SPARSITY_METHODS as readonly string[]).includes(value)) return value as SparsityMethod;
  throw new SparselawError(`--method: unknown method "${value}"; expected one of ${SPARSITY_METHODS.join(', ')}`);
}

/** What each method's level means, for messages and documents. */
export const METHOD_LEVEL: Record<SparsityMethod, string> = {
  l0: 'lambda (L0 penalty per expected term)',
  l1: 'lambda (L1 penalty, standardised units)',
  'adaptive-l1': 'lambda (weighted L1 penalty, standardised units)',
  stlsq: 'threshold (standardised coefficient magnitude)',
  'sr3-l0': 'lambda (SR3 with an L0 penalty, relaxation nu = 1)',
  'sr3-l1': 'lambda (SR3 with an L1 penalty, relaxation nu = 1)',
  magnitude: 'threshold (standardised magnitude in the dense least-squares fit)',
};

export interface MethodFit {
  coefficients: Float64Array;
  support: Uint8Array;
  /** State to warm-start the next level of a path from. */
  warm?: Float64Array;
}

export function fitMethod(method: Exclude<SparsityMethod, 'l0'>, train: GramStats, level: number, warm?: Float64Array): MethodFit {
  switch (method) {
    case 'l1':
    case 'adaptive-l1': {
      const fit = fitLasso(train, { lambda: level, adaptive: method === 'adaptive-l1', ...(warm ? { warmStart: warm } : {}) });
      return { coefficients: fit.coefficients, support: fit.support, warm: fit.xi };
    }
    case 'stlsq': {
      const fit = fitStlsq(train, level);
      return { coefficients: fit.coefficients, support: fit.support };
    }
    case 'sr3-l0':
    case 'sr3-l1': {
      const penalty = method === 'sr3-l0' ? 'l0' : 'l1';
      const fit = fitSr3(train, { lambda: level, penalty });
      // The L0 prox shrinks nothing, so its law is the least-squares fit on the support it chose.
      return { coefficients: penalty === 'l0' ? refitLeastSquares(train, fit.support) : fit.coefficients, support: fit.support };
    }
    case 'magnitude':
      return fitMagnitude(train, level);
  }
}

/** The levels a path visits, from the densest law to the sparsest, in the order fits warm-start best. */
export function methodLevels(method: Exclude<SparsityMethod, 'l0'>, train: GramStats, count: number): number[] {
  const grid = (lo: number, hi: number) => Array.from({ length: count }, (_, i) => Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / Math.max(1, count - 1)));
  if (method === 'stlsq' || method === 'magnitude') return grid(1e-4, 1);
  if (method === 'sr3-l0') return grid(1e-8, 0.5);
  if (method === 'sr3-l1') return grid(1e-6, 1).reverse();
  const max = lassoLambdaMax(train, method === 'adaptive-l1') || 1;
  // From the empty law's lambda down: each fit warm-starts from the sparser one before it.
  return grid(max * 1e-6, max).reverse();
}

/** A single fit of any method at a given level (discover with a fixed --lambda). */
export function fitAtLevel(method: SparsityMethod, train: GramStats, level: number, seed: number, gate?: GateShape): Float64Array {
  return method === 'l0' ? fitGram(train, { lambda: level, seed, ...(gate ? { gate } : {}) }).coefficients : fitMethod(method, train, level).coefficients;
}
