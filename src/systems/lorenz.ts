import { sampleTrajectory, type Rhs } from './rk4.js';

export interface LorenzParameters {
  sigma: number;
  rho: number;
  beta: number;
}

/** The classic chaotic parameters. */
export const LORENZ_CLASSIC: LorenzParameters = { sigma: 10, rho: 28, beta: 8 / 3 };

/** dx = sigma (y - x), dy = x (rho - z) - y, dz = x y - beta z. */
export function lorenzRhs(p: LorenzParameters = LORENZ_CLASSIC): Rhs {
  return (_t, s, out) => {
    const [x, y, z] = [s[0]!, s[1]!, s[2]!];
    out[0] = p.sigma * (y - x);
    out[1] = x * (p.rho - z) - y;
    out[2] = x * y - p.beta * z;
  };
}

/**
 * The sparse law in library-term form: for each output, term name -> coefficient, with term names
 * as printed by the polynomial library (x, y, z, x * z, x * y).
 */
export function lorenzTrueTerms(p: LorenzParameters = LORENZ_CLASSIC): Map<string, number>[] {
  return [
    new Map([
      ['x', -p.sigma],
      ['y', p.sigma],
    ]),
    new Map([
      ['x', p.rho],
      ['y', -1],
      ['x * z', -1],
    ]),
    new Map([
      ['x * y', 1],
      ['z', -p.beta],
    ]),
  ];
}

export interface LorenzOptions {
  parameters?: LorenzParameters;
  initial?: readonly [number, number, number];
  dt?: number;
  tEnd?: number;
  substeps?: number;
}

/** A Lorenz trajectory sampled every dt (default 0.002) on [0, tEnd] (default 10) from (-8, 8, 27). */
export function lorenzTrajectory(options: LorenzOptions = {}): { t: Float64Array; x: Float64Array; y: Float64Array; z: Float64Array } {
  const { t, states } = sampleTrajectory(lorenzRhs(options.parameters), options.initial ?? [-8, 8, 27], {
    dt: options.dt ?? 0.002,
    tEnd: options.tEnd ?? 10,
    substeps: options.substeps ?? 10,
  });
  return { t, x: states[0]!, y: states[1]!, z: states[2]! };
}
