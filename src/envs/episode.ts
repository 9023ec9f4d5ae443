import type { ResetOptions, StepResult } from './env.js';

/** The part of an environment an episode needs; `step` may return a richer result (KS's costs). */
export interface EpisodeEnv<R extends StepResult = StepResult> {
  reset(options?: ResetOptions): Float64Array;
  step(action: ArrayLike<number>): R;
}

export interface EpisodeOptions<R extends StepResult = StepResult> {
  /** Reset with these options; `null` starts from the environment's current state, whose observation is `start`. */
  reset: ResetOptions | null;
  /** The observation to act on first when `reset` is null (e.g. after setting the state directly). */
  start?: Float64Array;
  /** The action for the observation at step t (t from 0). */
  act: (observation: Float64Array, t: number) => ArrayLike<number>;
  /**
   * After every step, with the observation that was acted on, the action given to the environment and
   * the step's result; returning true ends the episode after this step.
   */
  onStep?: (observation: Float64Array, action: ArrayLike<number>, result: R, t: number) => boolean | void;
  /** At most this many steps (default: until the environment ends the episode). */
  maxSteps?: number;
  /** False: only termination ends the episode, a time limit does not (a closed loop checked past it). */
  stopOnTruncation?: boolean;
}

export interface EpisodeSummary {
  /** Sum of the rewards, added in step order. */
  return: number;
  steps: number;
  terminated: boolean;
  truncated: boolean;
  /** The observation after the last step. */
  observation: Float64Array;
}

/**
 * The one episode loop of the package: training's collection, evaluation, data collection, traces
 * and closed-loop checks differ only in their hooks, so they all step an environment the same way.
 */
export function runEpisode<R extends StepResult>(env: EpisodeEnv<R>, options: EpisodeOptions<R>): EpisodeSummary {
  let observation = options.reset === null ? options.start! : env.reset(options.reset);
  const maxSteps = options.maxSteps ?? Infinity;
  const stopOnTruncation = options.stopOnTruncation ?? true;
  const out: EpisodeSummary = { return: 0, steps: 0, terminated: false, truncated: false, observation };
  while (out.steps < maxSteps) {
    const action = options.act(observation, out.steps);
    const r = env.step(action);
    const stop = options.onStep?.(observation, action, r, out.steps) === true;
    out.return += r.reward;
    out.steps++;
    observation = r.observation;
    out.terminated = r.terminated;
    out.truncated = r.truncated;
    if (stop || r.terminated || (stopOnTruncation && r.truncated)) break;
  }
  out.observation = observation;
  return out;
}
