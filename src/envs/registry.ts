import { SparselawError } from '../errors.js';
import type { Env } from './env.js';
import type { RolloutChartFunction } from '../report/rollout-charts.js';

/** A numeric option of an environment (`--env-option name=value`). */
export interface EnvOption {
  name: string;
  description: string;
  default: number;
  /** Returns what is wrong with a value, or undefined when it is acceptable. */
  check?: (value: number) => string | undefined;
}

/** One episode of an evaluation protocol: the reset seed and, for a parametric system, fixed parameters. */
export interface EvalCase {
  seed: number;
  parameters?: number[];
}

/** Defaults the training loop takes from an environment (its reference agent), before user overrides. */
export interface EnvTrainDefaults {
  policy?: string;
  lambda?: number;
  episodes?: number;
  warmupEpisodes?: number;
  updateAfterEpisodes?: number;
  updatesPerEpisode?: number;
  evalEvery?: number;
  /** Evaluation protocol on which the best actor is kept (absent: the last actor). */
  selectOn?: string;
  explorationNoise?: number;
  nStep?: number;
  gateInitDropRate?: number;
  /** Lambda for a library that adds libraries with '+' (more candidates per term kept). */
  combinedLibraryLambda?: number;
  td3?: Record<string, number | number[]>;
}

/** Defaults of the derivative-free search (`train --algo es`) for an environment, chosen by measurement. */
export interface EnvSearchDefaults {
  policy: string;
  lambda: number;
  iterations: number;
  step: number;
  rollouts: number;
  horizon?: number;
  maxTerms?: number;
  evalEvery: number;
  /** Random directions per iteration, the best of them used, and the perturbation (the search's own defaults otherwise). */
  directions?: number;
  top?: number;
  sigma?: number;
  /** The iteration after which the gates harden (default: 70% of the iterations). */
  hardenAfter?: number;
  /** Centre each term on its running mean (ARS V2's state normalisation). */
  center?: boolean;
  /** Subtracted from every training step's reward (a survival bonus removed). */
  rewardShift?: number;
  /** Keep the best settled law on this evaluation protocol instead of the last. */
  selectOn?: string;
  /** The penalty that decides the terms (default l0: the gates). */
  penalty?: 'l0' | 'l1';
}

/** An option of an environment's command, declared as data so that the command line builds it. */
export interface EnvCommandOption {
  /** The long flag without its dashes: 'seeds' for --seeds. */
  name: string;
  /** Placeholder of the value in --help (e.g. 'N', 'FILE'); absent for a flag without a value. */
  value?: string;
  description: string;
  required?: boolean;
}

/**
 * A command an environment adds under a generic verb (`sparselaw compare ENV`, `sparselaw
 * search-law ENV`): its options, and what it does with their values (strings as typed, true for a
 * flag). Bad values are SparselawErrors naming the option. `argv` is the command line as typed,
 * for the provenance a result records.
 */
export interface EnvCommand {
  description: string;
  options: readonly EnvCommandOption[];
  run(values: Readonly<Record<string, string | true | undefined>>, argv: readonly string[]): Promise<void>;
}

/** The verbs under which environments add commands. */
export const ENV_COMMAND_VERBS = {
  compare: 'compare controllers (laws, trained agents, the environment\'s baselines) on the environment\'s evaluation settings',
  'search-law': "search the coefficients of one of the environment's structured law families",
} as const;
export type EnvCommandVerb = keyof typeof ENV_COMMAND_VERBS;

/**
 * Everything the generic layers (training loop, CLI, data collection, reports) need to know about an
 * environment. A new environment is one module exporting an entry, plus one line in envs/index.ts.
 */
export interface EnvEntry {
  /** Command-line name. */
  id: string;
  /** Name of the MDP, e.g. Pendulum-v1. */
  title: string;
  description: string;
  options: readonly EnvOption[];
  create(options: Readonly<Record<string, number>>): Env;
  /**
   * Asynchronous set-up that create() needs in the calling thread (loading a WebAssembly module);
   * idempotent. Every function of the package that creates environments awaits it first.
   */
  prepare?(): Promise<void>;
  /** How each training episode's parameters are drawn, in words (for --help); absent without parameters. */
  parameterDistribution?: string;
  /**
   * What the agent's inputs (observations, then parameters) are divided by before a network or a
   * law's library sees them; the exported law is in physical units either way.
   */
  inputScale(env: Env): Float64Array;
  /** Named evaluation protocols; 'default' is the one used during training. */
  evaluation: Readonly<Record<string, { description: string; cases(seed: number): EvalCase[] }>>;
  trainDefaults?: EnvTrainDefaults;
  /** Defaults of `train --algo es` (absent: generic ones). */
  searchDefaults?: EnvSearchDefaults;
  /** Named alternatives to trainDefaults (`sparselaw train ENV --preset NAME`), applied over them. */
  presets?: Readonly<Record<string, EnvTrainDefaults & { description: string }>>;
  /** Commands of this environment under the generic verbs (`sparselaw compare ENV`, ...). */
  commands?: Readonly<Partial<Record<EnvCommandVerb, EnvCommand>>>;
  /** How the report draws a closed-loop episode (default: the field as a heat map when there is one, else every signal against time). */
  rolloutCharts?: RolloutChartFunction;
}

/** Awaits the entry's prepare() when it has one; other entries need nothing. */
export async function prepareEnvEntry(entry: EnvEntry): Promise<void> {
  if (typeof entry.prepare === 'function') await entry.prepare();
}

/** Parses `name=value` pairs against an entry's options, filling defaults; every problem is named. */
export function resolveEnvOptions(entry: EnvEntry, given: Readonly<Record<string, number | string>> = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const option of entry.options) out[option.name] = option.default;
  for (const [name, raw] of Object.entries(given)) {
    const option = entry.options.find((o) => o.name === name);
    if (!option) {
      const known = entry.options.map((o) => o.name).join(', ') || 'none';
      throw new SparselawError(`${entry.id} has no option "${name}" (its options: ${known})`);
    }
    const value = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(value)) throw new SparselawError(`${entry.id} option ${name}: expected a finite number, got "${raw}"`);
    const problem = option.check?.(value);
    if (problem) throw new SparselawError(`${entry.id} option ${name}: ${problem}, got ${value}`);
    out[name] = value;
  }
  return out;
}

/** Scale of observations from their bounds (1 where unbounded), parameters unscaled. */
export function boundsScale(env: Env, parameterScale: readonly number[] = []): Float64Array {
  return Float64Array.from([
    ...Array.from(env.observationHigh, (h, i) => {
      const m = Math.max(Math.abs(h), Math.abs(env.observationLow[i]!));
      return Number.isFinite(m) && m > 0 ? m : 1;
    }),
    ...env.parameterNames.map((_, i) => parameterScale[i] ?? 1),
  ]);
}

export function describeOptions(entry: EnvEntry): string {
  if (entry.options.length === 0) return '(no options)';
  return entry.options.map((o) => `${o.name}=${o.default}  ${o.description}`).join('\n');
}
