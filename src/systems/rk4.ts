import { SparselawError } from '../errors.js';

/** Right-hand side dy/dt = f(t, y), writing into `out` (no allocation per call). */
export type Rhs = (t: number, y: Float64Array, out: Float64Array) => void;

export interface SampleOptions {
  /** Sampling interval of the returned trajectory. */
  dt: number;
  /** Final time; samples at t0 + i dt for i = 0 .. round((tEnd - t0) / dt). */
  tEnd: number;
  t0?: number;
  /** Classic RK4 steps per sample interval (default 10). */
  substeps?: number;
}

/**
 * Integrates with classic RK4 on a fine grid (dt / substeps) and records every `dt`. RK4's global
 * error scales as (dt / substeps)^4, so ten substeps at dt = 0.002 put it near rounding level;
 * sample times are computed as t0 + i dt (not accumulated) so the grid is uniform to the last bit.
 */
export function sampleTrajectory(f: Rhs, y0: readonly number[], options: SampleOptions): { t: Float64Array; states: Float64Array[] } {
  const { dt, tEnd } = options;
  const t0 = options.t0 ?? 0;
  const substeps = options.substeps ?? 10;
  if (!(dt > 0) || !(tEnd > t0)) throw new SparselawError(`need dt > 0 and tEnd > t0, got dt = ${dt}, t0 = ${t0}, tEnd = ${tEnd}`);
  if (!Number.isInteger(substeps) || substeps < 1) throw new SparselawError(`substeps must be a positive integer, got ${substeps}`);
  const d = y0.length;
  const count = Math.round((tEnd - t0) / dt) + 1;
  const t = Float64Array.from({ length: count }, (_, i) => t0 + i * dt);
  const states = Array.from({ length: d }, () => new Float64Array(count));
  const y = Float64Array.from(y0);
  const [k1, k2, k3, k4, tmp] = Array.from({ length: 5 }, () => new Float64Array(d));
  const h = dt / substeps;
  for (let i = 0; i < count; i++) {
    for (let s = 0; s < d; s++) states[s]![i] = y[s]!;
    if (i === count - 1) break;
    for (let k = 0; k < substeps; k++) {
      const tk = t[i]! + k * h;
      f(tk, y, k1!);
      for (let s = 0; s < d; s++) tmp![s] = y[s]! + 0.5 * h * k1![s]!;
      f(tk + 0.5 * h, tmp!, k2!);
      for (let s = 0; s < d; s++) tmp![s] = y[s]! + 0.5 * h * k2![s]!;
      f(tk + 0.5 * h, tmp!, k3!);
      for (let s = 0; s < d; s++) tmp![s] = y[s]! + h * k3![s]!;
      f(tk + h, tmp!, k4!);
      for (let s = 0; s < d; s++) y[s]! += (h / 6) * (k1![s]! + 2 * k2![s]! + 2 * k3![s]! + k4![s]!);
    }
    if (!y.every(Number.isFinite)) throw new SparselawError(`the trajectory diverged before t = ${t[i + 1]}`);
  }
  return { t, states };
}
