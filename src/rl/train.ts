import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, type RngState } from '../util/rng.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { SparselawError } from '../errors.js';
import { saveLaw } from '../law/io.js';
import type { LawDocument } from '../law/document.js';
import { Pendulum } from './pendulum.js';
import { ReplayBuffer } from './replay-buffer.js';
import { Td3, TD3_DEFAULTS, type Td3Options } from './td3.js';
import { type Actor } from './actor.js';
import { SparseActor } from './sparse-actor.js';
import { writeCheckpoint, readCheckpoint } from './checkpoint.js';
import type { Env } from './env.js';

export interface TrainConfig {
  env: 'pendulum';
  g: number;
  /** 'mlp' or a library spec for the sparse actor. */
  policy: string;
  lambda: number;
  episodes: number;
  warmupEpisodes: number;
  /** TD3 iterations start once this many episodes are done... */
  updateAfterEpisodes: number;
  /** ...with this many after each episode. */
  updatesPerEpisode: number;
  batchSize: number;
  /** Std of the Gaussian exploration noise, as a fraction of the action bound. */
  explorationNoise: number;
  evalEvery: number;
  evalEpisodes: number;
  /** Sparse actor: after this episode its gates are frozen at exactly 0 or 1 and only the survivors train on. */
  hardenAfter: number;
  /** Sparse actor: lambda grows linearly from 0 to its value over this fraction of all TD3 updates. */
  lambdaRamp: number;
  seed: number;
  replayCapacity: number;
  td3: Omit<Td3Options, 'policy' | 'lambda'>;
}

/** The tutorial's protocol (DESIGN.md section 2). */
export function defaultTrainConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  const episodes = overrides.episodes ?? 250;
  return {
    env: 'pendulum',
    g: 9.81,
    policy: 'poly:3',
    lambda: 5e-3,
    episodes,
    warmupEpisodes: 25,
    updateAfterEpisodes: 50,
    updatesPerEpisode: 100,
    batchSize: 256,
    explorationNoise: 0.1,
    evalEvery: 20,
    evalEpisodes: 10,
    hardenAfter: Math.round(0.8 * episodes),
    lambdaRamp: 0.25,
    seed: 0,
    replayCapacity: 1_000_000,
    td3: { ...TD3_DEFAULTS },
    ...overrides,
  };
}

export interface EpisodeRecord {
  episode: number;
  return: number;
  /** Surviving terms of the sparse actor after this episode (deterministic gates). */
  terms?: number;
  evalMean?: number;
  seconds: number;
}

export interface TrainState {
  config: TrainConfig;
  episode: number;
  actionRng: RngState;
  sampleRng: RngState;
  env: unknown;
  replay: { position: number; count: number };
  updates: number;
  frozen?: number[];
  history: EpisodeRecord[];
  seconds: number;
  updateSeconds: number;
  envSteps: number;
}

export interface TrainResult {
  law?: LawDocument;
  history: EpisodeRecord[];
  finalEval?: { mean: number; returns: number[] };
  terms?: number;
  seconds: number;
  envStepsPerSecond: number;
  updatesPerSecond: number;
  completed: boolean;
}

export interface TrainRunOptions {
  outDir?: string;
  resume?: boolean;
  /** Stop (with a checkpoint) after this episode, as an interruption would. */
  untilEpisode?: number;
  /** Checked after every episode: true stops the run with a checkpoint. */
  shouldStop?: () => boolean;
  onEpisode?: (record: EpisodeRecord, total: number) => void;
}

function makeEnv(config: TrainConfig): Env {
  if (config.env !== 'pendulum') throw new SparselawError(`unknown environment "${config.env}"`);
  return new Pendulum({ g: config.g });
}

/** Mean deterministic return over episodes whose initial states are fixed by the seed. */
export function evaluatePolicy(act: (obs: Float64Array, env: Env) => ArrayLike<number>, makeEnvFn: () => Env, episodes: number, seed: number): number[] {
  const env = makeEnvFn();
  const returns: number[] = [];
  for (let e = 0; e < episodes; e++) {
    let obs = env.reset(seed + e);
    let total = 0;
    for (;;) {
      const r = env.step(act(obs, env));
      total += r.reward;
      obs = r.observation;
      if (r.terminated || r.truncated) break;
    }
    returns.push(total);
  }
  return returns;
}

const evalSeed = (config: TrainConfig): number => config.seed + 1_000_003;

