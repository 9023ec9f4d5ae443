import { envModuleSource } from '../envs/module-env.js';
import type { RunConfig } from './run-config.js';
import { SparselawError } from '../errors.js';
import type { LawJson } from '../law/io.js';
import { ENVIRONMENTS, getEnvEntry, resolveEnvOptions, type EnvEntry, type EnvEntryInput } from '../envs/index.js';
import type { Env } from '../envs/env.js';
import type { EvalCase } from '../envs/registry.js';
import { TD3_DEFAULTS, type Td3Options } from './td3.js';
import type { ActorSpec } from './actor.js';

/** TD3's configuration: the shared settings and the off-policy schedule, exploration and TD3's own. */
export interface TrainConfig extends RunConfig {
  /** Training episodes: the loop's iterations, each one collected episode and its updates. */
  episodes: number;
  warmupEpisodes: number;
  /** TD3 iterations start once this many episodes are done... */
  updateAfterEpisodes: number;
  /** ...with this many after each episode. */
  updatesPerEpisode: number;
  batchSize: number;
  /** Std of the Gaussian exploration noise, as a fraction of the action's half-range. */
  explorationNoise: number;
  /** The critics learn from n-step returns (1: TD3's one-step targets). */
  nStep: number;
  /** Evaluation protocol of the environment used during training, and how many of its episodes (all when absent). */
  evalProtocol: string;
  evalEpisodes?: number;
  /** Sparse actor: lambda grows linearly from 0 to its value over this fraction of all TD3 updates. */
  lambdaRamp: number;
  replayCapacity: number;
  td3: Omit<Td3Options, 'policy' | 'lambda' | 'penalty' | 'pruneBelow'>;
  /**
   * Sparse actor: start from this law (its file as given, and the document itself, so a checkpoint
   * resumes without the file) with its structure fixed; TD3 tunes its coefficients.
   */
  startLaw?: { source: string; law: LawJson };
}

/** A configuration whose environment may also be a module path or an entry object (trainTd3 and train resolve it). */
export type TrainConfigInput = Omit<TrainConfig, 'env'> & { env: string | EnvEntryInput };

/**
 * The tutorial's protocol, then the environment's own defaults, then a named
 * preset of the environment (if any), then overrides.
 */
export function defaultTrainConfig(overrides: Partial<Omit<TrainConfig, 'env'>> & { env?: string | EnvEntryInput } = {}, preset?: string): TrainConfig {
  const entry = getEnvEntry(overrides.env ?? ENVIRONMENTS[0]!);
  let d = entry.trainDefaults ?? {};
  if (preset !== undefined) {
    const p = entry.presets?.[preset];
    if (!p) throw new SparselawError(`${entry.id} has no preset "${preset}"${entry.presets ? ` (presets: ${Object.keys(entry.presets).join(', ')})` : ''}`);
    d = { ...d, ...p, td3: { ...d.td3, ...p.td3 } };
  }
  const episodes = overrides.episodes ?? d.episodes ?? 250;
  const base: TrainConfig = {
    env: entry.id,
    ...(envModuleSource(entry.id) ? { envModule: envModuleSource(entry.id)! } : {}),
    envOptions: resolveEnvOptions(entry),
    observeParameters: true,
    policy: d.policy ?? 'poly:3',
    lambda: d.lambda ?? 5e-3,
    penalty: 'l0',
    episodes,
    warmupEpisodes: d.warmupEpisodes ?? 25,
    updateAfterEpisodes: d.updateAfterEpisodes ?? 50,
    updatesPerEpisode: d.updatesPerEpisode ?? 100,
    batchSize: 256,
    explorationNoise: d.explorationNoise ?? 0.1,
    nStep: d.nStep ?? 1,
    evalEvery: d.evalEvery ?? 20,
    evalProtocol: 'default',
    ...(d.selectOn !== undefined ? { selectOn: d.selectOn } : {}),
    hardenAfter: Math.round(0.8 * episodes),
    lambdaRamp: 0.25,
    gateInitDropRate: d.gateInitDropRate ?? 0.5,
    seed: 0,
    replayCapacity: 1_000_000,
    td3: { ...TD3_DEFAULTS, ...(d.td3 as Partial<Td3Options> | undefined) },
  };
  // An entry object is registered by getEnvEntry above; the configuration names it by its id.
  return { ...base, ...overrides, env: entry.id, td3: { ...base.td3, ...overrides.td3 } };
}

/** How many TD3 updates a configuration makes; 0 means the policy is never trained. */
export function plannedUpdates(config: Pick<TrainConfig, 'episodes' | 'updateAfterEpisodes' | 'updatesPerEpisode'>): number {
  return Math.max(0, config.episodes - config.updateAfterEpisodes) * config.updatesPerEpisode;
}

/** The evaluation protocol's episodes for a run seeded `seed` (the first `evalEpisodes` of them, when given). */
export function evaluationCases(entry: EnvEntry, config: { evalProtocol: string; evalEpisodes?: number; seed: number }): EvalCase[] {
  const cases = protocolCases(entry, config.evalProtocol, config.seed + 1_000_003);
  return config.evalEpisodes === undefined ? cases : cases.slice(0, config.evalEpisodes);
}

/** The selection protocol's episodes, seeded apart from the evaluation's; undefined without selection. */
export function selectionCases(entry: EnvEntry, config: Pick<RunConfig, 'selectOn' | 'seed'>): EvalCase[] | undefined {
  return config.selectOn === undefined ? undefined : protocolCases(entry, config.selectOn, config.seed + 2_000_003);
}

function protocolCases(entry: EnvEntry, name: string, seed: number): EvalCase[] {
  const protocol = entry.evaluation[name];
  if (!protocol) throw new SparselawError(`${entry.id} has no evaluation protocol "${name}" (it has: ${Object.keys(entry.evaluation).join(', ')})`);
  return protocol.cases(seed);
}

/** The agent's inputs, scales and action bounds for an environment and a configuration. */
export function agentSpec(entry: EnvEntry, env: Env, config: Pick<TrainConfig, 'observeParameters' | 'seed'>): ActorSpec {
  const o = env.observationNames.length + (config.observeParameters ? env.parameterNames.length : 0);
  return {
    inputNames: [...env.observationNames, ...(config.observeParameters ? env.parameterNames : [])],
    actionNames: env.actionNames,
    inputScale: entry.inputScale(env).slice(0, o),
    actionLow: Float64Array.from(env.actionLow),
    actionHigh: Float64Array.from(env.actionHigh),
    seed: config.seed,
  };
}

