import type { GramStats } from './gram.js';
import { standardise } from './fit-gram.js';
import { refitLeastSquares } from './least-squares.js';

/**
 * Magnitude pruning of a dense fit: least squares over the whole library, then every coefficient
 * whose standardised magnitude is below the threshold is dropped at once and the rest refitted
 * (one step of STLSQ, the baseline every iterative method should beat).
 */
export function fitMagnitude(stats: GramStats, threshold: number): { coefficients: Float64Array; support: Uint8Array } {
  const { p, m } = stats;
  const st = standardise(stats);
  const all = new Uint8Array(p * m);
  for (let j = 0; j < p; j++) if (st.colScale[j]! > 0) for (let k = 0; k < m; k++) all[j * m + k] = 1;
  const dense = refitLeastSquares(stats, all);
  const support = Uint8Array.from(all, (s, i) => (s && Math.abs((dense[i]! * st.colScale[Math.floor(i / m)]!) / st.outScale[i % m]!) >= threshold ? 1 : 0));
  return { coefficients: refitLeastSquares(stats, support), support };
}
