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

/** Transitions as columns, and how many action values lay outside the bounds and were clipped. */
export interface CollectedData {
  columns: Map<string, Float64Array>;
  n: number;
  clipped: number;
}

/**
 * Runs the episodes and hands each transition to `onRow` as one row in transitionColumns order (the
 * row is reused: copy what you keep). The environment is reset with the seed before the first
 * episode and continues its own stream after; random actions come from a stream of their own.
 * The action columns hold the action as applied: clipped into the environment's bounds, as the
 * environment itself clips, so a model fitted to the data sees what drove the next state.
 * Returns how many action values were clipped.
 */
export function forEachTransition(env: Env, options: CollectOptions, onRow: (row: Float64Array) => void): { clipped: number } {
  const counts = { clipped: 0 };
  for (const _ of transitions(env, options, onRow, counts));
  return counts;
}

/**
 * forEachTransition that lets the event loop run between episodes (every 50 ms at most), so a
 * signal handler can stop a long collection cleanly.
 */
export async function forEachTransitionAsync(env: Env, options: CollectOptions, onRow: (row: Float64Array) => void): Promise<{ clipped: number }> {
  const counts = { clipped: 0 };
  let last = performance.now();
  for (const _ of transitions(env, options, onRow, counts)) {
    if (performance.now() - last > 50) {
      await new Promise((resolve) => setImmediate(resolve));
      last = performance.now();
    }
  }
  return counts;
}

/** The episodes, one yield after each. */
function* transitions(env: Env, options: CollectOptions, onRow: (row: Float64Array) => void, counts: { clipped: number }): Generator<void> {
  const o = env.observationNames.length;
  const p = env.parameterNames.length;
  const a = env.actionNames.length;
  const perEpisode = episodeLength(env, options);
  const row = new Float64Array(transitionColumns(env).length);
  const actions = Rng.seeded(options.seed + 1);
  const policy = options.policy ?? 'random';
  const action = new Float64Array(a);
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
        for (let k = 0; k < a; k++) {
          const v = Math.min(env.actionHigh[k]!, Math.max(env.actionLow[k]!, action[k]!));
          if (v !== action[k]) counts.clipped++;
          action[k] = v;
        }
        return action;
      },
      onStep: (obs, _action, res, t) => {
        let c = 0;
        row[c++] = e;
        row[c++] = t;
        for (let i = 0; i < o; i++) row[c++] = obs[i]!;
        for (let i = 0; i < p; i++) row[c++] = params[i]!;
        for (let k = 0; k < a; k++) row[c++] = action[k]!;
        row[c++] = res.reward;
        for (let i = 0; i < o; i++) row[c++] = res.observation[i]!;
        const last = options.actions !== undefined && t + 1 >= perEpisode;
        row[c++] = res.terminated ? 1 : 0;
        row[c++] = res.truncated || (last && !res.terminated) ? 1 : 0;
        onRow(row);
        return last;
      },
    });
    options.onEpisode?.(e + 1);
    yield;
  }
}

/** The most transitions one episode can have under these options. */
export function episodeLength(env: Env, options: Pick<CollectOptions, 'actions'>): number {
  return options.actions ? Math.min(options.actions.length, env.maxEpisodeSteps) : env.maxEpisodeSteps;
}

/** The episodes of forEachTransition, in memory as columns (see transitionColumns). */
export function collectEpisodes(env: Env, options: CollectOptions): CollectedData {
  const names = transitionColumns(env);
  const data = names.map(() => new Float64Array(options.episodes * episodeLength(env, options)));
  let n = 0;
  const { clipped } = forEachTransition(env, options, (row) => {
    for (let c = 0; c < row.length; c++) data[c]![n] = row[c]!;
    n++;
  });
  return { columns: new Map(names.map((name, i) => [name, data[i]!.subarray(0, n)])), n, clipped };
}

/** The tutorial's data set: episodes of uniformly random actions. */
export function collectRandomEpisodes(env: Env, options: { episodes: number; seed: number; onEpisode?: (done: number) => void }): CollectedData {
  return collectEpisodes(env, { ...options, policy: 'random' });
}
