import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { saveLaw } from '../law/io.js';
import type { LawDocument } from '../law/document.js';
import type { Actor } from './actor.js';
import { mean } from './evaluate.js';
import type { TrainConfig } from './train-config.js';
import type { EpisodeRecord, TrainResult } from './train-types.js';

/**
 * The files of a run directory besides the checkpoint: returns.csv (one row per iteration, rewritten
 * with every checkpoint), law.json (the kept law), law-last.json (the last law, when selection kept
 * another) and summary.json. Without a directory nothing is written.
 */
export class RunFiles {
  constructor(readonly dir: string | undefined) {}

  get checkpointPath(): string | undefined {
    return this.dir === undefined ? undefined : join(this.dir, 'checkpoint.bin');
  }

  returnsCsv(history: readonly EpisodeRecord[], parameterNames: readonly string[]): void {
    if (this.dir !== undefined) writeReturnsCsv(join(this.dir, 'returns.csv'), history, parameterNames);
  }

  law(law: LawDocument): void {
    if (this.dir !== undefined) saveLaw(join(this.dir, 'law.json'), law);
  }

  lastLaw(law: LawDocument): void {
    if (this.dir !== undefined) saveLaw(join(this.dir, 'law-last.json'), law);
  }

  summary(config: TrainConfig, result: TrainResult, gatesBinary: boolean | undefined): void {
    if (this.dir === undefined) return;
    const { finalEval, selection, terms, seconds, envStepsPerSecond, updatesPerSecond } = result;
    writeFileAtomic(join(this.dir, 'summary.json'), JSON.stringify({ config, finalEval, selection, terms, gatesBinary, seconds, envStepsPerSecond, updatesPerSecond }, null, 2) + '\n');
  }
}

export function writeReturnsCsv(path: string, history: readonly EpisodeRecord[], parameterNames: readonly string[]): void {
  const lines = [['episode', 'return', 'eval_mean', 'eval_std', 'select_mean', 'terms', 'updates', 'seconds', ...parameterNames].join(',')];
  for (const h of history) lines.push([h.episode, h.return, h.evalMean ?? '', h.evalStd ?? '', h.selectionMean ?? '', h.terms ?? '', h.updates, h.seconds.toFixed(3), ...(h.parameters ?? [])].join(','));
  writeFileAtomic(path, lines.join('\n') + '\n');
}

/** The trained law with its training metrics and provenance, for an actor that is a law. */
export function trainedLawDocument(actor: Actor, config: TrainConfig, envId: string, returns: number[], seconds: number, selectedEpisode?: number): LawDocument | undefined {
  const sparsity = actor.sparsity();
  const law = actor.toLaw();
  if (!law || !sparsity) return undefined;
  return {
    ...law,
    metrics: {
      kind: 'training',
      evaluationReturns: returns,
      evaluationMean: mean(returns),
      terms: sparsity.terms,
      gatesBinary: sparsity.gatesBinary,
      episodes: config.episodes,
      seconds,
    },
    meta: {
      command: 'train',
      environment: envId,
      envOptions: config.envOptions,
      ...(config.envModule ? { environmentModule: config.envModule } : {}),
      policy: config.policy,
      lambda: config.lambda,
      seed: config.seed,
      ...(config.startLaw ? { startLaw: config.startLaw.source } : {}),
      ...(selectedEpisode !== undefined ? { selectedEpisode } : {}),
    },
  };
}
