/**
 * Cholesky factorisation of a small symmetric positive semi-definite matrix held in a Float64Array,
 * with the ridge rule of solveSpd: a block whose pivots span more than 1e10 is treated as singular
 * and gets the smallest ridge (1e-12, 1e-11, ... times its mean diagonal) that brings it under that
 * bound. Hand-written on typed arrays because the polish factorises thousands of blocks per fit, and
 * a Matrix object per block made that the cost of a whole lambda path (fourier:2:cross, 136 terms).
 */
export interface RidgedCholesky {
  n: number;
  /** Lower triangle, row-major n×n. */
  L: Float64Array;
  ridge: number;
}

/** Factorises A (n×n row-major) + ridge I; undefined when no ridge up to the matrix's scale helps. */
export function choleskyRidged(A: Float64Array, n: number): RidgedCholesky | undefined {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += Math.abs(A[i * n + i]!);
  const scale = Math.max(1e-300, trace / n);
  const L = new Float64Array(n * n);
  for (let ridge = 0; ; ridge = ridge === 0 ? 1e-12 * scale : ridge * 10) {
    if (factorInto(A, n, ridge, L)) return { n, L, ridge };
    if (ridge > scale) return undefined;
  }
}

function factorInto(A: Float64Array, n: number, ridge: number, L: Float64Array): boolean {
  let lo = Infinity;
  let hi = 0;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    for (let i = j; i < n; i++) {
      const ri = i * n;
      let s = A[ri + j]! + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) s -= L[ri + k]! * L[rj + k]!;
      if (i === j) {
        if (!(s > 0)) return false;
        L[rj + j] = Math.sqrt(s);
        lo = Math.min(lo, s);
        hi = Math.max(hi, s);
      } else {
        L[ri + j] = s / L[rj + j]!;
      }
    }
  }
  return lo > 1e-10 * hi;
}

/** Solves (A + ridge I) x = b with the factor. */
export function choleskySolve(f: RidgedCholesky, b: ArrayLike<number>): Float64Array {
  const { n, L } = f;
  const x = Float64Array.from({ length: n }, (_, i) => b[i]!);
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/** z = L^-1 b (forward substitution); z'z = b' (A + ridge I)^-1 b. */
export function choleskyForward(f: RidgedCholesky, b: ArrayLike<number>, z = new Float64Array(f.n)): Float64Array {
  const { n, L } = f;
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * z[k]!;
    z[i] = s / L[i * n + i]!;
  }
  return z;
}

/** The diagonal of (A + ridge I)^-1: column sums of squares of L^-1 (a triangular inverse, n³/6). */
export function choleskyInverseDiagonal(f: RidgedCholesky): Float64Array {
  const { n, L } = f;
  const diag = new Float64Array(n);
  const col = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    // Column c of L^-1: zero above c.
    let sum = 0;
    for (let i = c; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= L[i * n + k]! * col[k]!;
      col[i] = s / L[i * n + i]!;
      sum += col[i]! * col[i]!;
    }
    diag[c] = sum;
  }
  return diag;
}
