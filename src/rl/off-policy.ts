import { lawFromJson } from '../law/io.js';
import { resolveEnvOptions } from '../envs/index.js';
import { resolveConfigEnv } from '../envs/module-env.js';
import { closeEnv } from '../envs/env-state.js';
import type { Env } from '../envs/env.js';
import { Td3 } from './td3.js';
import { agentSpec, evaluationCases, plannedUpdates, selectionCases, type TrainConfig, type TrainConfigInput } from './train-config.js';
import { checkResumable } from './checkpoint-migration.js';
import type { TrainResult, TrainRunOptions } from './train-types.js';
import type { TrainingCallback, TrainingContext } from './callbacks.js';
import { PeriodicEvaluation, actorReturns } from './evaluation.js';
import { BestActorSelection } from './selection.js';
import { SparsitySchedule } from './sparsity-schedule.js';
import { RunFiles, trainedLawDocument } from './run-files.js';
import { runTrainingLoop } from './loop.js';
import { finishRun } from './finish.js';
import { OffPolicyTrainer } from './off-policy-trainer.js';

export { defaultTrainConfig, plannedUpdates, evaluationCases, selectionCases, agentSpec, type TrainConfig, type TrainConfigInput } from './train-config.js';
export type { EpisodeRecord, TrainState, TrainResult, TrainRunOptions } from './train-types.js';
export { firstDifference } from './checkpoint-migration.js';
export { selectedActorWeights } from './selection.js';

/**
 * Trains a policy with TD3 (an MLP, or a sparse law over a library) in the training loop: the
 * off-policy trainer collects and calls TD3's update; the sparsity schedule, periodic evaluation and
 * selection of the best actor are its callbacks; the run directory gets checkpoint.bin and
 * returns.csv at every evaluation, and law.json, law-last.json and summary.json at the end.
 */
export async function trainTd3(input: TrainConfigInput, options: TrainRunOptions = {}): Promise<TrainResult> {
  const { entry, config } = await resolveConfigEnv(input);
  const makeEnv = (): Env => entry.create(resolveEnvOptions(entry, config.envOptions));
  const env = makeEnv();
  const spec = agentSpec(entry, env, config);
  const agent = await Td3.create(spec, { ...config.td3, policy: config.policy, lambda: config.lambda, penalty: config.penalty, ...(config.pruneBelow !== undefined ? { pruneBelow: config.pruneBelow } : {}) }, config.gateInitDropRate, { maxBatch: config.batchSize });
  try {
    const trainer = new OffPolicyTrainer(config, agent, env, spec);
    const withParams = config.observeParameters;
    const evalCases = evaluationCases(entry, config);
    const evaluation = new PeriodicEvaluation((p) => actorReturns(p, makeEnv, evalCases, withParams), evalCases, config.evalEvery, config.episodes);
    const candidates = selectionCases(entry, config);
    const acting = (iteration: number): boolean => iteration > Math.max(config.warmupEpisodes, config.updateAfterEpisodes);
    const selection = candidates && new BestActorSelection(agent.actor, config.selectOn!, makeEnv, candidates, withParams, (i) => evaluation.due(i), (i, actor) => acting(i) && (actor.sparsity()?.gatesBinary ?? true));
    const callbacks: TrainingCallback[] = [new SparsitySchedule(config.lambdaRamp, plannedUpdates(config), config.hardenAfter), evaluation, ...(selection ? [selection] : [])];
    const files = new RunFiles(options.outDir);
    const onFreshStart = (ctx: TrainingContext): void => {
      if (config.startLaw) agent.startFromLaw(lawFromJson(config.startLaw.law, config.startLaw.source), config.startLaw.source);
      // A start law is the first candidate (episode 0): training can only be kept where it improves on it.
      if (selection && config.startLaw && !selection.best) selection.consider(ctx, 0);
    };
    const outcome = await runTrainingLoop(
      { config, iterations: config.episodes, checkResumable: (saved, path) => checkResumable(saved as TrainConfig, config, path), trainer, callbacks, saveDue: (i) => evaluation.due(i), files, ...(selection ? { selection } : {}), onFreshStart },
      options,
    );
    const lawDocument = (returns: number[], seconds: number, selectedEpisode?: number) =>
      trainedLawDocument(agent.actor, config, env.id, returns, seconds, {
        metrics: { episodes: config.episodes },
        meta: { command: 'train', ...(config.startLaw ? { startLaw: config.startLaw.source } : {}), ...(selectedEpisode !== undefined ? { selectedEpisode } : {}) },
      });
    return await finishRun({ config, actor: agent.actor, updates: agent.updates, parameterNames: env.parameterNames, evaluation, ...(selection ? { selection } : {}), files, lawDocument }, outcome);
  } finally {
    agent.dispose();
    closeEnv(env);
  }
}
