/**
 * The sparselaw library: everything the command line does, as functions.
 *
 * @module sparselaw
 */
export { SparselawError } from './errors.js';
export { initBackend, describeBackend, activeBackend } from './backend.js';

// Expressions: the single source of truth for every term and law.
export * from './expr/ast.js';
export { parse, ParseError, type ParseOptions } from './expr/parse.js';
export { print } from './expr/print.js';
export { simplify, type SimplifyOptions } from './expr/simplify.js';
export { derivative } from './expr/derivative.js';
export { interpret } from './expr/interpret.js';
export { compileRow, compileBatch, compileScalar } from './expr/compile.js';
export { toTensor } from './expr/tfjs.js';

// Exporters and documents.
export { latex, latexEquation } from './export/latex.js';
export { jsModuleSource, jsFunction, jsLawModuleSource, jsLawFunction } from './export/js.js';
export { cSource, cLawSource } from './export/c.js';
export { exprDocument, loadExprDocument, exprToJson, exprFromJson, JsonFormatError } from './export/json.js';
export { exportLaw, LAW_FORMATS, type LawFormat } from './export/law.js';
// The law document: typed, versioned (schema/law.schema.json), loading, binding to data.
export * from './law/index.js';

// Libraries, the L0 engine, and models from data.
export * from './library/index.js';
export * from './l0/index.js';
export { fitMinibatch, type MinibatchFitOptions } from './l0/fit-minibatch.js';
export { discoverLaws, type DiscoverOptions, type DiscoverResult } from './models/discover.js';
export { continuousTimeData, DERIVATIVE_METHODS, type DerivativeMethod } from './models/continuous.js';
export { predictLaw, lawMse } from './models/metrics.js';
export { rolloutDiscrete, simulateContinuous } from './models/rollout.js';
export { discoverWeak, type WeakOptions } from './models/weak.js';
export { readNumericCsv, writeNumericCsv } from './data/csv.js';
export { finiteDifference, savitzkyGolay, smoothedDerivatives, estimateDerivative } from './data/derivatives.js';
// Simulators without an agent: known ODE systems (data for discovery) and the KS solver.
export * from './systems/index.js';

// Reinforcement learning.
export type { Env, StepResult, ResetOptions } from './envs/env.js';
export { ENVIRONMENTS, getEnvEntry, registerEnv, completeEntry, resolveEnvOptions, boundsScale, prepareEnvEntry, ENV_COMMAND_VERBS, type EnvEntry, type EnvEntryInput, type EnvOption, type EvalCase, type EnvTrainDefaults, type EnvSearchDefaults, type EnvCommand, type EnvCommandOption, type EnvCommandVerb } from './envs/index.js';
export { loadEnvModule, resolveEnvEntry, envModuleSource, type EnvModuleSource } from './envs/module-env.js';
export { checkEnv, type EnvProblem, type CheckEnvOptions } from './envs/check.js';
export { saveEnvState, restoreEnvState, closeEnv } from './envs/env-state.js';
export { MUJOCO_ENTRIES, MujocoEnv, type MujocoEntry, type MujocoState, type MujocoTask, type Drawing, type StepOutcome, type RewardOutcome } from './envs/mujoco/index.js';
export { processEnvEntry, type ProcessEnvOptions } from './envs/process-env.js';
export { Pendulum, angleNormalize } from './envs/pendulum/env.js';
export { collectEpisodes, collectRandomEpisodes, transitionColumns } from './envs/collect.js';
export { KuramotoSivashinsky, evaluateKsPolicy, KS_TRAIN_MUS, KS_EVAL_BINS, KS_EVAL_FIXED } from './envs/ks/env.js';
export { compareKs, type KsCompareOptions, type KsCompareResult } from './envs/ks/compare-run.js';
export type { KsCompareRow, KsCosts } from './envs/ks/compare.js';
export type { RandomSearchResult } from './rl/random-search.js';
export { searchKsLaw, type KsLawSearchOptions } from './envs/ks/law-search.js';
export { KS_SCHEDULE_FAMILIES, ksScheduleLaw, ksScheduleTheta, type KsScheduleFamily } from './envs/ks/gain-schedule.js';
export { proportionalPolicy, searchProportionalGains, type GainSearchSetting, type GainSearchOptions, type GainSearchResult, type GainScore, type ProportionalResult } from './envs/ks/proportional.js';
export { loadTrainedPolicy, type TrainedPolicy } from './rl/trained-policy.js';
export { ReplayBuffer } from './rl/replay-buffer.js';
export { SparseActor } from './rl/sparse-actor.js';
export { MlpActor } from './rl/mlp-actor.js';
export type { Actor, ActorSpec, Policy } from './rl/actor.js';
export type { RunConfig } from './rl/run-config.js';
export { trainSearch, type SearchRunOptions, type SearchResult } from './rl/search/es.js';
export { defaultSearchConfig, searchDefaultsFor, SEARCH_DEFAULTS, type SearchConfig } from './rl/search/config.js';
export { Td3, TD3_DEFAULTS, type Td3Options } from './rl/td3.js';
export { trainTd3, defaultTrainConfig, type TrainConfig, type TrainConfigInput, type TrainResult } from './rl/off-policy.js';
export { train, registerTrainer, type Trainer } from './rl/train.js';
export { evaluateCases, agentInput, type AgentPolicy } from './rl/evaluate.js';
export { lawPolicy } from './rl/law-policy.js';

// Verification with fast-check.
export * from './verify/index.js';
export { Rng } from './util/rng.js';
export { formatTable } from './cli/table.js';

// Types that appear in the signatures above.
export type { BackendName, BackendPreference } from './backend.js';
export type { Env as ExprEnv } from './expr/interpret.js';
export type { LatexOptions } from './export/latex.js';
export type { NamedOutput } from './export/js.js';
export type { ExprDocument, ExprJson } from './export/json.js';
export type { ContinuousData } from './models/continuous.js';
export type { DerivativeMethod as DerivativeEstimator, AutoWindowOptions, SmoothedSeries, WindowChoice, WindowCandidate } from './data/derivatives.js';
export type { KsEvalBin, KsEpisodeCosts, KsEvaluateOptions, KsStepResult } from './envs/ks/env.js';
export type { RolloutChartFunction, RolloutTrace } from './report/rollout-charts.js';
export type { ChartSpec, MarkKind } from './report/charts.js';
export type { Batch } from './rl/replay-buffer.js';
export type { SavedArray } from './rl/td3.js';
export type { RngState } from './util/rng.js';
