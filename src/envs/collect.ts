import { Rng } from '../util/rng.js';
import type { Env } from './env.js';
import { runEpisode } from './episode.js';

/** A policy for data collection: the observation and the episode's parameters give the action. */
export type Policy = (obs: Float64Array, parameters: Float64Array) => ArrayLike<number>;

/** One row per transition: episode, step, observations, parameters, actions, reward, next observations, flags. */
export function transitionColumns(env: Env): string[] {
  return [
    'episode',
    'step',
    ...env.observationNames,
    ...env.parameterNames,
    ...env.actionNames,
    'reward',
    ...env.observationNames.map((n) => `next_${n}`),
    'terminated',
    'truncated',
  ];
}

export interface CollectOptions {
  episodes: number;
  seed: number;
  /** 'random' draws actions uniformly inside the bounds; 'zero' applies no action. */
  policy?: 'random' | 'zero' | Policy;
  /** Fixed parameters for every episode; otherwise each reset draws them. */
  parameters?: ArrayLike<number>;
  /** Applied in order from each episode's reset, one per step; the episode ends when they run out. */
  actions?: readonly ArrayLike<number>[];
  onEpisode?: (done: number) => void;
}

/**
 * Episodes as columns (see transitionColumns). The environment is reset with the seed before the
 * first episode and continues its own stream after; random actions come from a stream of their own.
 */
export function collectEpisodes(env: Env, options: CollectOptions): { columns: Map<string, Float64Array>; n: number } {
  const names = transitionColumns(env);
  const o = env.observationNames.length;
  const p = env.parameterNames.length;
  const a = env.actionNames.length;
  const perEpisode = options.actions ? Math.min(options.actions.length, env.maxEpisodeSteps) : env.maxEpisodeSteps;
  const capacity = options.episodes * perEpisode;
  const data = names.map(() => new Float64Array(capacity));
  const actions = Rng.seeded(options.seed + 1);
  const policy = options.policy ?? 'random';
  const action = new Float64Array(a);
  let r = 0;
  for (let e = 0; e < options.episodes; e++) {
    let params: Float64Array = new Float64Array(0);
    runEpisode(env, {
      reset: { ...(e === 0 ? { seed: options.seed } : {}), ...(options.parameters ? { parameters: options.parameters } : {}) },
      act: (obs, t) => {
        if (t === 0) params = env.parameters();
        if (options.actions) action.set(options.actions[t]!);
        else if (policy === 'random') for (let k = 0; k < a; k++) action[k] = actions.range(env.actionLow[k]!, env.actionHigh[k]!);
        else if (policy === 'zero') action.fill(0);
        else action.set(policy(obs, params));
        return action;
      },
      onStep: (obs, _action, res, t) => {
        let c = 0;
        data[c++]![r] = e;
        data[c++]![r] = t;
        for (let i = 0; i < o; i++) data[c++]![r] = obs[i]!;
        for (let i = 0; i < p; i++) data[c++]![r] = params[i]!;
        for (let k = 0; k < a; k++) data[c++]![r] = action[k]!;
        data[c++]![r] = res.reward;
        for (let i = 0; i < o; i++) data[c++]![r] = res.observation[i]!;
        const last = options.actions !== undefined && t + 1 >= perEpisode;
        data[c++]![r] = res.terminated ? 1 : 0;
        data[c++]![r] = res.truncated || (last && !res.terminated) ? 1 : 0;
        r++;
        return last;
      },
    });
    options.onEpisode?.(e + 1);
  }
  return { columns: new Map(names.map((name, i) => [name, data[i]!.subarray(0, r)])), n: r };
}

/** The tutorial's data set: episodes of uniformly random actions. */
export function collectRandomEpisodes(env: Env, options: { episodes: number; seed: number; onEpisode?: (done: number) => void }): { columns: Map<string, Float64Array>; n: number } {
  return collectEpisodes(env, { ...options, policy: 'random' });
}
