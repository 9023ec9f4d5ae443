import { SparselawError } from '../errors.js';

/**
 * Sufficient statistics of a linear-in-parameters least-squares problem: the mean squared error of
 * any coefficient matrix W is tr(W'GW) - 2 tr(W'B) + sum(yy), so after one pass over the data every
 * optimisation step costs O(p^2 m), independent of the number of samples.
 */
export interface GramStats {
  readonly n: number;
  readonly p: number;
  readonly m: number;
  /** p×p row-major, Θ'Θ / n. */
  readonly G: Float64Array;
  /** p×m row-major, Θ'Y / n. */
  readonly B: Float64Array;
  /** m, mean of y². */
  readonly yy: Float64Array;
  /** m, mean of y. */
  readonly yMean: Float64Array;
}

/** Accumulates the statistics over row chunks, so the data never has to be held at once. */
export class GramAccumulator {
  private readonly g: Float64Array;
  private readonly b: Float64Array;
  private readonly yy: Float64Array;
  private readonly ys: Float64Array;
  private n = 0;

  constructor(
    readonly p: number,
    readonly m: number,
  ) {
    this.g = new Float64Array(p * p);
    this.b = new Float64Array(p * m);
    this.yy = new Float64Array(m);
    this.ys = new Float64Array(m);
  }

  /** theta: rows×p row-major; y: rows×m row-major. */
  add(theta: Float64Array, y: Float64Array, rows: number): void {
    this.accumulate(theta, y, rows, 1);
  }

  /** Takes rows back out (they were added before): the sums are exact, so this is cheap trimming. */
  remove(theta: Float64Array, y: Float64Array, rows: number): void {
    this.accumulate(theta, y, rows, -1);
  }

  private accumulate(theta: Float64Array, y: Float64Array, rows: number, sign: 1 | -1): void {
    const { p, m, g, b } = this;
    if (theta.length < rows * p || y.length < rows * m) {
      throw new SparselawError(`chunk of ${rows} rows needs ${rows * p} library values and ${rows * m} targets`);
    }
    for (let r = 0; r < rows; r++) {
      const t0 = r * p;
      const y0 = r * m;
      for (let i = 0; i < p; i++) {
        const ti = sign * theta[t0 + i]!;
        if (ti === 0) continue;
        const gi = i * p;
        // Upper triangle only; mirrored in stats().
        for (let j = i; j < p; j++) g[gi + j]! += ti * theta[t0 + j]!;
        for (let k = 0; k < m; k++) b[i * m + k]! += ti * y[y0 + k]!;
      }
      for (let k = 0; k < m; k++) {
        const v = y[y0 + k]!;
        this.yy[k]! += sign * v * v;
        this.ys[k]! += sign * v;
      }
    }
    this.n += sign * rows;
  }

  stats(): GramStats {
    const { p, m, n } = this;
    if (n === 0) throw new SparselawError('no data rows');
    const G = new Float64Array(p * p);
    for (let i = 0; i < p; i++)
      for (let j = i; j < p; j++) {
        const v = this.g[i * p + j]! / n;
        G[i * p + j] = v;
        G[j * p + i] = v;
      }
    return {
      n,
      p,
      m,
      G,
      B: this.b.map((v) => v / n),
      yy: this.yy.map((v) => v / n),
      yMean: this.ys.map((v) => v / n),
    };
  }
}

export function gramStats(theta: Float64Array, y: Float64Array, n: number, p: number, m: number): GramStats {
  const acc = new GramAccumulator(p, m);
  acc.add(theta, y, n);
  return acc.stats();
}

/** Exact per-output mean squared error of coefficients W (p×m) from the statistics. */
export function mseFromStats(s: GramStats, W: Float64Array): Float64Array {
  const { p, m, G, B } = s;
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let quad = 0;
    let lin = 0;
    for (let i = 0; i < p; i++) {
      const wi = W[i * m + k]!;
      if (wi === 0) continue;
      lin += wi * B[i * m + k]!;
      let gw = 0;
      for (let j = 0; j < p; j++) gw += G[i * p + j]! * W[j * m + k]!;
      quad += wi * gw;
    }
    // Cancellation can leave a tiny negative number for an exact fit.
    out[k] = Math.max(0, quad - 2 * lin + s.yy[k]!);
  }
  return out;
}
