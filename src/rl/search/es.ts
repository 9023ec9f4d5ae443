import { getEnvEntry, prepareEnvEntry } from '../../envs/index.js';
import { envModuleForThreads } from '../../envs/module-env.js';
import { closeEnv } from '../../envs/env-state.js';
import { refuseChangedSettings } from '../checkpoint-migration.js';
import { evaluationCases, selectionCases } from '../train-config.js';
import { PeriodicEvaluation } from '../evaluation.js';
import { SparsitySchedule } from '../sparsity-schedule.js';
import { RunFiles, trainedLawDocument } from '../run-files.js';
import { runTrainingLoop } from '../loop.js';
import { finishRun } from '../finish.js';
import type { TrainResult, TrainRunOptions } from '../train-types.js';
import { rolloutPool, type RolloutPool } from './pool.js';
import { rolloutRunner, type RolloutTask } from './rollouts.js';
import { mean } from '../evaluate.js';
import type { EvalCase } from '../../envs/registry.js';
import { checkSearchConfig, type SearchConfig } from './config.js';
import { SearchTrainer } from './search-trainer.js';
import { BestLawSelection } from './selection.js';

export interface SearchRunOptions extends TrainRunOptions {
  /** Rollout worker threads (1: this thread); results do not depend on it. */
  workers?: number;
  /** The command line that started the run (recorded in law.json). */
  command?: string;
  /** Run every episode on the `sparselaw worker`s of this Redis queue instead of this machine's threads. */
  queue?: { url: string; name: string };
}

export interface SearchResult extends TrainResult {
  /** The centre law's weights (p x a, row-major by term) over the library's terms of the scaled inputs. */
  weights: Float64Array;
}

/** Without an evaluation due, a checkpoint is still written when the last one is this old. */
const SAVE_INTERVAL_MS = 30_000;

/**
 * Trains a sparse law by derivative-free search (src/rl/search/search-trainer.ts) in the training
 * loop: every episode, training's and evaluation's, runs in the rollout pool; the sparsity schedule
 * hardens the gates; the run directory gets checkpoint.bin and returns.csv at every evaluation (and
 * at least every 30 s), and law.json and summary.json at the end.
 */
export async function trainSearch(config: SearchConfig, options: SearchRunOptions = {}): Promise<SearchResult> {
  checkSearchConfig(config);
  const entry = getEnvEntry(config.env);
  await prepareEnvEntry(entry);
  // Worker threads and queue workers load a user's environment module themselves.
  const envModule = (options.workers ?? 1) > 1 || options.queue ? envModuleForThreads(entry) : undefined;
  const setup = { env: config.env, ...(envModule ? { envModule } : {}), envOptions: config.envOptions, policy: config.policy, observeParameters: config.observeParameters };
  const local = rolloutRunner(setup);
  let pool: RolloutPool | undefined;
  try {
    // The queue's client (BullMQ, ioredis) loads only for a run that uses it.
    pool = options.queue ? await (await import('./queue-pool.js')).queueRolloutPool(setup, options.queue.url, options.queue.name) : rolloutPool(setup, options.workers ?? 1);
    const trainer = new SearchTrainer(config, local.law, pool, []);
    const cases = evaluationCases(entry, { evalProtocol: 'default', seed: config.seed });
    const episodes = (of: readonly EvalCase[]): RolloutTask[] => of.map((c) => ({ candidate: 0, seed: c.seed, ...(c.parameters ? { parameters: c.parameters } : {}) }));
    const tasks = episodes(cases);
    const evaluation = new PeriodicEvaluation(async () => (await pool!.run([trainer.actor.getWeights()], tasks)).map((o) => o.return), cases, config.evalEvery, config.iterations);
    const candidates = selectionCases(entry, config);
    const selection = candidates && new BestLawSelection(config.selectOn!, trainer.actor, async (weights) => {
      const outcomes = await pool!.run([weights], episodes(candidates));
      return { mean: mean(outcomes.map((o) => o.return)), envSteps: outcomes.reduce((n, o) => n + o.steps, 0) };
    }, (i) => evaluation.due(i), () => trainer.settled);
    let lastSave = performance.now();
    const saveDue = (i: number): boolean => {
      if (!evaluation.due(i) && performance.now() - lastSave < SAVE_INTERVAL_MS) return false;
      lastSave = performance.now();
      return true;
    };
    const checkResumable = (saved: unknown, path: string): void => refuseChangedSettings(saved, config, path);
    const files = new RunFiles(options.outDir);
    const callbacks = [new SparsitySchedule(config.lambdaRamp ?? 0, config.iterations, config.hardenAfter), evaluation, ...(selection ? [selection] : [])];
    const outcome = await runTrainingLoop({ config, iterations: config.iterations, checkResumable, trainer, callbacks, saveDue, files, ...(selection ? { selection } : {}) }, options);
    const lawDocument = (returns: number[], seconds: number, selectedIteration?: number) =>
      trainedLawDocument(trainer.actor, config, local.env.id, returns, seconds, {
        metrics: { iterations: config.iterations, envSteps: outcome.counters.envSteps },
        meta: { command: options.command ?? 'train --algo es', algo: 'es', iterations: config.iterations, envSteps: outcome.counters.envSteps, ...(selectedIteration !== undefined ? { selectedIteration } : {}) },
      });
    const result = await finishRun({ config, actor: trainer.actor, updates: trainer.updates, parameterNames: [], evaluation, ...(selection ? { selection } : {}), files, lawDocument }, outcome);
    return { ...result, weights: trainer.actor.getWeights() };
  } finally {
    await pool?.close();
    closeEnv(local.env);
  }
}
