import type { Actor } from './actor.js';
import { mean } from './evaluate.js';
import type { PeriodicEvaluation } from './evaluation.js';
import type { LoopOutcome } from './loop.js';
import { trainedLawDocument, type RunFiles } from './run-files.js';
import type { BestActorSelection } from './selection.js';
import type { TrainConfig } from './train-config.js';
import type { TrainResult } from './train-types.js';

export interface FinishSetup {
  config: TrainConfig;
  actor: Actor;
  /** Updates of the policy over the whole run. */
  updates: number;
  envId: string;
  parameterNames: readonly string[];
  evaluation: PeriodicEvaluation;
  selection?: BestActorSelection;
  files: RunFiles;
}

/**
 * The result of a loop's run. A completed run also settles on its actor (the selected one, after
 * writing the last one's law to law-last.json when they differ), evaluates it, and writes law.json
 * and summary.json.
 */
export function finishRun(setup: FinishSetup, outcome: LoopOutcome): TrainResult {
  const { config, actor, evaluation, selection, files } = setup;
  const { history, counters } = outcome;
  const result: TrainResult = {
    history,
    seconds: counters.seconds,
    envStepsPerSecond: counters.envSteps / Math.max(1e-9, counters.seconds - counters.updateSeconds),
    updatesPerSecond: setup.updates / Math.max(1e-9, counters.updateSeconds),
    completed: outcome.completed,
  };
  if (!outcome.completed) return result;
  // The last iteration always evaluates, so its returns are the final evaluation (unless a finished
  // run was resumed and no iteration ran).
  let returns = evaluation.lastReturns.length > 0 ? evaluation.lastReturns : evaluation.evaluate(actor);
  const best = selection?.best;
  if (config.selectOn !== undefined && selection && best) {
    const last = { mean: mean(returns), terms: actor.sparsity()?.terms };
    const lastLaw = actor.toLaw();
    if (best.episode !== history.at(-1)?.episode) {
      if (lastLaw) files.lastLaw(lastLaw);
      selection.restoreInto(actor);
      returns = evaluation.evaluate(actor);
    }
    result.selection = { protocol: config.selectOn, episode: best.episode, mean: best.score, last };
  }
  result.finalEval = { mean: mean(returns), returns, ...(setup.parameterNames.length > 0 ? { parameters: evaluation.cases.map((c) => c.parameters ?? []) } : {}) };
  const sparsity = actor.sparsity();
  result.terms = sparsity?.terms;
  const law = trainedLawDocument(actor, config, setup.envId, returns, counters.seconds, result.selection?.episode);
  if (law) {
    result.law = law;
    files.law(law);
  }
  files.summary(config, result, sparsity?.gatesBinary);
  return result;
}
