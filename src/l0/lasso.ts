import type { GramStats } from './gram.js';
import { initialXi, standardise, type Standardised } from './fit-gram.js';

/**
 * The Lasso on the Gram statistics, by cyclic coordinate descent in standardised units (columns by
 * their RMS, outputs by their standard deviation, as the L0 engine): per output k it minimises
 * 1/2 (xi' G xi - 2 B_k' xi + yy_k) + lambda * sum_j w_j |xi_j|, with w = 1 (Lasso) or, for the
 * adaptive Lasso (Zou 2006), w_j = 1 / |xi_ls_j| from the least-squares fit. Warm starts make a path
 * cheap. Coefficients are returned in original units and are not refitted (they are the Lasso's).
 */
export interface LassoOptions {
  lambda: number;
  adaptive?: boolean;
  /** Standardised coefficients to start from (p×m). */
  warmStart?: Float64Array;
  /** Stop when no coordinate moves by more than this (default 1e-10). */
  tolerance?: number;
  maxSweeps?: number;
}

export interface LassoFit {
  coefficients: Float64Array;
  support: Uint8Array;
  /** Standardised coefficients (for warm starts and the optimality check). */
  xi: Float64Array;
  sweeps: number;
}

const soft = (z: number, t: number): number => (z > t ? z - t : z < -t ? z + t : 0);

/** Penalty weights: 1, or 1 / |least squares| for the adaptive Lasso (a column never fitted gets an infinite weight). */
export function lassoWeights(st: Standardised, p: number, m: number, adaptive: boolean): Float64Array {
  if (!adaptive) return new Float64Array(p * m).fill(1);
  const ls = initialXi(st, p, m);
  return Float64Array.from(ls, (x) => (x === 0 ? Infinity : 1 / Math.abs(x)));
}

export function fitLasso(stats: GramStats, options: LassoOptions): LassoFit {
  const { p, m } = stats;
  const st = standardise(stats);
  const w = lassoWeights(st, p, m, options.adaptive ?? false);
  const xi = options.warmStart ? Float64Array.from(options.warmStart) : new Float64Array(p * m);
  const tol = options.tolerance ?? 1e-10;
  const maxSweeps = options.maxSweeps ?? 10_000;
  let sweeps = 0;
  for (let k = 0; k < m; k++) {
    // r_j = B_jk - sum_i G_ji xi_ik, kept up to date as coordinates move.
    const r = Float64Array.from({ length: p }, (_, j) => {
      let s = st.B[j * m + k]!;
      for (let i = 0; i < p; i++) s -= st.G[j * p + i]! * xi[i * m + k]!;
      return s;
    });
    for (let sweep = 0; sweep < maxSweeps; sweep++) {
      let moved = 0;
      for (let j = 0; j < p; j++) {
        const gjj = st.G[j * p + j]!;
        if (gjj === 0) continue;
        const old = xi[j * m + k]!;
        const value = soft(r[j]! + gjj * old, options.lambda * w[j * m + k]!) / gjj;
        const delta = value - old;
        if (delta === 0) continue;
        xi[j * m + k] = value;
        for (let i = 0; i < p; i++) r[i] = r[i]! - st.G[i * p + j]! * delta;
        moved = Math.max(moved, Math.abs(delta));
      }
      sweeps = Math.max(sweeps, sweep + 1);
      if (moved <= tol) break;
    }
  }
  const coefficients = new Float64Array(p * m);
  const support = new Uint8Array(p * m);
  for (let j = 0; j < p; j++)
    for (let k = 0; k < m; k++) {
      const i = j * m + k;
      if (xi[i] !== 0) {
        support[i] = 1;
        coefficients[i] = (xi[i]! * st.outScale[k]!) / st.colScale[j]!;
      }
    }
  return { coefficients, support, xi, sweeps };
}

/** The smallest lambda at which every coefficient is zero (standardised units, weights applied). */
export function lassoLambdaMax(stats: GramStats, adaptive = false): number {
  const { p, m } = stats;
  const st = standardise(stats);
  const w = lassoWeights(st, p, m, adaptive);
  let max = 0;
  for (let j = 0; j < p; j++) for (let k = 0; k < m; k++) if (Number.isFinite(w[j * m + k]!)) max = Math.max(max, Math.abs(st.B[j * m + k]!) / w[j * m + k]!);
  return max;
}
