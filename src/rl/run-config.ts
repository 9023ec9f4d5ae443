import type { EnvModuleSource } from '../envs/module-env.js';

/**
 * The settings every trainer shares: the environment, what the agent sees, the policy's library and
 * L0 penalty, the structure search's end, evaluation and the seed. A trainer's configuration adds its
 * own; the whole is stored in every checkpoint and summary.json.
 */
export interface RunConfig {
  /** Registry name of the environment. */
  env: string;
  /** The module a user's environment was loaded from (its path and SHA-256), when it came from one. */
  envModule?: EnvModuleSource;
  /** The environment's options (resolved: every option present). */
  envOptions: Record<string, number>;
  /** Fixed parameters for every training episode; otherwise each reset draws them. */
  parameters?: number[];
  /** The agent sees the environment's parameters; false gives the baseline that acts without them. */
  observeParameters: boolean;
  /** A library spec for a sparse law (poly:3, fourier:1, custom{...}, sums); TD3 also takes 'mlp'. */
  policy: string;
  /** The penalty's weight, in the units of the trainer's objective. */
  lambda: number;
  /**
   * 'l0': hard-concrete gates, lambda per expected open gate. 'l1': no gates; lambda times the sum of
   * the coefficients' absolute values, and at hardening the coefficients below `pruneBelow` are pruned.
   */
  penalty: 'l0' | 'l1';
  /** L1: the pruning threshold on the coefficients of the scaled terms (default: the coefficients' Adam step). */
  pruneBelow?: number;
  /** Initial drop rate of the gates. */
  gateInitDropRate: number;
  /** After this iteration the gates are frozen at exactly 0 or 1 and only the survivors are tuned. */
  hardenAfter: number;
  /** Evaluate the policy on the environment's evaluation cases every this many iterations (and at the last). */
  evalEvery: number;
  /**
   * Keep the policy with the best mean return on this evaluation protocol (episodes seeded apart
   * from the evaluation's), tried at every evaluation once the policy acts and is in its final form
   * (a sparse law once every gate is exactly 0 or 1); absent: keep the last policy.
   */
  selectOn?: string;
  seed: number;
}
