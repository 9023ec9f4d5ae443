import { SparselawError } from '../errors.js';
import { trainTd3 } from './off-policy.js';
import type { TrainConfigInput } from './train-config.js';
import type { TrainResult, TrainRunOptions } from './train-types.js';

/**
 * A training algorithm over the shared configuration and run options. A new trainer reuses the
 * training loop (src/rl/loop.ts: records, progress, interruption, checkpoints, returns.csv) by
 * implementing its IterationTrainer, the callbacks for evaluation and selection of the best actor
 * (src/rl/evaluation.ts, src/rl/selection.ts), and finishRun (law.json, law-last.json, summary.json).
 */
export type Trainer = (config: TrainConfigInput, options?: TrainRunOptions) => Promise<TrainResult>;

const TRAINERS = new Map<string, Trainer>([['td3', trainTd3]]);

/** Makes a trainer available to `train` under a name. */
export function registerTrainer(name: string, trainer: Trainer): void {
  TRAINERS.set(name, trainer);
}

/** The names `train` accepts. */
export function trainerNames(): string[] {
  return [...TRAINERS.keys()];
}

/** Trains with the named algorithm ('td3' by default); the environment may be an id, a module path or an entry. */
export function train(config: TrainConfigInput, options: TrainRunOptions = {}, algorithm = 'td3'): Promise<TrainResult> {
  const trainer = TRAINERS.get(algorithm);
  if (!trainer) throw new SparselawError(`unknown training algorithm "${algorithm}" (known: ${trainerNames().join(', ')})`);
  return trainer(config, options);
}
