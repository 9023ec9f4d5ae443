import { Rng } from '../util/rng.js';

/**
 * Adds Gaussian measurement noise of standard deviation `level` times the series' own standard
 * deviation (level 0.05 = "5% noise"), from a seeded stream so the same seed gives the same noise.
 * Several series share one stream, in order, so each gets independent noise.
 */
export function addRelativeNoise(series: readonly Float64Array[], level: number, seed: number): Float64Array[] {
  const rng = Rng.seeded(seed);
  return series.map((x) => {
    const n = x.length;
    const mean = x.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    return Float64Array.from(x, (v) => v + level * sd * rng.normal());
  });
}
