import type { Env } from '../envs/env.js';
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
  let observation = env.reset({ seed: options.seed, ...(options.parameters ? { parameters: options.parameters } : {}) });
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
  for (let t = 0; t < steps; t++) {
    const action = act ? Array.from(act(observation), (a, k) => Math.min(env.actionHigh[k]!, Math.max(env.actionLow[k]!, a))) : rest;
    const r = env.step(action);
    trace.actions.push([...action]);
    trace.rewards.push(r.reward);
    observation = r.observation;
    trace.observations.push(Array.from(observation));
    if (options.field) trace.field!.push(Array.from(options.field(env)));
    if (r.terminated || r.truncated) break;
  }
  return trace;
}
