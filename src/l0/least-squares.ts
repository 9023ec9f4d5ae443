import { Matrix, CholeskyDecomposition } from 'ml-matrix';
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
  const scale = Math.max(1e-300, A.reduce((s, row, i) => s + Math.abs(row[i]!), 0) / n);
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-12 * scale : ridge * 10) {
    const M = new Matrix(A.map((row, i) => row.map((v, j) => (i === j ? v + ridge : v))));
    const chol = new CholeskyDecomposition(M);
    if (chol.isPositiveDefinite() && wellConditioned(chol.lowerTriangularMatrix, n)) {
      const x = chol.solve(Matrix.columnVector(b)).getColumn(0);
      if (x.every(Number.isFinite)) return x;
    }
    if (ridge > scale) return new Array<number>(n).fill(0);
  }
}

function wellConditioned(L: Matrix, n: number): boolean {
  let lo = Infinity;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const d = L.get(i, i) ** 2;
    lo = Math.min(lo, d);
    hi = Math.max(hi, d);
  }
  return lo > 1e-10 * hi;
}
