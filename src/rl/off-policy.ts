import { existsSync } from 'node:fs';
import { makeDirSync } from '../util/make-dir.js';
import { join } from 'node:path';
import { Rng, type RngState } from '../util/rng.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { SparselawError } from '../errors.js';
import { lawFromJson, saveLaw, type LawJson } from '../law/io.js';
import type { LawDocument } from '../law/document.js';
import { getEnvEntry, resolveEnvOptions, type EnvEntry } from '../envs/index.js';
import type { Env } from '../envs/env.js';
import type { EvalCase } from '../envs/registry.js';
import { NStepWriter, ReplayBuffer } from './replay-buffer.js';
import { Td3, TD3_DEFAULTS, type Td3Options } from './td3.js';
import { writeCheckpoint, readCheckpoint } from './checkpoint.js';
import { agentInput, evaluateCases, mean } from './evaluate.js';
import type { ActorSpec } from './actor.js';

export interface TrainConfig {
  /** Registry name of the environment. */
  env: string;
  /** The environment's options (resolved: every option present). */
  envOptions: Record<string, number>;
  /** Fixed parameters for every training episode; otherwise each reset draws them. */
  parameters?: number[];
  /** The agent (actor and critics) sees the environment's parameters; false gives the paper's baseline without mu. */
  observeParameters: boolean;
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
  /** Std of the Gaussian exploration noise, as a fraction of the action's half-range. */
  explorationNoise: number;
  /** The critics learn from n-step returns (1: TD3's one-step targets). */
  nStep: number;
  evalEvery: number;
  /** Evaluation protocol of the environment used during training, and how many of its episodes (all when absent). */
  evalProtocol: string;
  evalEpisodes?: number;
  /**
   * Keep the actor with the best mean return on this evaluation protocol, checked at every
   * evaluation once the actor acts and is in its final form (a sparse law once every gate is
   * exactly 0 or 1); absent: keep the last actor.
   */
  selectOn?: string;
  /** Sparse actor: after this episode its gates are frozen at exactly 0 or 1 and only the survivors train on. */
  hardenAfter: number;
  /** Sparse actor: lambda grows linearly from 0 to its value over this fraction of all TD3 updates. */
  lambdaRamp: number;
  /** Sparse actor: initial drop rate of the gates. */
  gateInitDropRate: number;
  seed: number;
  replayCapacity: number;
  td3: Omit<Td3Options, 'policy' | 'lambda'>;
  /**
   * Sparse actor: start from this law (its file as given, and the document itself, so a checkpoint
   * resumes without the file) with its structure fixed; TD3 tunes its coefficients.
   */
  startLaw?: { source: string; law: LawJson };
}

/**
 * The tutorial's protocol (DESIGN.md section 2), then the environment's own defaults, then a named
 * preset of the environment (if any), then overrides.
 */
export function defaultTrainConfig(overrides: Partial<TrainConfig> = {}, preset?: string): TrainConfig {
  const entry = getEnvEntry(overrides.env ?? 'pendulum');
  let d = entry.trainDefaults ?? {};
  if (preset !== undefined) {
    const p = entry.presets?.[preset];
    if (!p) throw new SparselawError(`${entry.id} has no preset "${preset}"${entry.presets ? ` (presets: ${Object.keys(entry.presets).join(', ')})` : ''}`);
    d = { ...d, ...p, td3: { ...d.td3, ...p.td3 } };
  }
  const episodes = overrides.episodes ?? d.episodes ?? 250;
  const base: TrainConfig = {
    env: entry.id,
    envOptions: resolveEnvOptions(entry),
    observeParameters: true,
    policy: d.policy ?? 'poly:3',
    lambda: d.lambda ?? 5e-3,
    episodes,
    warmupEpisodes: d.warmupEpisodes ?? 25,
    updateAfterEpisodes: d.updateAfterEpisodes ?? 50,
    updatesPerEpisode: d.updatesPerEpisode ?? 100,
    batchSize: 256,
    explorationNoise: d.explorationNoise ?? 0.1,
    nStep: d.nStep ?? 1,
    evalEvery: d.evalEvery ?? 20,
    evalProtocol: 'default',
    ...(d.selectOn !== undefined ? { selectOn: d.selectOn } : {}),
    hardenAfter: Math.round(0.8 * episodes),
    lambdaRamp: 0.25,
    gateInitDropRate: d.gateInitDropRate ?? 0.5,
    seed: 0,
    replayCapacity: 1_000_000,
    td3: { ...TD3_DEFAULTS, ...(d.td3 as Partial<Td3Options> | undefined) },
  };
  return { ...base, ...overrides, td3: { ...base.td3, ...overrides.td3 } };
}

