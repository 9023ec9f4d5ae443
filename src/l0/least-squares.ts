import { choleskyRidged, choleskySolve } from './cholesky.js';
import type { GramStats } from './gram.js';

/**
 * Least squares restricted to a support, from the Gram statistics: solves G[S,S] w = B[S,k] per
 * output. A singular block (collinear survivors) gets the smallest ridge that makes it positive
 * definite, so the refit still returns finite coefficients.
 */
export function refitLeastSquares(stats: GramStats, support: Uint8Array): Float64Array {
  const { p, m, G, B } = stats;
  const W = new Float64Array(p * m);
  for (let k = 0; k < m; k++) {
    const idx: number[] = [];
    for (let i = 0; i < p; i++) if (support[i * m + k]) idx.push(i);
    if (idx.length === 0) continue;
    const w = solveSpd(
      idx.map((i) => idx.map((j) => G[i * p + j]!)),
      idx.map((i) => B[i * m + k]!),
    );
    idx.forEach((i, a) => (W[i * m + k] = w[a]!));
  }
  return W;
}

/**
 * Solves A x = b for a symmetric positive semi-definite A. A block whose Cholesky pivots span more
 * than 1e10 (condition number above ~1e10) is treated as singular: near-collinear terms (cos^2 +
 * sin^2 = 1 up to float32 rounding) would otherwise get huge cancelling coefficients whose
 * rounding errors swamp the fit. The smallest ridge that brings it under that bound is used.
 */
export function solveSpd(A: number[][], b: number[]): number[] {
  const n = b.length;
  const flat = new Float64Array(n * n);
  A.forEach((row, i) => row.forEach((v, j) => (flat[i * n + j] = v)));
  return Array.from(solveSpdFlat(flat, b, n));
}

/** solveSpd on a row-major Float64Array (no per-call matrix objects). */
export function solveSpdFlat(A: Float64Array, b: ArrayLike<number>, n: number): Float64Array {
  const f = choleskyRidged(A, n);
  if (!f) return new Float64Array(n);
  const x = choleskySolve(f, b);
  return x.every(Number.isFinite) ? x : new Float64Array(n);
}
