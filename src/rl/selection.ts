import type { Env } from '../envs/env.js';
import type { EvalCase } from '../envs/registry.js';
import { SparselawError } from '../errors.js';
import type { Actor } from './actor.js';
import type { TrainingCallback, TrainingContext } from './callbacks.js';
import type { EpisodeRecord } from './train-types.js';
import type { SavedArray } from './td3.js';
import { evaluateCases, mean } from './evaluate.js';
import { closeEnv } from '../envs/env-state.js';

/** The kept actor as a checkpoint stores it: its JSON state here, its weights as best.actor.i arrays. */
export interface SelectedActorState {
  episode: number;
  score: number;
  actor: unknown;
}

/** What selection learns from scoring a policy: its mean return and the environment steps that took. */
export interface SelectionScore {
  mean: number;
  envSteps: number;
}

/**
 * Keeps the best state of a TD3 actor by its mean return on a selection protocol. It is tried at the
 * iterations `due` names, where `eligible` holds (the actor acts and is in its final form); a tie
 * keeps the earlier state. Its episodes count as training environment steps, since they decide
 * which actor the run keeps.
 */
export class BestActorSelection implements TrainingCallback {
  best: (SelectedActorState & { weights: Float32Array[] }) | undefined;

  constructor(
    private readonly actor: Actor,
    readonly protocol: string,
    private readonly makeEnv: () => Env,
    private readonly cases: readonly EvalCase[],
    private readonly withParameters: boolean,
    private readonly due: (iteration: number) => boolean,
    private readonly eligible: (iteration: number, actor: Actor) => boolean,
  ) {}

  score(actor: Actor): SelectionScore {
    const env = this.makeEnv();
    try {
      const episodes = evaluateCases((x) => actor.act(x), env, this.cases, { withParameters: this.withParameters });
      return { mean: mean(episodes.map((e) => e.return)), envSteps: episodes.reduce((n, e) => n + e.steps, 0) };
    } finally {
      closeEnv(env);
    }
  }

  /** Scores the actor as the candidate of `episode`, counting its steps; keeps it when it beats the best so far. */
  consider(ctx: TrainingContext, episode: number): number {
    const { mean: score, envSteps } = this.score(this.actor);
    ctx.countEnvSteps(envSteps);
    if (!this.best || score > this.best.score) this.best = { episode, score, actor: this.actor.getState(), weights: this.actor.getWeights() };
    return score;
  }

  onRecord(ctx: TrainingContext, record: EpisodeRecord): void {
    if (this.due(record.episode) && this.eligible(record.episode, this.actor)) record.selectionMean = this.consider(ctx, record.episode);
  }

  /** The checkpoint's part: JSON state and weight arrays. */
  state(): SelectedActorState | undefined {
    return this.best ? { episode: this.best.episode, score: this.best.score, actor: this.best.actor } : undefined;
  }

  arrays(): SavedArray[] {
    return (this.best?.weights ?? []).map((data, i) => ({ name: `best.actor.${i}`, shape: [data.length], data }));
  }

  restore(state: SelectedActorState | undefined, arrays: ReadonlyMap<string, { data: Float32Array }>, path: string): void {
    if (state) this.best = { ...state, weights: selectedActorWeights(arrays, this.actor.getWeights().length, path) };
  }

  /** Puts the kept weights and state back into the actor. */
  restoreBest(): void {
    if (!this.best) return;
    this.actor.setWeights(this.best.weights);
    this.actor.setState(this.best.actor);
    this.actor.sync();
  }
}

/** The weights of the actor a run kept by selection, from its checkpoint's arrays. */
export function selectedActorWeights(arrays: ReadonlyMap<string, { data: Float32Array }>, count: number, path: string): Float32Array[] {
  return Array.from({ length: count }, (_, i) => {
    const a = arrays.get(`best.actor.${i}`);
    if (!a) throw new SparselawError(`${path}: the checkpoint has a selected actor but no best.actor.${i}`);
    return a.data;
  });
}
