import type { Policy } from './actor.js';
import type { EpisodeRecord } from './train-types.js';

/** What a training loop shows its callbacks. */
export interface TrainingContext {
  /** The policy being trained: the one evaluation looks at and selection keeps. */
  readonly actor: Policy;
  /** Updates of the policy so far (gradient steps, or search iterations). */
  readonly updates: number;
  /** Ends the structure search (a sparse law's gates become exactly 0 or 1). */
  harden(): void;
  /** Adds environment steps a callback took to decide the run's outcome (selection's episodes) to the run's count. */
  countEnvSteps(steps: number): void;
}

/**
 * A component the loop calls at fixed points of every iteration (an episode for TD3, a generation
 * of many candidate policies for a search trainer). Hooks run in the order the callbacks are listed;
 * the loop waits for a hook that returns a promise before calling the next.
 */
export interface TrainingCallback {
  /** Before every update of the policy. */
  beforeUpdate?(ctx: TrainingContext): void;
  /** After iteration `iteration` (counted from 1) collected and updated, before its record is made. */
  afterUpdates?(ctx: TrainingContext, iteration: number): void | Promise<void>;
  /** With the iteration's record: may measure the policy and add to the record. */
  onRecord?(ctx: TrainingContext, record: EpisodeRecord): void | Promise<void>;
}
