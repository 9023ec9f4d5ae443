import { existsSync } from 'node:fs';
import { makeDirSync } from '../util/make-dir.js';
import { SparselawError } from '../errors.js';
import type { Policy } from './actor.js';
import type { TrainingCallback, TrainingContext } from './callbacks.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import type { RunFiles } from './run-files.js';
import type { SavedArray } from './td3.js';
import type { EpisodeRecord, LoopCheckpoint, TrainRunOptions } from './train-types.js';

/** Wall time and work of a run, carried across resumes. */
export interface RunCounters {
  seconds: number;
  /** Of `seconds`, the time spent updating the policy. */
  updateSeconds: number;
  /** Training environment steps (the trainer adds its own; evaluations are not counted). */
  envSteps: number;
}

/** What one iteration of a trainer reports for its record. */
export interface IterationOutcome {
  /** The iteration's training return. */
  return: number;
  /** The episode's parameters (parametric environments; empty otherwise). */
  parameters: number[];
  /** A population-based trainer's mean return over its candidates. */
  populationMean?: number;
}

/**
 * What the loop drives. An off-policy trainer's iteration is one collected episode followed by its
 * scheduled updates; a search trainer's iteration runs many candidate policies and moves its search
 * distribution once. Either way `actor` is the policy that evaluation scores, selection keeps and
 * the run exports, and everything else (records, evaluation, selection, the sparsity schedule,
 * progress, interruption, checkpoints and run files) comes from the loop and its callbacks.
 * `S` is the trainer's own part of a checkpoint's JSON state.
 */
export interface IterationTrainer<S extends object = object> {
  readonly actor: Policy;
  /** Updates of the policy so far. */
  readonly updates: number;
  readonly parameterNames: readonly string[];
  harden(): void;
  /**
   * Runs iteration `iteration` (from 0): collects and updates, calling `beforeUpdate` before every
   * update and adding to `counters`.
   */
  iterate(iteration: number, beforeUpdate: () => void, counters: RunCounters): Promise<IterationOutcome>;
  /** The trainer's JSON state for a checkpoint (merged with the loop's: config, episode, history, counters). */
  checkpointState(): S;
  checkpointArrays(): Promise<SavedArray[]>;
  restore(state: S & LoopCheckpoint, arrays: ReadonlyMap<string, SavedArray>, path: string): Promise<void>;
}

/** A callback whose state a checkpoint carries (the selected actor): JSON under `best`, and arrays. */
export interface CheckpointedPart {
  state(): LoopCheckpoint['best'];
  arrays(): SavedArray[];
  restore(state: LoopCheckpoint['best'], arrays: ReadonlyMap<string, SavedArray>, path: string): void;
}

export interface LoopSetup<S extends object = object> {
  /** The run's settings, stored in every checkpoint. */
  config: object;
  /** Iterations of the whole run. */
  iterations: number;
  /** Throws when a checkpoint's settings cannot be resumed with `config`, naming the difference. */
  checkResumable(saved: unknown, path: string): void;
  trainer: IterationTrainer<S>;
  /** Called in order at every iteration (evaluation before selection, so selection sees a fresh evaluation). */
  callbacks: readonly TrainingCallback[];
  /** Checkpoints are written at the iterations this names, and on a stop. */
  saveDue: (iteration: number) => boolean;
  files: RunFiles;
  selection?: CheckpointedPart;
  /** Called once on a fresh (not resumed) run, before the first iteration. */
  onFreshStart?: (ctx: TrainingContext) => void;
}

export interface LoopOutcome {
  history: EpisodeRecord[];
  counters: RunCounters;
  completed: boolean;
}

/** Key order of a checkpoint's state, as runs have always written it. */
const STATE_ORDER = ['config', 'inputScale', 'episode', 'actionRng', 'sampleRng', 'env', 'replay', 'updates', 'actor', 'actorTarget', 'history', 'seconds', 'updateSeconds', 'envSteps', 'best'];

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The training loop: for each iteration, the trainer collects and updates, the callbacks act and
 * measure, the record is logged and reported, and at scheduled iterations (or on a stop) the run is
 * checkpointed. Resuming reads the checkpoint and continues bit-for-bit.
 */
