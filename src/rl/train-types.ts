import type { LawDocument } from '../law/document.js';
import type { RngState } from '../util/rng.js';
import type { TrainConfig } from './train-config.js';

export interface EpisodeRecord {
  episode: number;
  return: number;
  /** The episode's parameters (parametric environments). */
  parameters?: number[];
  /** Surviving terms of a sparse actor after this episode (deterministic gates). */
  terms?: number;
  evalMean?: number;
  evalStd?: number;
  /** Mean return on the selection protocol, where the actor was a candidate. */
  selectionMean?: number;
  /** Mean training return over a search iteration's perturbed candidates. */
  populationMean?: number;
  /** Updates of the policy so far (TD3 updates, or search iterations). */
  updates: number;
  /** Training environment steps so far (evaluations not counted). */
  envSteps?: number;
  seconds: number;
}

/** What the training loop stores in every checkpoint besides the trainer's own state. */
export interface LoopCheckpoint {
  config: unknown;
  /** Iterations done. */
  episode: number;
  history: EpisodeRecord[];
  seconds: number;
  updateSeconds: number;
  envSteps: number;
  /** The selected actor so far (its weights are the checkpoint's best.actor arrays). */
  best?: { episode: number; score: number; actor: unknown };
}

/** A TD3 run's checkpoint: the loop's part and the off-policy trainer's. */
export interface TrainState extends LoopCheckpoint {
  config: TrainConfig;
  /** What the agent's inputs were divided by (the registry's scale may change between versions). */
  inputScale?: number[];
  actionRng: RngState;
  sampleRng: RngState;
  env: unknown;
  replay: { position: number; count: number };
  updates: number;
  actor: unknown;
  actorTarget: unknown;
}

export interface TrainResult {
  law?: LawDocument;
  history: EpisodeRecord[];
  finalEval?: { mean: number; returns: number[]; parameters?: number[][] };
  /** With selectOn: the kept actor's episode and mean on the selection protocol, and the last actor's evaluation and terms. */
  selection?: { protocol: string; episode: number; mean: number; last: { mean: number; terms?: number } };
  terms?: number;
  seconds: number;
  /** Training environment steps over the whole run. */
  envSteps: number;
  envStepsPerSecond: number;
  updatesPerSecond: number;
  completed: boolean;
}

export interface TrainRunOptions {
  outDir?: string;
  resume?: boolean;
  /** Stop (with a checkpoint) after this episode, as an interruption would. */
  untilEpisode?: number;
  /** Checked after every episode: true stops the run with a checkpoint. */
  shouldStop?: () => boolean;
  onEpisode?: (record: EpisodeRecord, total: number, updatesPerSecond: number) => void;
}

