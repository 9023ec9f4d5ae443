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

export function solveSpd(A: number[][], b: number[]): number[] {
  const n = b.length;
  const scale = Math.max(1e-300, A.reduce((s, row, i) => s + Math.abs(row[i]!), 0) / n);
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-12 * scale : ridge * 100) {
    const M = new Matrix(A.map((row, i) => row.map((v, j) => (i === j ? v + ridge : v))));
    const chol = new CholeskyDecomposition(M);
    if (chol.isPositiveDefinite()) {
      const x = chol.solve(Matrix.columnVector(b)).getColumn(0);
      if (x.every(Number.isFinite)) return x;
    }
    if (ridge > scale) return new Array<number>(n).fill(0);
  }
}
