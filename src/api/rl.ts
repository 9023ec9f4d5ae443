/**
 * The `sparselaw/rl` entry point: training control policies (TD3 with a sparse dictionary actor or
 * an MLP, and the derivative-free search over a sparse law), the configurations and their defaults,
 * and running trained policies and laws in an environment. It loads tfjs; `initBackend` picks the fastest backend that is installed.
 *
 * @module sparselaw/rl
 */
export { initBackend, describeBackend, activeBackend, type BackendName, type BackendPreference } from '../backend.js';
export { train, registerTrainer, type Trainer } from '../rl/train.js';
export { trainTd3, defaultTrainConfig, plannedUpdates, type TrainConfig, type TrainResult, type EpisodeRecord, type TrainRunOptions } from '../rl/off-policy.js';
export { Td3, TD3_DEFAULTS, type Td3Options, type SavedArray } from '../rl/td3.js';
export { SparseActor } from '../rl/sparse-actor.js';
export { MlpActor } from '../rl/mlp-actor.js';
export type { Actor, ActorSpec, Policy } from '../rl/actor.js';
export type { RunConfig } from '../rl/run-config.js';
export { trainSearch, type SearchRunOptions, type SearchResult } from '../rl/search/es.js';
export { defaultSearchConfig, searchDefaultsFor, SEARCH_DEFAULTS, type SearchConfig } from '../rl/search/config.js';
export { ReplayBuffer, type Batch } from '../rl/replay-buffer.js';
export { evaluateCases, agentInput, type AgentPolicy, type EpisodeOutcome, type EvaluateOptions } from '../rl/evaluate.js';
export { lawPolicy } from '../rl/law-policy.js';
export { loadTrainedPolicy, type TrainedPolicy } from '../rl/trained-policy.js';
