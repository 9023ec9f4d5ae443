import { SparselawError } from '../../errors.js';
import type { EnvModuleSource } from '../../envs/module-env.js';
import { getEnvEntry, type EnvEntry, type EnvSearchDefaults } from '../../envs/index.js';

/** Settings of the derivative-free sparse policy search (JSON: stored in checkpoints and summary.json). */
export interface SearchConfig {
  algo: 'es';
  env: string;
  /** The module a user's environment was loaded from (its path and SHA-256), when it came from one. */
  envModule?: EnvModuleSource;
  envOptions: Record<string, number>;
  /** Fixed parameters for every training episode; otherwise each reset draws them. */
  parameters?: number[];
  observeParameters: boolean;
  /** Library spec of the law (poly:3, fourier:1, custom{...}, sums). */
  policy: string;
  /** Return a term must earn to stay: the L0 penalty per expected non-zero gate, in units of the episode return. */
  lambda: number;
  iterations: number;
  /** Random directions per iteration, each tried with both signs. */
  directions: number;
  /** The update uses the best `top` directions (by the better of their two returns). */
  top: number;
  /** Perturbation of the coefficients (in units of normalised features). */
  sigma: number;
  /** Perturbations and steps of the gates' logAlpha are this many times those of the coefficients. */
  gateScale: number;
  /** Adam step of the coefficients. */
  step: number;
  /** Episodes per candidate and iteration (every candidate meets the same resets). */
  episodes: number;
  /** Training episodes stop after this many steps (absent: the environment's limit); evaluations run in full. */
  horizon?: number;
  /** After this iteration the gates are frozen at exactly 0 or 1 and only the survivors' coefficients move. */
  hardenAt: number;
  /** At hardening keep at most this many terms (the most open gates). */
  maxTerms?: number;
  gateInitDropRate: number;
  /** Divide each library term by its running RMS over the visited states (frozen within an iteration). */
  normalize: boolean;
  /** 'rank': centred ranks of the returns; 'none': the returns themselves. */
  shaping: 'rank' | 'none';
  /** Evaluate the centre law on the environment's default protocol every this many iterations. */
  evalEvery: number;
  seed: number;
}

export const SEARCH_DEFAULTS = {
  directions: 16,
  top: 8,
  sigma: 0.05,
  gateScale: 20,
  step: 0.02,
  episodes: 4,
  gateInitDropRate: 0.2,
  normalize: true,
  shaping: 'none' as const,
};

/** Names the first setting that cannot work, before any rollout runs. */
export function checkSearchConfig(c: SearchConfig): void {
  const bad = (what: string): never => {
    throw new SparselawError(`--algo es: ${what}`);
  };
  if (!(Number.isInteger(c.iterations) && c.iterations >= 1)) bad(`iterations must be a positive integer, got ${c.iterations}`);
  if (!(Number.isInteger(c.directions) && c.directions >= 1)) bad(`directions must be a positive integer, got ${c.directions}`);
  if (!(Number.isInteger(c.top) && c.top >= 1 && c.top <= c.directions)) bad(`top must be an integer in [1, directions = ${c.directions}], got ${c.top}`);
  if (!(c.sigma > 0) || !(c.step > 0) || !(c.gateScale > 0)) bad('sigma, step and gate scale must be > 0');
  if (!(c.lambda >= 0)) bad(`lambda must be >= 0, got ${c.lambda}`);
  if (!(Number.isInteger(c.episodes) && c.episodes >= 1)) bad(`episodes per candidate must be a positive integer, got ${c.episodes}`);
  if (c.horizon !== undefined && !(Number.isInteger(c.horizon) && c.horizon >= 1)) bad(`horizon must be a positive integer, got ${c.horizon}`);
  if (!(Number.isInteger(c.hardenAt) && c.hardenAt >= 0 && c.hardenAt <= c.iterations)) bad(`the hardening iteration must be in [0, ${c.iterations}], got ${c.hardenAt}`);
  if (c.maxTerms !== undefined && !(Number.isInteger(c.maxTerms) && c.maxTerms >= 1)) bad(`max terms must be a positive integer, got ${c.maxTerms}`);
  if (!(c.gateInitDropRate > 0 && c.gateInitDropRate < 1)) bad(`the gates' initial drop rate must be in (0, 1), got ${c.gateInitDropRate}`);
  if (!(Number.isInteger(c.evalEvery) && c.evalEvery >= 1)) bad(`eval-every must be a positive integer, got ${c.evalEvery}`);
}

/** Per-environment defaults of the search: the entry's own (chosen by measurement), else generic ones. */
export type SearchEnvDefaults = EnvSearchDefaults;

export function searchDefaultsFor(env: string | EnvEntry): SearchEnvDefaults {
  return getEnvEntry(env).searchDefaults ?? { policy: 'poly:1', lambda: 1, iterations: 300, step: 0.02, rollouts: 2, evalEvery: 25 };
}
