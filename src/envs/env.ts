/** Gymnasium-style environment interface; parameters (mu) become inputs of a parametric law. */
export interface StepResult {
  observation: Float64Array;
  reward: number;
  /** The episode ended inside the MDP (no bootstrapping). */
  terminated: boolean;
  /** The episode was cut by a time limit (bootstrap through it). */
  truncated: boolean;
  /** Named parts of the step's cost or other diagnostics (summed per episode by `rollout`). */
  info?: Readonly<Record<string, number>>;
}

export interface ResetOptions {
  /** Restarts the environment's random stream, as Gymnasium's reset(seed=...). */
  seed?: number;
  /** Fixes the parameters for this episode; otherwise they are drawn from the training distribution. */
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
  reset(options?: ResetOptions): Float64Array;
  step(action: ArrayLike<number>): StepResult;
  /** The current episode's parameters, in parameterNames order. */
  parameters(): Float64Array;
  /**
   * JSON-serialisable; setState(getState()) continues bit-for-bit. Optional: training, evaluation
   * and rollouts do without; resuming a run from its checkpoint needs both.
   */
  getState?(): unknown;
  setState?(state: unknown): void;
  /** Frees what the environment holds outside the JavaScript heap (a child process); called once it is no longer used. */
  close?(): void;
  /** The full spatial state for plots (a PDE's field on its grid), where there is one. */
  field?(): Float64Array;
}
