import type { TrainingCallback, TrainingContext } from './callbacks.js';

/**
 * The sparse actor's schedule: lambda grows linearly from 0 to its value over the first `ramp` of all
 * planned updates (so the critics learn before gates close; a ramp of 0 applies it whole from the
 * start), and after iteration `hardenAfter` the gates are frozen at exactly 0 or 1. A dense actor
 * ignores both.
 */
export class SparsitySchedule implements TrainingCallback {
  constructor(
    private readonly ramp: number,
    private readonly totalUpdates: number,
    private readonly hardenAfter: number,
  ) {}

  /** The factor on lambda after `updates` updates: in [0, 1], non-decreasing, 1 from ramp * total on (always, without a ramp). */
  penaltyScale(updates: number): number {
    if (this.ramp === 0) return 1;
    return Math.min(1, updates / Math.max(1, this.ramp * this.totalUpdates));
  }

  beforeUpdate(ctx: TrainingContext): void {
    ctx.actor.setPenaltyScale(this.penaltyScale(ctx.updates));
  }

  afterUpdates(ctx: TrainingContext, iteration: number): void {
    if (iteration === this.hardenAfter) ctx.harden();
  }
}
