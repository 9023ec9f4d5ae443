import type { LawDocument } from '../law/document.js';
import type { Policy } from './actor.js';
import { mean } from './evaluate.js';
import type { PeriodicEvaluation } from './evaluation.js';
import type { LoopOutcome } from './loop.js';
import type { RunFiles } from './run-files.js';
import type { TrainResult } from './train-types.js';

/** What a run's selection (of its best policy) tells the finish, and how it puts the kept policy back. */
export interface KeptSelection {
  readonly protocol: string;
  readonly best: { episode: number; score: number } | undefined;
  restoreBest(): void;
}

export interface FinishSetup {
  /** The run's settings, as summary.json records them. */
  config: object;
  actor: Policy;
  /** Updates of the policy over the whole run. */
  updates: number;
  parameterNames: readonly string[];
  evaluation: PeriodicEvaluation;
  selection?: KeptSelection;
  files: RunFiles;
  /** The law document of the kept policy, with the trainer's metrics and provenance (undefined for a policy that is no law). */
  lawDocument(returns: number[], seconds: number, selectedEpisode?: number): LawDocument | undefined;
}

/**
 * The result of a loop's run. A completed run also settles on its policy (the selected one, after
 * writing the last one's law to law-last.json when they differ), evaluates it, and writes law.json
 * and summary.json.
 */
export async function finishRun(setup: FinishSetup, outcome: LoopOutcome): Promise<TrainResult> {
  const { actor, evaluation, selection, files } = setup;
  const { history, counters } = outcome;
  const result: TrainResult = {
    history,
    seconds: counters.seconds,
    envSteps: counters.envSteps,
    envStepsPerSecond: counters.envSteps / Math.max(1e-9, counters.seconds - counters.updateSeconds),
    // A trainer whose updates are not timed apart (a search's step is negligible) counts them over the wall time.
    updatesPerSecond: setup.updates / Math.max(1e-9, counters.updateSeconds > 0 ? counters.updateSeconds : counters.seconds),
    completed: outcome.completed,
  };
  if (!outcome.completed) return result;
  // The last iteration always evaluates, so its returns are the final evaluation (unless a finished
  // run was resumed and no iteration ran).
  let returns = evaluation.lastReturns.length > 0 ? evaluation.lastReturns : await evaluation.evaluate(actor);
  const best = selection?.best;
  if (selection && best) {
    const last = { mean: mean(returns), terms: actor.sparsity()?.terms };
    const lastLaw = actor.toLaw();
    if (best.episode !== history.at(-1)?.episode) {
      if (lastLaw) files.lastLaw(lastLaw);
      selection.restoreBest();
      returns = await evaluation.evaluate(actor);
    }
    result.selection = { protocol: selection.protocol, episode: best.episode, mean: best.score, last };
  }
  result.finalEval = { mean: mean(returns), returns, ...(setup.parameterNames.length > 0 ? { parameters: evaluation.cases.map((c) => c.parameters ?? []) } : {}) };
  const sparsity = actor.sparsity();
  result.terms = sparsity?.terms;
  const law = setup.lawDocument(returns, counters.seconds, result.selection?.episode);
  if (law) {
    result.law = law;
    files.law(law);
  }
  files.summary(setup.config, result, sparsity?.gatesBinary);
  return result;
}
