/**
 * The `sparselaw/envs` entry point, without tfjs: the environment interface and registry, the
 * built-in Pendulum and Kuramoto–Sivashinsky environments, environments from ES modules and from
 * other processes, the environment checker, and data collection.
 *
 * @module sparselaw/envs
 */
export type { Env, StepResult, ResetOptions } from '../envs/env.js';
export { ENVIRONMENTS, getEnvEntry, registerEnv, completeEntry, resolveEnvOptions, describeOptions, boundsScale, type EnvEntry, type EnvEntryInput, type EnvOption, type EvalCase, type EnvTrainDefaults, type EnvSearchDefaults, type EnvCommand, type EnvCommandOption, type EnvCommandVerb , ENV_COMMAND_VERBS } from '../envs/index.js';
export { checkEnv, type EnvProblem, type CheckEnvOptions } from '../envs/check.js';
export { loadEnvModule, resolveEnvEntry, envModuleSource, type EnvModuleSource } from '../envs/module-env.js';
export { saveEnvState, restoreEnvState, closeEnv } from '../envs/env-state.js';
export { processEnvEntry, type ProcessEnvOptions } from '../envs/process-env.js';
export { Pendulum, angleNormalize, type PendulumOptions } from '../envs/pendulum/env.js';
export { KuramotoSivashinsky, evaluateKsPolicy, KS_TRAIN_MUS, KS_EVAL_BINS, KS_EVAL_FIXED, type KuramotoSivashinskyOptions, type KsEvalBin, type KsEpisodeCosts, type KsEvaluateOptions, type KsStepResult } from '../envs/ks/env.js';
export { collectEpisodes, collectRandomEpisodes, transitionColumns, type CollectOptions, type CollectedData, type Policy } from '../envs/collect.js';
export { runEpisode, type EpisodeEnv, type EpisodeOptions, type EpisodeSummary } from '../envs/episode.js';
export type { RolloutChartFunction, RolloutTrace } from '../report/rollout-charts.js';
export type { ChartSpec, MarkKind } from '../report/charts.js';
export type { RngState } from '../util/rng.js';
