import { SparselawError } from '../../errors.js';
import type { TrainingCallback, TrainingContext } from '../callbacks.js';
import type { CheckpointedPart } from '../loop.js';
import type { EpisodeRecord, LoopCheckpoint } from '../train-types.js';
import type { SelectionScore } from '../selection.js';
import type { CentreLaw } from './search-trainer.js';

/**
 * Keeps the search's best law by its mean return on a selection protocol (episodes of their own,
 * not the evaluation's). A law is tried at the iterations `due` names once it is in its final form
 * (`eligible`: the gates hard and the pruning window over); a tie keeps the earlier law. Its
 * episodes count as training environment steps, since they decide which law the run keeps.
 */
export class BestLawSelection implements TrainingCallback, CheckpointedPart {
  best: { episode: number; score: number; weights: number[] } | undefined;

  constructor(
    readonly protocol: string,
    private readonly law: CentreLaw,
    private readonly score: (weights: Float64Array) => Promise<SelectionScore>,
    private readonly due: (iteration: number) => boolean,
    private readonly eligible: () => boolean,
  ) {}

  async onRecord(ctx: TrainingContext, record: EpisodeRecord): Promise<void> {
    if (!this.due(record.episode) || !this.eligible()) return;
    const weights = this.law.getWeights();
    const { mean, envSteps } = await this.score(weights);
    ctx.countEnvSteps(envSteps);
    record.selectionMean = mean;
    if (!this.best || mean > this.best.score) this.best = { episode: record.episode, score: mean, weights: Array.from(weights) };
  }

  /** The checkpoint's part: the weights go in the JSON state, where doubles survive exactly. */
  state(): LoopCheckpoint['best'] {
    return this.best ? { episode: this.best.episode, score: this.best.score, actor: this.best.weights } : undefined;
  }

  arrays(): [] {
    return [];
  }

  restore(state: LoopCheckpoint['best'], _arrays: unknown, path: string): void {
    if (!state) return;
    const weights = state.actor;
    if (!Array.isArray(weights) || weights.length !== this.law.getWeights().length || !weights.every((w) => typeof w === 'number')) {
      throw new SparselawError(`${path}: the checkpoint's selected law is not ${this.law.getWeights().length} numbers`);
    }
    this.best = { episode: state.episode, score: state.score, weights };
  }

  /** Makes the kept law the run's law. */
  restoreBest(): void {
    if (this.best) this.law.keep(Float64Array.from(this.best.weights));
  }
}
