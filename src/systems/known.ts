import { sampleTrajectory, type Rhs } from './rk4.js';
import { lorenzRhs, lorenzTrueTerms, LORENZ_CLASSIC } from './lorenz.js';

/**
 * A dynamical system with a known sparse polynomial law, for checking continuous-time discovery.
 * `trueTerms[k]` maps term names, as the polynomial library prints them, to the coefficients of
 * the k-th state's derivative.
 */
export interface KnownSystem {
  name: string;
  states: readonly string[];
  rhs: Rhs;
  trueTerms: Map<string, number>[];
  /** Smallest library spec that contains the law. */
  library: string;
  initial: readonly number[];
  dt: number;
  tEnd: number;
}

export const LORENZ: KnownSystem = {
  name: 'Lorenz (sigma 10, rho 28, beta 8/3)',
  states: ['x', 'y', 'z'],
  rhs: lorenzRhs(LORENZ_CLASSIC),
  trueTerms: lorenzTrueTerms(LORENZ_CLASSIC),
  library: 'poly:2',
  initial: [-8, 8, 27],
  dt: 0.002,
  tEnd: 10,
};

/** Rössler (a = b = 0.2, c = 5.7): needs the constant term, which Lorenz does not. */
export const ROSSLER: KnownSystem = {
  name: 'Rossler (a 0.2, b 0.2, c 5.7)',
  states: ['x', 'y', 'z'],
  rhs: (_t, s, out) => {
    out[0] = -s[1]! - s[2]!;
    out[1] = s[0]! + 0.2 * s[1]!;
    out[2] = 0.2 + s[2]! * (s[0]! - 5.7);
  },
  trueTerms: [
    new Map([
      ['y', -1],
      ['z', -1],
    ]),
    new Map([
      ['x', 1],
      ['y', 0.2],
    ]),
    new Map([
      ['1', 0.2],
      ['z', -5.7],
      ['x * z', 1],
    ]),
  ],
  library: 'poly:2',
  initial: [1, 1, 0],
  dt: 0.01,
  tEnd: 100,
};

/** Van der Pol (mu = 1): a limit cycle with a cubic term. */
export const VAN_DER_POL: KnownSystem = {
  name: 'Van der Pol (mu 1)',
  states: ['x', 'y'],
  rhs: (_t, s, out) => {
    out[0] = s[1]!;
    out[1] = (1 - s[0]! * s[0]!) * s[1]! - s[0]!;
  },
  trueTerms: [
    new Map([['y', 1]]),
    new Map([
      ['x', -1],
      ['y', 1],
      ['x^2 * y', -1],
    ]),
  ],
  library: 'poly:3',
  initial: [2, 0],
  dt: 0.01,
  tEnd: 30,
};

export const KNOWN_SYSTEMS: readonly KnownSystem[] = [LORENZ, ROSSLER, VAN_DER_POL];

/** Samples the system from its default initial state (RK4, 10 substeps per sample). */
export function simulate(system: KnownSystem, options: { tEnd?: number; dt?: number } = {}): { t: Float64Array; states: Float64Array[] } {
  return sampleTrajectory(system.rhs, system.initial, { dt: options.dt ?? system.dt, tEnd: options.tEnd ?? system.tEnd });
}
