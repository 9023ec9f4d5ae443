import { SparselawError } from '../../errors.js';
import { envModuleSource } from '../../envs/module-env.js';
import { getEnvEntry, resolveEnvOptions, type EnvEntry, type EnvSearchDefaults } from '../../envs/index.js';
import type { RunConfig } from '../run-config.js';

/** Settings of the derivative-free sparse policy search (JSON: stored in checkpoints and summary.json). */
export interface SearchConfig extends RunConfig {
  algo: 'es';
  /** Search iterations: the loop's iterations, each one generation of perturbed laws and one update. */
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
  rollouts: number;
  /** Training episodes stop after this many steps (absent: the environment's limit); evaluations run in full. */
  horizon?: number;
  /** At hardening keep at most this many terms (the most open gates). */
  maxTerms?: number;
  /** Lambda grows linearly from 0 to its value over this fraction of the iterations (absent or 0: whole from the start). */
  lambdaRamp?: number;
  /**
   * When > 0: hardening keeps every open gate, and over the next `pruneOver` iterations the cap on
   * the terms falls linearly to maxTerms, the smallest coefficients of the normalised terms dropped
   * first, so that the survivors adapt while the law shrinks. Absent or 0: one cut at hardening.
   */
  pruneOver?: number;
  /** Divide each library term by its running RMS over the visited states (frozen within an iteration). */
  normalize: boolean;
  /**
   * With normalize: subtract each term's running mean too and divide by its standard deviation (the
   * state normalisation of ARS V2); the means fold into the library's constant term.
   */
  center: boolean;
  /** Subtracted from every training step's reward (a survival bonus that rewards standing still); evaluations score the true reward. */
  rewardShift: number;
  /** 'rank': centred ranks of the returns; 'none': the returns themselves (lambda is then in return units). */
  shaping: 'rank' | 'none';
}

/** The search's settings that no environment changes. */
export const SEARCH_DEFAULTS = {
  directions: 16,
  top: 8,
  sigma: 0.05,
  gateScale: 20,
  gateInitDropRate: 0.2,
  normalize: true,
  shaping: 'none' as const,
};

/** Per-environment defaults of the search: the entry's own (chosen by measurement), else generic ones. */
export function searchDefaultsFor(env: string | EnvEntry): EnvSearchDefaults {
  return getEnvEntry(env).searchDefaults ?? { policy: 'poly:1', lambda: 1, iterations: 300, step: 0.02, rollouts: 2, evalEvery: 25 };
}

/**
 * A complete search configuration: the environment's search defaults, then the overrides. The gates
 * harden after 70% of the iterations unless `hardenAfter` says otherwise, and `top` never exceeds
 * `directions`.
 */
