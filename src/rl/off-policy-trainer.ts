import { Rng } from '../util/rng.js';
import { restoreEnvState, saveEnvState } from '../envs/env-state.js';
import type { Env } from '../envs/env.js';
import type { Actor, ActorSpec } from './actor.js';
import { NStepWriter, ReplayBuffer } from './replay-buffer.js';
import type { Td3, SavedArray } from './td3.js';
import type { IterationOutcome, IterationTrainer, RunCounters } from './loop.js';
import type { TrainConfig } from './train-config.js';
import type { LoopCheckpoint, TrainState } from './train-types.js';

/** The off-policy trainer's part of a TD3 checkpoint. */
export type OffPolicyState = Omit<TrainState, keyof LoopCheckpoint>;
import { agentInput } from './evaluate.js';
import { runEpisode } from '../envs/episode.js';

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Off-policy collection around an algorithm's update: each iteration is one episode (uniformly
 * random actions during warm-up, then the actor with Gaussian exploration) stored in the replay
 * buffer, followed by the scheduled updates on minibatches from it. TD3's update is the algorithm's
 * own; nothing here depends on the environment or the actor beyond their interfaces.
 */
export class OffPolicyTrainer implements IterationTrainer<OffPolicyState> {
  readonly buffer: ReplayBuffer;
  private readonly writer: NStepWriter;
  private actionRng: Rng;
  private sampleRng: Rng;
  private readonly half: Float64Array;
  private readonly action: Float64Array;
  private readonly input: Float64Array;
  private readonly nextInput: Float64Array;

  constructor(
    private readonly config: TrainConfig,
    readonly agent: Td3,
    private readonly env: Env,
    private readonly spec: ActorSpec,
  ) {
    const o = spec.inputNames.length;
    const a = env.actionNames.length;
    this.buffer = new ReplayBuffer(Math.min(config.replayCapacity, config.episodes * env.maxEpisodeSteps), o, a);
    this.writer = new NStepWriter(this.buffer, config.nStep, config.td3.gamma);
    this.actionRng = Rng.seeded(config.seed + 17);
    this.sampleRng = Rng.seeded(config.seed + 29);
    this.half = Float64Array.from(env.actionLow, (lo, k) => (env.actionHigh[k]! - lo) / 2);
    this.action = new Float64Array(a);
    this.input = new Float64Array(o);
    this.nextInput = new Float64Array(o);
  }

  get actor(): Actor {
    return this.agent.actor;
  }

  get updates(): number {
    return this.agent.updates;
  }

  get parameterNames(): readonly string[] {
    return this.env.parameterNames;
  }

  harden(): void {
    this.agent.harden();
  }

  async iterate(ep: number, beforeUpdate: () => void, counters: RunCounters): Promise<IterationOutcome> {
    const total = this.collect(ep, counters);
    const parameters = Array.from(this.env.parameters());
    await yieldToEventLoop();
    if (ep + 1 > this.config.updateAfterEpisodes) await this.update(beforeUpdate, counters);
    return { return: total, parameters };
  }

  /** One exploring episode into the replay buffer; returns its return. */
  private collect(ep: number, counters: RunCounters): number {
    const { config, env, action, input, nextInput } = this;
    const withParams = config.observeParameters;
    const reset = { ...(ep === 0 ? { seed: config.seed } : {}), ...(config.parameters ? { parameters: config.parameters } : {}) };
    let first = true;
    const episode = runEpisode(env, {
      reset,
      act: (obs) => {
        if (first) agentInput(obs, env, input, withParams);
        first = false;
        this.explore(ep < config.warmupEpisodes);
        return action;
      },
      onStep: (_obs, _action, r) => {
        agentInput(r.observation, env, nextInput, withParams);
        this.writer.push(input, action, r.reward, nextInput, r.terminated, r.truncated);
        counters.envSteps++;
        input.set(nextInput);
      },
    });
    return episode.return;
  }

  /** The behaviour action for the current input: uniform in the bounds while warming up, else the actor plus clipped Gaussian noise. */
  private explore(warmup: boolean): void {
    const { env, action, actionRng } = this;
    const a = action.length;
    if (warmup) {
      for (let k = 0; k < a; k++) action[k] = actionRng.range(env.actionLow[k]!, env.actionHigh[k]!);
      return;
    }
    this.agent.actor.act(this.input, action);
    for (let k = 0; k < a; k++) {
      action[k] = Math.min(env.actionHigh[k]!, Math.max(env.actionLow[k]!, action[k]! + this.config.explorationNoise * this.half[k]! * actionRng.normal()));
    }
  }

  private async update(beforeUpdate: () => void, counters: RunCounters): Promise<void> {
    const u0 = performance.now();
    for (let i = 0; i < this.config.updatesPerEpisode; i++) {
      beforeUpdate();
      this.agent.update(this.buffer.sample(this.config.batchSize, this.sampleRng), this.sampleRng);
      // Lets a second Ctrl-C end the process at once even inside a long block of updates.
      if (i % 10 === 9) await yieldToEventLoop();
    }
    this.agent.actor.sync();
    this.agent.actorTarget.sync();
    counters.updateSeconds += (performance.now() - u0) / 1000;
  }

  checkpointState(): OffPolicyState {
    return {
      inputScale: Array.from(this.spec.inputScale),
      actionRng: this.actionRng.getState(),
      sampleRng: this.sampleRng.getState(),
      env: saveEnvState(this.env),
      replay: this.buffer.getState(),
      updates: this.agent.updates,
      actor: this.agent.actor.getState(),
      actorTarget: this.agent.actorTarget.getState(),
    };
  }

  async checkpointArrays(): Promise<SavedArray[]> {
    return [...(await this.agent.saveArrays()), ...this.buffer.savedArrays()];
  }

  async restore(state: TrainState, arrays: ReadonlyMap<string, SavedArray>, path: string): Promise<void> {
    restoreEnvState(this.env, state.env, path);
    await this.agent.loadArrays(arrays);
    this.agent.actor.setState(state.actor);
    this.agent.actorTarget.setState(state.actorTarget);
    this.agent.updates = state.updates;
    this.buffer.loadArrays(arrays, path);
    this.buffer.setState(state.replay);
    this.actionRng = Rng.fromState(state.actionRng);
    this.sampleRng = Rng.fromState(state.sampleRng);
  }
}