export async function runTrainingLoop<S extends object>(setup: LoopSetup<S>, options: TrainRunOptions): Promise<LoopOutcome> {
  const { trainer, callbacks, files, iterations } = setup;
  if (files.dir !== undefined) makeDirSync(files.dir);
  const run = options.resume ? await resumeRun(setup) : { start: 0, history: [], counters: { seconds: 0, updateSeconds: 0, envSteps: 0 } };
  const { history, counters } = run;
  const ctx: TrainingContext = {
    get actor() { return trainer.actor; },
    get updates() { return trainer.updates; },
    harden: () => trainer.harden(),
    countEnvSteps: (steps) => {
      counters.envSteps += steps;
    },
  };
  if (!options.resume) setup.onFreshStart?.(ctx);
  const beforeUpdate = (): void => {
    for (const c of callbacks) c.beforeUpdate?.(ctx);
  };
  for (let ep = run.start; ep < iterations; ep++) {
    const t0 = performance.now();
    const collected = await trainer.iterate(ep, beforeUpdate, counters);
    for (const c of callbacks) await c.afterUpdates?.(ctx, ep + 1);
    const record: EpisodeRecord = { episode: ep + 1, return: collected.return, updates: trainer.updates, seconds: 0 };
    if (collected.populationMean !== undefined) record.populationMean = collected.populationMean;
    if (collected.parameters.length > 0) record.parameters = collected.parameters;
    const sparsity = trainer.actor.sparsity();
    if (sparsity) record.terms = sparsity.terms;
    for (const c of callbacks) await c.onRecord?.(ctx, record);
    counters.seconds += (performance.now() - t0) / 1000;
    record.envSteps = counters.envSteps;
    record.seconds = counters.seconds;
    history.push(record);
    options.onEpisode?.(record, iterations, trainer.updates / Math.max(1e-9, counters.updateSeconds));
    await yieldToEventLoop();
    const stop = (options.untilEpisode !== undefined && ep + 1 >= options.untilEpisode && ep + 1 < iterations) || (options.shouldStop?.() ?? false);
    if (setup.saveDue(ep + 1) || stop) await saveRun(setup, ep + 1, history, counters);
    if (stop && ep + 1 < iterations) return { history, counters, completed: false };
  }
  return { history, counters, completed: true };
}

async function resumeRun<S extends object>(setup: LoopSetup<S>): Promise<{ start: number; history: EpisodeRecord[]; counters: RunCounters }> {
  const path = setup.files.checkpointPath;
  if (!path || !existsSync(path)) throw new SparselawError(`nothing to resume: ${path ?? 'no output directory'} does not exist`);
  const { state, arrays } = readCheckpoint<S & LoopCheckpoint>(path);
  setup.checkResumable(state.config, path);
  await setup.trainer.restore(state, arrays, path);
  setup.selection?.restore(state.best, arrays, path);
  return { start: state.episode, history: state.history, counters: { seconds: state.seconds, updateSeconds: state.updateSeconds, envSteps: state.envSteps } };
}

/** Writes the checkpoint (atomically) and returns.csv. */
async function saveRun<S extends object>(setup: LoopSetup<S>, episode: number, history: EpisodeRecord[], counters: RunCounters): Promise<void> {
  const path = setup.files.checkpointPath;
  if (!path) return;
  const best = setup.selection?.state();
  const parts: Record<string, unknown> = { config: setup.config, episode, ...setup.trainer.checkpointState(), history, ...counters, ...(best ? { best } : {}) };
  const rest = Object.keys(parts).filter((k) => !STATE_ORDER.includes(k));
  const state = Object.fromEntries([...STATE_ORDER.filter((k) => k in parts), ...rest].map((k) => [k, parts[k]]));
  writeCheckpoint(path, state, [...(await setup.trainer.checkpointArrays()), ...(setup.selection?.arrays() ?? [])]);
  setup.files.returnsCsv(history, setup.trainer.parameterNames);
}
