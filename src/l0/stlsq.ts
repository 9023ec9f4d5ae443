import type { GramStats } from './gram.js';
import { refitLeastSquares } from './least-squares.js';
import { standardise } from './fit-gram.js';

/**
 * Sequential thresholded least squares (SINDy's STLSQ, Brunton et al. 2016) on the Gram statistics:
 * least squares on the support, drop every coefficient whose standardised magnitude (coefficient
 * times column RMS over output standard deviation) is below the threshold, refit, until the support
 * stops changing. The result is a fixed point: refitting its support drops nothing more.
 */
export interface StlsqFit {
  coefficients: Float64Array;
  support: Uint8Array;
  iterations: number;
}

export function fitStlsq(stats: GramStats, threshold: number, maxIterations = 50): StlsqFit {
  const { p, m } = stats;
  const st = standardise(stats);
  let support = new Uint8Array(p * m);
  for (let j = 0; j < p; j++) if (st.colScale[j]! > 0) for (let k = 0; k < m; k++) support[j * m + k] = 1;
  let coefficients = refitLeastSquares(stats, support);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const next = Uint8Array.from(support, (s, i) => {
      const j = Math.floor(i / m);
      const k = i % m;
      return s && Math.abs((coefficients[i]! * st.colScale[j]!) / st.outScale[k]!) >= threshold ? 1 : 0;
    });
    if (next.every((s, i) => s === support[i])) break;
    support = next;
    coefficients = refitLeastSquares(stats, support);
  }
  return { coefficients, support, iterations };
}

