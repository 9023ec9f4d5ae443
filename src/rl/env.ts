/** Gymnasium-style environment interface; parameters (mu) become inputs of a parametric law. */
export interface StepResult {
  observation: Float64Array;
  reward: number;
  /** The episode ended inside the MDP (no bootstrapping). */
  terminated: boolean;
  /** The episode was cut by a time limit (bootstrap through it). */
  truncated: boolean;
}

export interface Env {
  readonly id: string;
  readonly observationNames: readonly string[];
  readonly actionNames: readonly string[];
  readonly parameterNames: readonly string[];
  readonly observationLow: Float64Array;
  readonly observationHigh: Float64Array;
  readonly actionLow: Float64Array;
  readonly actionHigh: Float64Array;
  readonly maxEpisodeSteps: number;
  /** With a seed the environment's random stream restarts from it, as Gymnasium's reset(seed=...). */
  reset(seed?: number): Float64Array;
  step(action: ArrayLike<number>): StepResult;
  parameters(): Float64Array;
  getState(): unknown;
  setState(state: unknown): void;
}
