/** Gymnasium-style environment interface; parameters (mu) become inputs of a parametric law. */
export interface StepResult {
  observation: Float64Array;
  reward: number;
  /** The episode ended inside the MDP (no bootstrapping). */
  terminated: boolean;
  /** The episode was cut by a time limit (bootstrap through it). */
  truncated: boolean;
}

/** seed restarts the environment's random stream; parameters fixes the parametric inputs (mu). */
export interface ResetOptions {
  seed?: number;
  parameters?: ArrayLike<number>;
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
  /**
   * With a seed the environment's random stream restarts from it, as Gymnasium's reset(seed=...);
   * parameters fix mu, otherwise a parametric environment draws it from its training set.
   * (A bare number is the older reset(seed) form, kept until every caller passes options.)
   */
  reset(options?: ResetOptions | number): Float64Array;
  step(action: ArrayLike<number>): StepResult;
  parameters(): Float64Array;
  getState(): unknown;
  setState(state: unknown): void;
  /** The full field for plots (PDE environments): a copy of the state on the grid. */
  field?(): Float64Array;
}
