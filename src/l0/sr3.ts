import type { GramStats } from './gram.js';
import { standardise } from './fit-gram.js';
import { solveSpdFlat } from './least-squares.js';

/**
 * SR3, sparse relaxed regularised regression (Zheng et al. 2019; Champion et al. 2020), on the Gram
 * statistics in standardised units: per output it alternates
 *   xi <- (G + I / nu)^-1 (B + w / nu)          (the relaxed least-squares step)
 *   w  <- prox(xi)                               (hard threshold sqrt(2 lambda nu) for L0, soft lambda nu for L1)
 * until w stops changing; w is the sparse law. The coefficients are w in original units, refitted by
 * least squares on its support for the L0 variant (the relaxation shrinks nothing there) and as
 * they are for the L1 variant.
 */
export interface Sr3Options {
  lambda: number;
  penalty: 'l0' | 'l1';
  /** Relaxation (default 1). */
  nu?: number;
  maxIterations?: number;
  tolerance?: number;
}

export interface Sr3Fit {
  coefficients: Float64Array;
  support: Uint8Array;
  /** Standardised sparse coefficients w and relaxed ones xi. */
  w: Float64Array;
  xi: Float64Array;
  iterations: number;
}

export function sr3Prox(value: number, lambda: number, nu: number, penalty: 'l0' | 'l1'): number {
  if (penalty === 'l0') return Math.abs(value) > Math.sqrt(2 * lambda * nu) ? value : 0;
  const t = lambda * nu;
  return value > t ? value - t : value < -t ? value + t : 0;
}

export function fitSr3(stats: GramStats, options: Sr3Options): Sr3Fit {
  const { p, m } = stats;
  const st = standardise(stats);
  const nu = options.nu ?? 1;
  const A = Float64Array.from(st.G, (g, i) => g + (i % (p + 1) === 0 ? 1 / nu : 0));
  const w = new Float64Array(p * m);
  const xi = new Float64Array(p * m);
  let iterations = 0;
  for (let k = 0; k < m; k++) {
    const wk = new Float64Array(p);
    for (let it = 0; it < (options.maxIterations ?? 10_000); it++) {
      const rhs = Float64Array.from({ length: p }, (_, j) => st.B[j * m + k]! + wk[j]! / nu);
      const x = solveSpdFlat(A, rhs, p);
      let moved = 0;
      for (let j = 0; j < p; j++) {
        const next = st.colScale[j] === 0 ? 0 : sr3Prox(x[j]!, options.lambda, nu, options.penalty);
        moved = Math.max(moved, Math.abs(next - wk[j]!));
        wk[j] = next;
        xi[j * m + k] = x[j]!;
      }
      iterations = Math.max(iterations, it + 1);
      if (moved <= (options.tolerance ?? 1e-12)) break;
    }
    for (let j = 0; j < p; j++) w[j * m + k] = wk[j]!;
  }
  const support = Uint8Array.from(w, (v) => (v !== 0 ? 1 : 0));
  const coefficients = new Float64Array(p * m);
  for (let j = 0; j < p; j++) for (let k = 0; k < m; k++) if (support[j * m + k]) coefficients[j * m + k] = (w[j * m + k]! * st.outScale[k]!) / st.colScale[j]!;
  return { coefficients, support, w, xi, iterations };
}
