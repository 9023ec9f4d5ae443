import type { Env, StepResult } from '../envs/env.js';
import { runEpisode } from '../envs/episode.js';
import type { EvalCase } from '../envs/registry.js';

/** A deterministic policy over the agent's input: the observation followed by the episode's parameters. */
export type AgentPolicy = (input: Float64Array) => ArrayLike<number>;

/** The agent's input vector: observations, then (unless withParameters is false) the environment's current parameters. */
export function agentInput(obs: ArrayLike<number>, env: Env, out?: Float64Array, withParameters = true): Float64Array {
  const o = env.observationNames.length;
  out ??= new Float64Array(o + (withParameters ? env.parameterNames.length : 0));
  for (let i = 0; i < o; i++) out[i] = obs[i]!;
  if (!withParameters) return out;
  const params = env.parameters();
  for (let i = 0; i < params.length; i++) out[o + i] = params[i]!;
  return out;
}

export interface EpisodeOutcome {
  return: number;
  steps: number;
  parameters: number[];
}

export interface EvaluateOptions {
  /** Called after every step with the observation it acted on, the action, the reward and the step's info. */
  onStep?: (obs: Float64Array, action: ArrayLike<number>, reward: number, info?: Readonly<Record<string, number>>) => void;
  onEpisodeEnd?: () => void;
  /** False for an agent that does not see the environment's parameters. */
  withParameters?: boolean;
}

/** Runs one episode per case (reset with its seed and parameters) and returns each episode's return. */
export function evaluateCases(policy: AgentPolicy, env: Env, cases: readonly EvalCase[], options: EvaluateOptions = {}): EpisodeOutcome[] {
  const { onStep, onEpisodeEnd, withParameters = true } = options;
  const input = new Float64Array(env.observationNames.length + (withParameters ? env.parameterNames.length : 0));
  return cases.map((c) => {
    const episode = runEpisode(env, {
      reset: { seed: c.seed, ...(c.parameters ? { parameters: c.parameters } : {}) },
      act: (obs) => policy(agentInput(obs, env, input, withParameters)),
      ...(onStep ? { onStep: (obs: Float64Array, action: ArrayLike<number>, r: StepResult) => void onStep(obs, action, r.reward, r.info) } : {}),
    });
    onEpisodeEnd?.();
    return { return: episode.return, steps: episode.steps, parameters: Array.from(env.parameters()) };
  });
}

export const mean = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);