export interface EpisodeRecord {
  episode: number;
  return: number;
  /** The episode's parameters (parametric environments). */
  parameters?: number[];
  /** Surviving terms of a sparse actor after this episode (deterministic gates). */
  terms?: number;
  evalMean?: number;
  evalStd?: number;
  /** Mean return on the selection protocol, where the actor was a candidate. */
  selectionMean?: number;
  /** TD3 updates done so far. */
  updates: number;
  seconds: number;
}

export interface TrainState {
  config: TrainConfig;
  /** What the agent's inputs were divided by (the registry's scale may change between versions). */
  inputScale?: number[];
  episode: number;
  actionRng: RngState;
  sampleRng: RngState;
  env: unknown;
  replay: { position: number; count: number };
  updates: number;
  actor: unknown;
  actorTarget: unknown;
  history: EpisodeRecord[];
  seconds: number;
  updateSeconds: number;
  envSteps: number;
  /** The selected actor so far (its weights are the checkpoint's best.actor arrays). */
  best?: { episode: number; score: number; actor: unknown };
}

export interface TrainResult {
  law?: LawDocument;
  history: EpisodeRecord[];
  finalEval?: { mean: number; returns: number[]; parameters?: number[][] };
  /** With selectOn: the kept actor's episode and mean on the selection protocol, and the last actor's evaluation and terms. */
  selection?: { protocol: string; episode: number; mean: number; last: { mean: number; terms?: number } };
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
  onEpisode?: (record: EpisodeRecord, total: number, updatesPerSecond: number) => void;
}

/** The first setting in which two configurations differ, as a dotted path, or undefined. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
  }
  return `${path || 'config'} (checkpoint: ${JSON.stringify(a)}, now: ${JSON.stringify(b)})`;
}

/** How many TD3 updates a configuration makes; 0 means the policy is never trained. */
export function plannedUpdates(config: Pick<TrainConfig, 'episodes' | 'updateAfterEpisodes' | 'updatesPerEpisode'>): number {
  return Math.max(0, config.episodes - config.updateAfterEpisodes) * config.updatesPerEpisode;
}

export function evaluationCases(entry: EnvEntry, config: TrainConfig): EvalCase[] {
  const cases = protocolCases(entry, config.evalProtocol, config.seed + 1_000_003);
  return config.evalEpisodes === undefined ? cases : cases.slice(0, config.evalEpisodes);
}

/** The selection protocol's episodes, seeded apart from the evaluation's; undefined without selection. */
export function selectionCases(entry: EnvEntry, config: TrainConfig): EvalCase[] | undefined {
  return config.selectOn === undefined ? undefined : protocolCases(entry, config.selectOn, config.seed + 2_000_003);
}

function protocolCases(entry: EnvEntry, name: string, seed: number): EvalCase[] {
  const protocol = entry.evaluation[name];
  if (!protocol) throw new SparselawError(`${entry.id} has no evaluation protocol "${name}" (it has: ${Object.keys(entry.evaluation).join(', ')})`);
  return protocol.cases(seed);
}