export function defaultSearchConfig(env: string | EnvEntry, overrides: Partial<Omit<SearchConfig, 'env' | 'algo'>> = {}): SearchConfig {
  const entry = getEnvEntry(env);
  const d = searchDefaultsFor(entry);
  const iterations = overrides.iterations ?? d.iterations;
  const directions = overrides.directions ?? d.directions ?? SEARCH_DEFAULTS.directions;
  const horizon = overrides.horizon ?? d.horizon;
  const maxTerms = overrides.maxTerms ?? d.maxTerms;
  const base: SearchConfig = {
    algo: 'es',
    env: entry.id,
    ...(envModuleSource(entry.id) ? { envModule: envModuleSource(entry.id)! } : {}),
    envOptions: resolveEnvOptions(entry),
    observeParameters: true,
    policy: d.policy,
    lambda: d.lambda,
    iterations,
    directions,
    top: Math.min(directions, d.top ?? SEARCH_DEFAULTS.top),
    sigma: d.sigma ?? SEARCH_DEFAULTS.sigma,
    gateScale: SEARCH_DEFAULTS.gateScale,
    step: d.step,
    rollouts: d.rollouts,
    ...(horizon !== undefined ? { horizon } : {}),
    // The environment's hardening iteration belongs to its iteration count; other counts harden at 70%.
    hardenAfter: d.hardenAfter !== undefined && iterations === d.iterations ? d.hardenAfter : Math.round(0.7 * iterations),
    ...(maxTerms !== undefined ? { maxTerms } : {}),
    gateInitDropRate: SEARCH_DEFAULTS.gateInitDropRate,
    normalize: SEARCH_DEFAULTS.normalize,
    center: d.center ?? false,
    penalty: d.penalty ?? 'l0',
    rewardShift: d.rewardShift ?? 0,
    shaping: SEARCH_DEFAULTS.shaping,
    evalEvery: d.evalEvery,
    seed: 0,
    ...(d.selectOn !== undefined ? { selectOn: d.selectOn } : {}),
  };
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const config: SearchConfig = { ...base, ...defined, env: entry.id, algo: 'es' };
  // A window or ramp of 0 is stored as none, as runs wrote it before either existed.
  if (config.pruneOver === 0) delete config.pruneOver;
  if (config.lambdaRamp === 0) delete config.lambdaRamp;
  return config;
}

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
  if (!(Number.isInteger(c.rollouts) && c.rollouts >= 1)) bad(`rollouts per candidate must be a positive integer, got ${c.rollouts}`);
  if (c.horizon !== undefined && !(Number.isInteger(c.horizon) && c.horizon >= 1)) bad(`horizon must be a positive integer, got ${c.horizon}`);
  if (!(Number.isInteger(c.hardenAfter) && c.hardenAfter >= 0 && c.hardenAfter <= c.iterations)) bad(`the hardening iteration must be in [0, ${c.iterations}], got ${c.hardenAfter}`);
  if (c.maxTerms !== undefined && !(Number.isInteger(c.maxTerms) && c.maxTerms >= 1)) bad(`max terms must be a positive integer, got ${c.maxTerms}`);
  if (c.lambdaRamp !== undefined && !(c.lambdaRamp >= 0 && c.lambdaRamp <= 1)) bad(`the lambda ramp is a fraction of the iterations in [0, 1], got ${c.lambdaRamp}`);
  if (c.pruneOver !== undefined && c.pruneOver !== 0) {
    if (!(Number.isInteger(c.pruneOver) && c.pruneOver >= 1)) bad(`the pruning window must be a non-negative integer, got ${c.pruneOver}`);
    if (c.maxTerms === undefined) bad('a pruning window shrinks the law to max terms: give max terms too');
    if (c.hardenAfter === 0) bad('a pruning window starts when the gates harden; the dense search (hardening iteration 0) has none');
    if (c.hardenAfter + c.pruneOver > c.iterations) bad(`the pruning window (${c.pruneOver} iterations from the hardening iteration ${c.hardenAfter}) ends after the last iteration (${c.iterations})`);
  }
  if (!(c.gateInitDropRate > 0 && c.gateInitDropRate < 1)) bad(`the gates' initial drop rate must be in (0, 1), got ${c.gateInitDropRate}`);
  if (!(Number.isInteger(c.evalEvery) && c.evalEvery >= 1)) bad(`eval-every must be a positive integer, got ${c.evalEvery}`);
  if (!Number.isFinite(c.rewardShift)) bad(`the reward shift must be a finite number, got ${c.rewardShift}`);
  if (c.center && !c.normalize) bad('centring the terms (center) needs normalize');
  if (c.penalty !== 'l0' && c.penalty !== 'l1') bad(`penalty must be l0 or l1, got ${JSON.stringify(c.penalty)}`);
  if (c.pruneBelow !== undefined && !(c.pruneBelow >= 0)) bad(`the pruning threshold must be >= 0, got ${c.pruneBelow}`);
  if (c.pruneBelow !== undefined && c.penalty !== 'l1') bad('a pruning threshold applies to the L1 penalty only');
  if (c.selectOn !== undefined) {
    const protocols = Object.keys(getEnvEntry(c.env).evaluation);
    if (!protocols.includes(c.selectOn)) bad(`selection: ${c.env} has no evaluation protocol ${JSON.stringify(c.selectOn)} (it has: ${[...protocols, 'last'].join(', ')})`);
  }
  if (c.shaping !== 'rank' && c.shaping !== 'none') bad(`shaping must be rank or none, got ${JSON.stringify(c.shaping)}`);
}
