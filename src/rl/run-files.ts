import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { saveLaw } from '../law/io.js';
import type { LawDocument } from '../law/document.js';
import type { Policy } from './actor.js';
import { mean } from './evaluate.js';
import type { RunConfig } from './run-config.js';
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

  summary(config: object, result: TrainResult, gatesBinary: boolean | undefined): void {
    if (this.dir === undefined) return;
    const { finalEval, selection, terms, seconds, envSteps, envStepsPerSecond, updatesPerSecond } = result;
    writeFileAtomic(join(this.dir, 'summary.json'), JSON.stringify({ config, finalEval, selection, terms, gatesBinary, seconds, envSteps, envStepsPerSecond, updatesPerSecond }, null, 2) + '\n');
  }
}

/** One row per iteration; a population-based trainer's runs also get population_mean. */
export function writeReturnsCsv(path: string, history: readonly EpisodeRecord[], parameterNames: readonly string[]): void {
  const population = history.some((h) => h.populationMean !== undefined);
  const lines = [['episode', 'return', ...(population ? ['population_mean'] : []), 'eval_mean', 'eval_std', 'select_mean', 'terms', 'updates', 'env_steps', 'seconds', ...parameterNames].join(',')];
  for (const h of history) {
    const row = [h.episode, h.return, ...(population ? [h.populationMean ?? ''] : []), h.evalMean ?? '', h.evalStd ?? '', h.selectionMean ?? '', h.terms ?? '', h.updates, h.envSteps ?? '', h.seconds.toFixed(3), ...(h.parameters ?? [])];
    lines.push(row.join(','));
  }
  writeFileAtomic(path, lines.join('\n') + '\n');
}

/** What a trainer adds to its law's metrics and provenance (`command` first, as law.json lists it). */
export interface LawProvenance {
  metrics: Record<string, unknown>;
  meta: { command: string } & Record<string, unknown>;
}

/** The trained law with its training metrics and provenance, for a policy that is a law. */
export function trainedLawDocument(policy: Policy, config: RunConfig, envId: string, returns: number[], seconds: number, own: LawProvenance): LawDocument | undefined {
  const sparsity = policy.sparsity();
  const law = policy.toLaw();
  if (!law || !sparsity) return undefined;
  const { command, ...meta } = own.meta;
  return {
    ...law,
    metrics: {
      kind: 'training',
      evaluationReturns: returns,
      evaluationMean: mean(returns),
      terms: sparsity.terms,
      gatesBinary: sparsity.gatesBinary,
      ...own.metrics,
      seconds,
    },
    meta: {
      command,
      environment: envId,
      envOptions: config.envOptions,
      ...(config.envModule ? { environmentModule: config.envModule } : {}),
      policy: config.policy,
      lambda: config.lambda,
      ...(config.penalty === 'l1' ? { penalty: 'l1', pruneBelow: config.pruneBelow } : {}),
      seed: config.seed,
      ...meta,
    },
  };
}
