import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { SparselawError } from '../errors.js';
import { getEnvEntry, prepareEnvEntry, resolveEnvOptions } from '../envs/index.js';
import { readCheckpoint } from './checkpoint.js';
import { loadRecordedEnvModule } from '../envs/module-env.js';
import { closeEnv } from '../envs/env-state.js';
import { agentSpec, type TrainConfig } from './train-config.js';
import { selectedActorWeights } from './selection.js';
import type { TrainState } from './train-types.js';
import { Td3 } from './td3.js';
import type { AgentPolicy } from './evaluate.js';

export interface TrainedPolicy {
  config: TrainConfig;
  /** The deterministic actor over the agent's input. */
  act: AgentPolicy;
  /** False for an agent trained without the environment's parameters among its inputs. */
  withParameters: boolean;
  dispose(): void;
}

/**
 * The actor of a training run (any kind, an MLP included) from its checkpoint, acting in plain JS.
 * A sparse law is better read from law.json; this serves agents that are not laws.
 */
export async function loadTrainedPolicy(runDir: string): Promise<TrainedPolicy> {
  const path = existsSync(runDir) && statSync(runDir).isDirectory() ? join(runDir, 'checkpoint.bin') : runDir;
  const { state, arrays } = readCheckpoint<TrainState>(path);
  const config = state.config;
  if (!config || typeof config.env !== 'string') throw new SparselawError(`${path}: the checkpoint has no training configuration`);
  // A user's environment is found again through the module the run recorded.
  const warning = await loadRecordedEnvModule(config.envModule, runDir);
  if (warning) process.emitWarning(warning.replace(/^warning: /, ''));
  const entry = getEnvEntry(config.env);
  await prepareEnvEntry(entry);
  const env = entry.create(resolveEnvOptions(entry, config.envOptions));
  const spec = agentSpec(entry, env, config);
  closeEnv(env);
  if (state.inputScale) {
    if (state.inputScale.length !== spec.inputScale.length) throw new SparselawError(`${path}: the checkpoint's agent has ${state.inputScale.length} inputs, ${entry.id} gives ${spec.inputScale.length}`);
    spec.inputScale = Float64Array.from(state.inputScale);
  }
  const agent = await Td3.create(spec, { ...config.td3, policy: config.policy, lambda: config.lambda, penalty: config.penalty, ...(config.pruneBelow !== undefined ? { pruneBelow: config.pruneBelow } : {}) }, config.gateInitDropRate, { threads: 1 });
  await agent.loadArrays(arrays);
  agent.actor.setState(state.actor);
  // A run with selection acts with the actor it kept, not the last one.
  if (state.best) {
    agent.actor.setWeights(selectedActorWeights(arrays, agent.actor.getWeights().length, path));
    agent.actor.setState(state.best.actor);
  }
  agent.actor.sync();
  return {
    config,
    act: (x) => agent.actor.act(x),
    withParameters: config.observeParameters,
    dispose: () => agent.dispose(),
  };
}