function countTerms(actor: Actor): number | undefined {
  if (!(actor instanceof SparseActor)) return undefined;
  return actor.gateValues().gate.reduce((s, g) => s + (g > 0 ? 1 : 0), 0);
}

export async function trainTd3(config: TrainConfig, options: TrainRunOptions = {}): Promise<TrainResult> {
  const env = makeEnv(config);
  const o = env.observationNames.length;
  const a = env.actionNames.length;
  const spec = {
    observationNames: env.observationNames,
    actionNames: env.actionNames,
    obsScale: Float64Array.from(env.observationHigh, (h) => (Number.isFinite(h) && h > 0 ? h : 1)),
    maxAction: Float64Array.from(env.actionHigh),
    seed: config.seed,
  };
  const agent = new Td3(spec, { ...config.td3, policy: config.policy, lambda: config.lambda });
  const buffer = new ReplayBuffer(Math.min(config.replayCapacity, config.episodes * env.maxEpisodeSteps), o, a);
  let actionRng = Rng.seeded(config.seed + 17);
  let sampleRng = Rng.seeded(config.seed + 29);
  let history: EpisodeRecord[] = [];
  let start = 0;
  let seconds = 0;
  let updateSeconds = 0;
  let envSteps = 0;
  const ckptPath = options.outDir ? join(options.outDir, 'checkpoint.bin') : undefined;
  if (options.outDir) mkdirSync(options.outDir, { recursive: true });

  if (options.resume) {
    if (!ckptPath || !existsSync(ckptPath)) throw new SparselawError(`nothing to resume: ${ckptPath ?? 'no output directory'} does not exist`);
    const { state, arrays } = readCheckpoint<TrainState>(ckptPath);
    if (JSON.stringify(state.config) !== JSON.stringify(config)) {
      throw new SparselawError(`${ckptPath}: the checkpoint was written with different settings; resume with the same options`);
    }
    await agent.loadArrays(arrays);
    if (agent.actor instanceof SparseActor) {
      const mask = state.frozen ? Float32Array.from(state.frozen) : undefined;
      agent.actor.setFrozen(mask);
      (agent.actorTarget as SparseActor).setFrozen(mask);
    }
    agent.updates = state.updates;
    [buffer.obs, buffer.action, buffer.reward, buffer.nextObs, buffer.terminal].forEach((arr, i) => {
      const saved = arrays.get(`replay.${i}`);
      if (!saved || saved.data.length !== arr.length) throw new SparselawError(`${ckptPath}: replay array ${i} is missing or has the wrong size`);
      arr.set(saved.data);
    });
    buffer.setState(state.replay);
    env.setState(state.env);
    actionRng = Rng.fromState(state.actionRng);
    sampleRng = Rng.fromState(state.sampleRng);
    history = state.history;
    start = state.episode;
    seconds = state.seconds;
    updateSeconds = state.updateSeconds;
    envSteps = state.envSteps;
  }

  const save = async (episode: number): Promise<void> => {
    if (!ckptPath) return;
    const state: TrainState = {
      config,
      episode,
      actionRng: actionRng.getState(),
      sampleRng: sampleRng.getState(),
      env: env.getState(),
      replay: buffer.getState(),
      updates: agent.updates,
      frozen: agent.actor instanceof SparseActor && agent.actor.frozenMask ? Array.from(agent.actor.frozenMask) : undefined,
      history,
      seconds,
      updateSeconds,
      envSteps,
    };
    const arrays = [...(await agent.saveArrays()), ...buffer.arrays().map((data, i) => ({ name: `replay.${i}`, shape: [data.length], data }))];
    writeCheckpoint(ckptPath, state, arrays);
    writeReturnsCsv(join(options.outDir!, 'returns.csv'), history);
  };

  const action = new Float64Array(a);
  const totalUpdates = Math.max(0, config.episodes - config.updateAfterEpisodes) * config.updatesPerEpisode;
  let lastEval: number[] = [];
  let completed = true;
  for (let ep = start; ep < config.episodes; ep++) {
    const t0 = performance.now();
    let obs = env.reset(ep === 0 ? config.seed : undefined);
    let total = 0;
    for (;;) {
      if (ep < config.warmupEpisodes) {
        for (let k = 0; k < a; k++) action[k] = actionRng.range(env.actionLow[k]!, env.actionHigh[k]!);
      } else {
        agent.actor.act(obs, action);
        for (let k = 0; k < a; k++) {
          const m = spec.maxAction[k]!;
          action[k] = Math.min(env.actionHigh[k]!, Math.max(env.actionLow[k]!, action[k]! + config.explorationNoise * m * actionRng.normal()));
        }
      }
      const r = env.step(action);
      buffer.add(obs, action, r.reward, r.observation, r.terminated);
      envSteps++;
      total += r.reward;
      obs = r.observation;
      if (r.terminated || r.truncated) break;
    }
    if (ep + 1 > config.updateAfterEpisodes) {
      const u0 = performance.now();
      for (let i = 0; i < config.updatesPerEpisode; i++) {
        if (agent.actor instanceof SparseActor) agent.actor.penaltyScale = Math.min(1, agent.updates / Math.max(1, config.lambdaRamp * totalUpdates));
        agent.update(buffer.sample(config.batchSize, sampleRng), sampleRng);
      }
      agent.actor.sync();
      agent.actorTarget.sync();
      updateSeconds += (performance.now() - u0) / 1000;
    }
    if (ep + 1 === config.hardenAfter && agent.actor instanceof SparseActor && !agent.actor.isFrozen) {
      agent.actor.harden();
      (agent.actorTarget as SparseActor).harden();
    }
    const record: EpisodeRecord = { episode: ep + 1, return: total, terms: countTerms(agent.actor), seconds: 0 };
    const evaluate = (ep + 1) % config.evalEvery === 0 || ep + 1 === config.episodes;
    if (evaluate) {
      lastEval = evaluatePolicy((x) => agent.actor.act(x), () => makeEnv(config), config.evalEpisodes, evalSeed(config));
      record.evalMean = lastEval.reduce((s, v) => s + v, 0) / lastEval.length;
    }
    seconds += (performance.now() - t0) / 1000;
    record.seconds = seconds;
    history.push(record);
    options.onEpisode?.(record, config.episodes);
    const stop = (options.untilEpisode !== undefined && ep + 1 >= options.untilEpisode && ep + 1 < config.episodes) || (options.shouldStop?.() ?? false);
    if (evaluate || stop) await save(ep + 1);
    if (stop && ep + 1 < config.episodes) {
      completed = false;
      break;
    }
  }

  const result: TrainResult = {
    history,
    seconds,
    envStepsPerSecond: envSteps / Math.max(1e-9, seconds - updateSeconds),
    updatesPerSecond: agent.updates / Math.max(1e-9, updateSeconds),
    completed,
  };
  if (completed) {
    // The last episode always evaluates, so its returns are the final evaluation (unless a finished
    // run was resumed and no episode ran).
    const returns = lastEval.length > 0 ? lastEval : evaluatePolicy((x) => agent.actor.act(x), () => makeEnv(config), config.evalEpisodes, evalSeed(config));
    result.finalEval = { mean: returns.reduce((s, v) => s + v, 0) / returns.length, returns };
    result.terms = countTerms(agent.actor);
    if (agent.actor instanceof SparseActor) {
      const law = agent.actor.toLaw();
      const gates = agent.actor.gateValues().gate;
      const sparseLaw: LawDocument = {
        ...law,
        metrics: {
          kind: 'training',
          evaluationReturns: returns,
          evaluationMean: result.finalEval.mean,
          terms: law.outputs.reduce((s, o) => s + o.terms.length, 0),
          gatesBinary: gates.every((g) => g === 0 || g === 1),
          episodes: config.episodes,
          seconds,
        },
        meta: { command: 'train', environment: 'Pendulum-v1', g: config.g, policy: config.policy, lambda: config.lambda, seed: config.seed },
      };
      result.law = sparseLaw;
      if (options.outDir) saveLaw(join(options.outDir, 'law.json'), sparseLaw);
    }
    if (options.outDir) {
      writeFileAtomic(
        join(options.outDir, 'summary.json'),
        JSON.stringify({ config, finalEval: result.finalEval, terms: result.terms, seconds, envStepsPerSecond: result.envStepsPerSecond, updatesPerSecond: result.updatesPerSecond }, null, 2) + '\n',
      );
    }
  }
  agent.dispose();
  return result;
}

function writeReturnsCsv(path: string, history: readonly EpisodeRecord[]): void {
  const lines = ['episode,return,eval_mean,terms,seconds'];
  for (const h of history) lines.push([h.episode, h.return, h.evalMean ?? '', h.terms ?? '', h.seconds.toFixed(3)].join(','));
  writeFileAtomic(path, lines.join('\n') + '\n');
}