/** The agent's inputs, scales and action bounds for an environment and a configuration. */
export function agentSpec(entry: EnvEntry, env: Env, config: Pick<TrainConfig, 'observeParameters' | 'seed'>): ActorSpec {
  const o = env.observationNames.length + (config.observeParameters ? env.parameterNames.length : 0);
  return {
    inputNames: [...env.observationNames, ...(config.observeParameters ? env.parameterNames : [])],
    actionNames: env.actionNames,
    inputScale: entry.inputScale(env).slice(0, o),
    actionLow: Float64Array.from(env.actionLow),
    actionHigh: Float64Array.from(env.actionHigh),
    seed: config.seed,
  };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The off-policy loop: collect an episode (random warm-up actions, then the actor with Gaussian
 * exploration), store it, run the scheduled TD3 updates, evaluate, checkpoint and log. The update
 * itself is Td3's; nothing here depends on the environment or the actor beyond their interfaces.
 */
export async function trainTd3(config: TrainConfig, options: TrainRunOptions = {}): Promise<TrainResult> {
  const entry = getEnvEntry(config.env);
  const makeEnv = (): Env => entry.create(resolveEnvOptions(entry, config.envOptions));
  const env = makeEnv();
  const withParams = config.observeParameters;
  const spec = agentSpec(entry, env, config);
  const o = spec.inputNames.length;
  const a = env.actionNames.length;
  const half = Float64Array.from(env.actionLow, (lo, k) => (env.actionHigh[k]! - lo) / 2);
  const agent = await Td3.create(spec, { ...config.td3, policy: config.policy, lambda: config.lambda }, config.gateInitDropRate, { maxBatch: config.batchSize });
  const buffer = new ReplayBuffer(Math.min(config.replayCapacity, config.episodes * env.maxEpisodeSteps), o, a);
  const writer = new NStepWriter(buffer, config.nStep, config.td3.gamma);
  const cases = evaluationCases(entry, config);
  const candidates = selectionCases(entry, config);
  let best: { episode: number; score: number; actor: unknown; weights: Float32Array[] } | undefined;
  let actionRng = Rng.seeded(config.seed + 17);
  let sampleRng = Rng.seeded(config.seed + 29);
  let history: EpisodeRecord[] = [];
  let start = 0;
  let seconds = 0;
  let updateSeconds = 0;
  let envSteps = 0;
  const ckptPath = options.outDir ? join(options.outDir, 'checkpoint.bin') : undefined;
  if (options.outDir) makeDirSync(options.outDir);

  if (options.resume) {
    if (!ckptPath || !existsSync(ckptPath)) throw new SparselawError(`nothing to resume: ${ckptPath ?? 'no output directory'} does not exist`);
    const { state, arrays } = readCheckpoint<TrainState>(ckptPath);
    // Settings added after a checkpoint was written take their defaults, which reproduce the old behaviour.
    const saved: TrainConfig = { ...state.config, nStep: state.config.nStep ?? 1, td3: { ...TD3_DEFAULTS, ...state.config.td3 } };
    const diff = firstDifference(saved, config);
    if (diff) {
      // A run from before selection existed kept its last actor; the option that says so is not obvious.
      const hint = saved.selectOn === undefined && config.selectOn !== undefined && diff.startsWith('selectOn ') ? ' (this run keeps its last actor: add --select-on last)' : '';
      throw new SparselawError(`${ckptPath}: the checkpoint was written with different settings: ${diff}; resume with the same options${hint}`);
    }
    await agent.loadArrays(arrays);
    agent.actor.setState(state.actor);
    agent.actorTarget.setState(state.actorTarget);
    agent.updates = state.updates;
    buffer.loadArrays(arrays, ckptPath);
    buffer.setState(state.replay);
    env.setState(state.env);
    actionRng = Rng.fromState(state.actionRng);
    sampleRng = Rng.fromState(state.sampleRng);
    history = state.history;
    start = state.episode;
    seconds = state.seconds;
    updateSeconds = state.updateSeconds;
    envSteps = state.envSteps;
    if (state.best) best = { ...state.best, weights: selectedActorWeights(arrays, agent.actor.getWeights().length, ckptPath) };
  } else if (config.startLaw) {
    agent.startFromLaw(lawFromJson(config.startLaw.law, config.startLaw.source), config.startLaw.source);
  }

  const save = async (episode: number): Promise<void> => {
    if (!ckptPath) return;
    const state: TrainState = {
      config,
      inputScale: Array.from(spec.inputScale),
      episode,
      actionRng: actionRng.getState(),
      sampleRng: sampleRng.getState(),
      env: env.getState(),
      replay: buffer.getState(),
      updates: agent.updates,
      actor: agent.actor.getState(),
      actorTarget: agent.actorTarget.getState(),
      history,
      seconds,
      updateSeconds,
      envSteps,
      ...(best ? { best: { episode: best.episode, score: best.score, actor: best.actor } } : {}),
    };
    const bestArrays = (best?.weights ?? []).map((data, i) => ({ name: `best.actor.${i}`, shape: [data.length], data }));
    writeCheckpoint(ckptPath, state, [...(await agent.saveArrays()), ...buffer.savedArrays(), ...bestArrays]);
    writeReturnsCsv(join(options.outDir!, 'returns.csv'), history, env.parameterNames);
  };

  const action = new Float64Array(a);
  const input = new Float64Array(o);
  const nextInput = new Float64Array(o);
  const totalUpdates = plannedUpdates(config);
  const evaluate = (): number[] => evaluateCases((x) => agent.actor.act(x), makeEnv(), cases, { withParameters: withParams }).map((r) => r.return);
  let lastEval: number[] = [];
  let completed = true;
  const selectionScore = (): number => mean(evaluateCases((x) => agent.actor.act(x), makeEnv(), candidates!, { withParameters: withParams }).map((r) => r.return));
  // A start law is the first candidate (episode 0): training can only be kept where it improves on it.
  if (candidates && config.startLaw && start === 0 && !best) best = { episode: 0, score: selectionScore(), actor: agent.actor.getState(), weights: agent.actor.getWeights() };
  for (let ep = start; ep < config.episodes; ep++) {
    const t0 = performance.now();
    let obs = env.reset({ ...(ep === 0 ? { seed: config.seed } : {}), ...(config.parameters ? { parameters: config.parameters } : {}) });
    agentInput(obs, env, input, withParams);
    let total = 0;
    for (;;) {
      if (ep < config.warmupEpisodes) {
        for (let k = 0; k < a; k++) action[k] = actionRng.range(env.actionLow[k]!, env.actionHigh[k]!);
      } else {
        agent.actor.act(input, action);
        for (let k = 0; k < a; k++) {
          action[k] = Math.min(env.actionHigh[k]!, Math.max(env.actionLow[k]!, action[k]! + config.explorationNoise * half[k]! * actionRng.normal()));
        }
      }
      const r = env.step(action);
      agentInput(r.observation, env, nextInput, withParams);
      writer.push(input, action, r.reward, nextInput, r.terminated, r.truncated);
      envSteps++;
      total += r.reward;
      input.set(nextInput);
      if (r.terminated || r.truncated) break;
    }
    const params = Array.from(env.parameters());
    await yieldToEventLoop();
    if (ep + 1 > config.updateAfterEpisodes) {
      const u0 = performance.now();
      for (let i = 0; i < config.updatesPerEpisode; i++) {
        agent.actor.setPenaltyScale(Math.min(1, agent.updates / Math.max(1, config.lambdaRamp * totalUpdates)));
        agent.update(buffer.sample(config.batchSize, sampleRng), sampleRng);
        // Lets a second Ctrl-C end the process at once even inside a long block of updates.
        if (i % 10 === 9) await yieldToEventLoop();
      }
      agent.actor.sync();
      agent.actorTarget.sync();
      updateSeconds += (performance.now() - u0) / 1000;
    }
    if (ep + 1 === config.hardenAfter) agent.harden();
    const record: EpisodeRecord = { episode: ep + 1, return: total, updates: agent.updates, seconds: 0 };
    if (params.length > 0) record.parameters = params;
    const sparsity = agent.actor.sparsity();
    if (sparsity) record.terms = sparsity.terms;
    const evaluateNow = (ep + 1) % config.evalEvery === 0 || ep + 1 === config.episodes;
    if (evaluateNow) {
      lastEval = evaluate();
      record.evalMean = mean(lastEval);
      record.evalStd = Math.sqrt(mean(lastEval.map((v) => (v - record.evalMean!) ** 2)));
      const acting = ep + 1 > Math.max(config.warmupEpisodes, config.updateAfterEpisodes);
      if (candidates && acting && (sparsity?.gatesBinary ?? true)) {
        const score = selectionScore();
        record.selectionMean = score;
        if (!best || score > best.score) best = { episode: ep + 1, score, actor: agent.actor.getState(), weights: agent.actor.getWeights() };
      }
    }
    seconds += (performance.now() - t0) / 1000;
    record.seconds = seconds;
    history.push(record);
    options.onEpisode?.(record, config.episodes, agent.updates / Math.max(1e-9, updateSeconds));
    await yieldToEventLoop();
    const stop = (options.untilEpisode !== undefined && ep + 1 >= options.untilEpisode && ep + 1 < config.episodes) || (options.shouldStop?.() ?? false);
    if (evaluateNow || stop) await save(ep + 1);
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
    let returns = lastEval.length > 0 ? lastEval : evaluate();
    if (config.selectOn !== undefined && best) {
      const last = { mean: mean(returns), terms: agent.actor.sparsity()?.terms };
      const lastLaw = agent.actor.toLaw();
      if (best.episode !== history.at(-1)?.episode) {
        if (lastLaw && options.outDir) saveLaw(join(options.outDir, 'law-last.json'), lastLaw);
        agent.actor.setWeights(best.weights);
        agent.actor.setState(best.actor);
        agent.actor.sync();
        returns = evaluate();
      }
      result.selection = { protocol: config.selectOn, episode: best.episode, mean: best.score, last };
    }
    result.finalEval = { mean: mean(returns), returns, ...(env.parameterNames.length > 0 ? { parameters: cases.map((c) => c.parameters ?? []) } : {}) };
    const sparsity = agent.actor.sparsity();
    result.terms = sparsity?.terms;
    const law = agent.actor.toLaw();
    if (law && sparsity) {
      result.law = {
        ...law,
        metrics: {
          kind: 'training',
          evaluationReturns: returns,
          evaluationMean: result.finalEval.mean,
          terms: sparsity.terms,
          gatesBinary: sparsity.gatesBinary,
          episodes: config.episodes,
          seconds,
        },
        meta: {
          command: 'train',
          environment: env.id,
          envOptions: config.envOptions,
          policy: config.policy,
          lambda: config.lambda,
          seed: config.seed,
          ...(config.startLaw ? { startLaw: config.startLaw.source } : {}),
          ...(result.selection ? { selectedEpisode: result.selection.episode } : {}),
        },
      };
      if (options.outDir) saveLaw(join(options.outDir, 'law.json'), result.law);
    }
    if (options.outDir) {
      writeFileAtomic(
        join(options.outDir, 'summary.json'),
        JSON.stringify({ config, finalEval: result.finalEval, selection: result.selection, terms: result.terms, gatesBinary: sparsity?.gatesBinary, seconds, envStepsPerSecond: result.envStepsPerSecond, updatesPerSecond: result.updatesPerSecond }, null, 2) + '\n',
      );
    }
  }
  agent.dispose();
  return result;
}

function writeReturnsCsv(path: string, history: readonly EpisodeRecord[], parameterNames: readonly string[]): void {
  const lines = [['episode', 'return', 'eval_mean', 'eval_std', 'select_mean', 'terms', 'updates', 'seconds', ...parameterNames].join(',')];
  for (const h of history) lines.push([h.episode, h.return, h.evalMean ?? '', h.evalStd ?? '', h.selectionMean ?? '', h.terms ?? '', h.updates, h.seconds.toFixed(3), ...(h.parameters ?? [])].join(','));
  writeFileAtomic(path, lines.join('\n') + '\n');
}

/** The weights of the actor a run kept by selection, from its checkpoint's arrays. */
export function selectedActorWeights(arrays: ReadonlyMap<string, { data: Float32Array }>, count: number, path: string): Float32Array[] {
  return Array.from({ length: count }, (_, i) => {
    const a = arrays.get(`best.actor.${i}`);
    if (!a) throw new SparselawError(`${path}: the checkpoint has a selected actor but no best.actor.${i}`);
    return a.data;
  });
}
