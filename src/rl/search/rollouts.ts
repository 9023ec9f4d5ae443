import { getEnvEntry, prepareEnvEntry, resolveEnvOptions } from '../../envs/index.js';
import { loadEnvModule } from '../../envs/module-env.js';
import type { Env } from '../../envs/env.js';
import { parseLibrarySpec } from '../../library/index.js';
import { agentInput } from '../evaluate.js';
import { runEpisode } from '../../envs/episode.js';
import { DictionaryLaw, type SearchSpec } from './law.js';

/** Everything a process needs to run rollouts of a searched law (JSON-serialisable, sent once to each worker). */
export interface RolloutSetup {
  env: string;
  /** The path of the module a user's environment comes from (worker threads load it first). */
  envModule?: string;
  envOptions: Record<string, number>;
  policy: string;
  observeParameters: boolean;
}

/** One episode: which candidate weights act, the reset seed, fixed parameters (else drawn by the reset) and an optional step limit. */
export interface RolloutTask {
  candidate: number;
  seed: number;
  parameters?: number[];
  horizon?: number;
  /** Subtracted from every step's reward in the returned return (a training episode's survival bonus removed). */
  rewardShift?: number;
}

export interface RolloutOutcome {
  return: number;
  steps: number;
  /** Per library term: the sum of its values over the episode's steps (for feature normalisation). */
  sum: Float64Array;
  /** Per library term: the sum of squares of its values. */
  sumSq: Float64Array;
}

export interface RolloutRunner {
  readonly law: DictionaryLaw;
  readonly env: Env;
  run(weights: readonly ArrayLike<number>[], tasks: readonly RolloutTask[]): RolloutOutcome[];
}

export function searchSpec(setup: RolloutSetup, env: Env): SearchSpec {
  const entry = getEnvEntry(setup.env);
  const o = env.observationNames.length + (setup.observeParameters ? env.parameterNames.length : 0);
  return {
    inputNames: [...env.observationNames, ...(setup.observeParameters ? env.parameterNames : [])],
    actionNames: [...env.actionNames],
    inputScale: entry.inputScale(env).slice(0, o),
    actionLow: Float64Array.from(env.actionLow),
    actionHigh: Float64Array.from(env.actionHigh),
  };
}

/**
 * Runs episodes of the dictionary law; each episode depends only on its task and its candidate's
 * weights (the reset seed restarts every random stream), so any split over processes gives the same
 * outcomes.
 */
export function rolloutRunner(setup: RolloutSetup): RolloutRunner {
  const entry = getEnvEntry(setup.env);
  const env = entry.create(resolveEnvOptions(entry, setup.envOptions));
  const spec = searchSpec(setup, env);
  const law = new DictionaryLaw(parseLibrarySpec(setup.policy, spec.inputNames), spec);
  const input = new Float64Array(spec.inputNames.length);
  const action = new Float64Array(spec.actionNames.length);
  const run = (w: ArrayLike<number>, task: RolloutTask): RolloutOutcome => {
    const sum = new Float64Array(law.p);
    const sumSq = new Float64Array(law.p);
    const episode = runEpisode(env, {
      reset: { seed: task.seed, ...(task.parameters ? { parameters: task.parameters } : {}) },
      maxSteps: task.horizon ?? env.maxEpisodeSteps,
      act: (obs) => {
        const f = law.featuresOf(agentInput(obs, env, input, setup.observeParameters));
        for (let j = 0; j < f.length; j++) {
          sum[j]! += f[j]!;
          sumSq[j]! += f[j]! * f[j]!;
        }
        return law.actFromFeatures(w, action);
      },
    });
    return { return: episode.return - (task.rewardShift ?? 0) * episode.steps, steps: episode.steps, sum, sumSq };
  };
  return { law, env, run: (weights, tasks) => tasks.map((t) => run(weights[t.candidate]!, t)) };
}

/** Makes a setup's environment usable in a fresh process or thread: loads a user's module, prepares the entry (MuJoCo's WebAssembly). */
export async function prepareRolloutSetup(setup: RolloutSetup): Promise<void> {
  if (setup.envModule !== undefined) await loadEnvModule(setup.envModule);
  await prepareEnvEntry(getEnvEntry(setup.env));
}
