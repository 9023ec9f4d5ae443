import type { Env } from '../envs/env.js';
import { runEpisode } from '../envs/episode.js';
import type { RolloutTrace } from './rollout-charts.js';

export interface RecordOptions {
  /** Seed of the start state (the environment's reset). */
  seed: number;
  /** Parameters of the episode (drawn by the environment when absent). */
  parameters?: number[];
  /** Steps to record (default: the environment's episode length). */
  steps?: number;
  /** Time per step (default: the environment's `dt`, when it has one). */
  dt?: number;
  /** The field to record after reset and after every step, e.g. u(x) of a PDE environment. */
  field?: (env: Env) => ArrayLike<number>;
}

/**
 * Runs one episode and records it as a trace. With `act` null the actions are zero (clipped into
 * the action bounds): the same start without control.
 */
export function recordRollout(env: Env, act: ((observation: Float64Array) => ArrayLike<number>) | null, options: RecordOptions): RolloutTrace {
  const observation = env.reset({ seed: options.seed, ...(options.parameters ? { parameters: options.parameters } : {}) });
  const steps = options.steps ?? env.maxEpisodeSteps;
  const rest = Array.from(env.actionLow, (low, k) => Math.min(env.actionHigh[k]!, Math.max(low, 0)));
  const dt = options.dt ?? (env as { dt?: number }).dt;
  const trace: RolloutTrace = {
    envId: env.id,
    observationNames: [...env.observationNames],
    actionNames: [...env.actionNames],
    parameterNames: [...env.parameterNames],
    parameters: Array.from(env.parameters()),
    ...(dt !== undefined ? { dt } : {}),
    observations: [Array.from(observation)],
    actions: [],
    rewards: [],
    ...(options.field ? { field: [Array.from(options.field(env))] } : {}),
  };
  runEpisode(env, {
    reset: null,
    start: observation,
    maxSteps: steps,
    act: (obs) => (act ? Array.from(act(obs), (a, k) => Math.min(env.actionHigh[k]!, Math.max(env.actionLow[k]!, a))) : rest),
    onStep: (_obs, action, r) => {
      trace.actions.push([...(action as number[])]);
      trace.rewards.push(r.reward);
      trace.observations.push(Array.from(r.observation));
      if (options.field) trace.field!.push(Array.from(options.field(env)));
    },
  });
  return trace;
}
