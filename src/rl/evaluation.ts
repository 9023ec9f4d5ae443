import type { Env } from '../envs/env.js';
import type { EvalCase } from '../envs/registry.js';
import type { Policy } from './actor.js';
import type { TrainingCallback, TrainingContext } from './callbacks.js';
import type { EpisodeRecord } from './train-types.js';
import { evaluateCases, mean } from './evaluate.js';
import { closeEnv } from '../envs/env-state.js';

/** The returns of a policy's deterministic actions over fixed cases, each on a fresh environment. */
export function actorReturns(actor: Policy, makeEnv: () => Env, cases: readonly EvalCase[], withParameters: boolean): number[] {
  const env = makeEnv();
  try {
    return evaluateCases((x) => actor.act(x), env, cases, { withParameters }).map((r) => r.return);
  } finally {
    closeEnv(env);
  }
}

/** The returns of a policy over the run's evaluation cases (a trainer may spread the episodes over threads). */
export type PolicyEvaluator = (policy: Policy) => number[] | Promise<number[]>;

/**
 * Evaluates the policy every `every` iterations and at the last one, on the run's evaluation cases,
 * and writes the mean and standard deviation into the record. The last returns stay available as
 * the final evaluation.
 */
export class PeriodicEvaluation implements TrainingCallback {
  lastReturns: number[] = [];

  constructor(
    private readonly evaluator: PolicyEvaluator,
    /** The cases the evaluator runs, in its order. */
    readonly cases: readonly EvalCase[],
    private readonly every: number,
    private readonly total: number,
  ) {}

  /** Whether iteration `iteration` (from 1) evaluates. */
  due(iteration: number): boolean {
    return iteration % this.every === 0 || iteration === this.total;
  }

  async evaluate(policy: Policy): Promise<number[]> {
    return this.evaluator(policy);
  }

  async onRecord(ctx: TrainingContext, record: EpisodeRecord): Promise<void> {
    if (!this.due(record.episode)) return;
    this.lastReturns = await this.evaluate(ctx.actor);
    const m = mean(this.lastReturns);
    record.evalMean = m;
    record.evalStd = Math.sqrt(mean(this.lastReturns.map((v) => (v - m) ** 2)));
  }
}
