import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, type RngState } from '../../util/rng.js';
import { makeDirSync } from '../../util/make-dir.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { SparselawError } from '../../errors.js';
import { saveLaw } from '../../law/io.js';
import type { LawDocument } from '../../law/document.js';
import { getEnvEntry, prepareEnvEntry } from '../../envs/index.js';
import { envModuleForThreads } from '../../envs/module-env.js';
import { closeEnv } from '../../envs/env-state.js';
import { deterministicGate, probNonZero, sampleGate } from '../../l0/hard-concrete.js';
import { readCheckpoint, writeCheckpoint } from '../checkpoint.js';
import { firstDifference } from '../off-policy.js';
import { centredRanks } from '../random-search.js';
import { mean } from '../evaluate.js';
import { rolloutPool, type RolloutPool } from './pool.js';
import { rolloutRunner, type RolloutTask } from './rollouts.js';
import { checkSearchConfig, type SearchConfig } from './config.js';

export interface IterationRecord {
  iteration: number;
  /** Mean training return of the centre law (deterministic gates) on this iteration's resets. */
  return: number;
  /** Mean training return over all perturbed candidates. */
  populationMean: number;
  evalMean?: number;
  terms: number;
  envSteps: number;
  seconds: number;
}

/** Everything the search needs to continue bit-for-bit (doubles survive JSON exactly). */
interface SearchState {
  config: SearchConfig;
  iteration: number;
  rng: RngState;
  xi: number[];
  logAlpha: number[];
  adam: { m: number[]; v: number[]; t: number };
  /** 1 for a coefficient that survived hardening, 0 for a dropped one; null before hardening. */
  mask: number[] | null;
  features: { sumSq: number[]; count: number };
  history: IterationRecord[];
  seconds: number;
  envSteps: number;
}

export interface SearchRunOptions {
  outDir?: string;
  resume?: boolean;
  /** Stop with a checkpoint after this iteration, as an interruption would. */
  untilIteration?: number;
  shouldStop?: () => boolean;
  onIteration?: (record: IterationRecord, envStepsPerSecond: number) => void;
  /** Rollout worker threads (1: this thread); results do not depend on it. */
  workers?: number;
  /** The command line that started the run (recorded in law.json). */
  command?: string;
}

export interface SearchResult {
  completed: boolean;
  history: IterationRecord[];
  law?: LawDocument;
  finalEval?: { mean: number; returns: number[] };
  terms?: number;
  seconds: number;
  envSteps: number;
  /** The centre law's weights (p x a, row-major by term) in the library's scaled inputs. */
  weights: Float64Array;
}


/**
 * Derivative-free search over a sparse dictionary law a = tanh(Theta(x / scale) (Xi ⊙ Z)): antithetic
 * Gaussian perturbations of the coefficients and of the gates' logAlpha, one hard-concrete gate sample
 * per direction shared by its two signs, the best `top` directions, and Adam ascent on the estimated
 * return gradient minus lambda times the analytic gradient of the expected number of open gates.
 * After `hardenAt` the gates are fixed at 0 or 1 and the search tunes the survivors.
 */
export async function trainSearch(config: SearchConfig, options: SearchRunOptions = {}): Promise<SearchResult> {
  checkSearchConfig(config);
  const entry = getEnvEntry(config.env);
  await prepareEnvEntry(entry);
  // Worker threads load a user's environment module themselves.
  const envModule = (options.workers ?? 1) > 1 ? envModuleForThreads(entry) : undefined;
  const setup = { env: config.env, ...(envModule ? { envModule } : {}), envOptions: config.envOptions, policy: config.policy, observeParameters: config.observeParameters };
  const local = rolloutRunner(setup);
  const { p, a } = local.law;
  const n = p * a;
  const s = await initialState(config, n, options);
  const ckptPath = options.outDir ? join(options.outDir, 'checkpoint.bin') : undefined;
  if (options.outDir) makeDirSync(options.outDir);
  const pool = rolloutPool(setup, options.workers ?? 1);
  const rng = Rng.fromState(s.rng);
  const save = (): void => {
    if (!ckptPath) return;
    s.rng = rng.getState();
    writeCheckpoint(ckptPath, s, []);
    writeReturnsCsv(join(options.outDir!, 'returns.csv'), s.history);
  };
  const evalCases = entry.evaluation.default!.cases(config.seed + 1_000_003);
  const evaluate = async (): Promise<number[]> => {
    const w = centreWeights(s, p, a);
    const tasks: RolloutTask[] = evalCases.map((c) => ({ candidate: 0, seed: c.seed, ...(c.parameters ? { parameters: c.parameters } : {}) }));
    const out = await pool.run([w], tasks);
    s.envSteps += out.reduce((t, o) => t + o.steps, 0);
    return out.map((o) => o.return);
  };
  let completed = true;
  let lastEval: number[] = [];
  let lastSave = performance.now();
  try {
    for (let it = s.iteration + 1; it <= config.iterations; it++) {
      const t0 = performance.now();
      const steps0 = s.envSteps;
      const stepResult = await iterate(config, s, rng, pool, p, a);
      if (it === config.hardenAt) harden(s, config.maxTerms);
      const record: IterationRecord = { iteration: it, return: stepResult.centre, populationMean: stepResult.population, terms: countTerms(centreWeights(s, p, a)), envSteps: 0, seconds: 0 };
      const evaluateNow = it % config.evalEvery === 0 || it === config.iterations;
      if (evaluateNow) {
        lastEval = await evaluate();
        record.evalMean = mean(lastEval);
      }
      const dt = (performance.now() - t0) / 1000;
      s.seconds += dt;
      s.iteration = it;
      record.envSteps = s.envSteps;
      record.seconds = s.seconds;
      s.history.push(record);
      options.onIteration?.(record, (s.envSteps - steps0) / Math.max(1e-9, dt));
      await new Promise((resolve) => setImmediate(resolve));
      const stop = (options.untilIteration !== undefined && it >= options.untilIteration && it < config.iterations) || (options.shouldStop?.() ?? false);
      if (evaluateNow || stop || performance.now() - lastSave > 30_000) {
        save();
        lastSave = performance.now();
      }
      if (stop && it < config.iterations) {
        completed = false;
        break;
      }
    }
    if (!completed) return { completed, history: s.history, seconds: s.seconds, envSteps: s.envSteps, weights: centreWeights(s, p, a) };
    if (lastEval.length === 0) lastEval = await evaluate();
  } finally {
    await pool.close();
    closeEnv(local.env);
  }
  return finish(config, s, local.law, lastEval, options);
}

async function initialState(config: SearchConfig, n: number, options: SearchRunOptions): Promise<SearchState> {
  const ckptPath = options.outDir ? join(options.outDir, 'checkpoint.bin') : undefined;
  if (options.resume) {
    if (!ckptPath || !existsSync(ckptPath)) throw new SparselawError(`nothing to resume: ${ckptPath ?? 'no output directory'} does not exist`);
    const { state } = readCheckpoint<SearchState>(ckptPath);
    const diff = firstDifference(state.config, config);
    if (diff) throw new SparselawError(`${ckptPath}: the checkpoint was written with different settings: ${diff}; resume with the same options`);
    if (state.xi.length !== n) throw new SparselawError(`${ckptPath}: the checkpoint has ${state.xi.length} coefficients, the law ${n}`);
    return state;
  }
  const rng = Rng.seeded(config.seed);
  const la = Math.log(1 - config.gateInitDropRate) - Math.log(config.gateInitDropRate);
  return {
    config,
    iteration: 0,
    xi: new Array<number>(n).fill(0),
    logAlpha: Array.from({ length: n }, () => la + 0.01 * rng.normal()),
    adam: { m: new Array<number>(2 * n).fill(0), v: new Array<number>(2 * n).fill(0), t: 0 },
    mask: config.hardenAt === 0 ? new Array<number>(n).fill(1) : null,
    features: { sumSq: [], count: 0 },
    history: [],
    seconds: 0,
    envSteps: 0,
    rng: rng.getState(),
  };
}

/** Each term's RMS over the states visited so far (1 before any), floored so a silent term cannot blow up. */
function featureRms(s: SearchState, p: number): Float64Array {
  return Float64Array.from({ length: p }, (_, j) => (s.config.normalize && s.features.count > 0 ? Math.max(1e-2, Math.sqrt(s.features.sumSq[j]! / s.features.count)) : 1));
}

/** Weights over the raw library terms for coefficients xi and gates z. */
function lawWeights(xi: ArrayLike<number>, z: (i: number) => number, rms: Float64Array, a: number): Float64Array {
  return Float64Array.from({ length: xi.length }, (_, i) => {
    const g = z(i);
    return g === 0 ? 0 : (xi[i]! * g) / rms[Math.floor(i / a)]!;
  });
}

function centreWeights(s: SearchState, p: number, a: number): Float64Array {
  const mask = s.mask;
  return lawWeights(s.xi, mask ? (i) => mask[i]! : (i) => deterministicGate(s.logAlpha[i]!), featureRms(s, p), a);
}

const countTerms = (w: Float64Array): number => w.reduce((c, v) => c + (v !== 0 ? 1 : 0), 0);

/** One search iteration: perturb, roll out, update the feature statistics and take an Adam step. */
async function iterate(c: SearchConfig, s: SearchState, rng: Rng, pool: RolloutPool, p: number, a: number): Promise<{ centre: number; population: number }> {
  const n = p * a;
  const rms = featureRms(s, p);
  const gated = s.mask === null;
  const seeds = Array.from({ length: c.episodes }, () => rng.int(0x7fffffff));
  const dirs = Array.from({ length: c.directions }, () => ({
    dx: Float64Array.from({ length: n }, (_, i) => (s.mask && s.mask[i] === 0 ? 0 : rng.normal())),
    dl: gated ? Float64Array.from({ length: n }, () => rng.normal()) : undefined,
    u: gated ? Float64Array.from({ length: n }, () => rng.uniform()) : undefined,
  }));
  const weights: Float64Array[] = [];
  for (const d of dirs) {
    for (const sign of [1, -1]) {
      const xi = s.xi.map((x, i) => x + sign * c.sigma * d.dx[i]!);
      const z = d.u ? (i: number) => sampleGate(s.logAlpha[i]! + sign * c.sigma * c.gateScale * d.dl![i]!, d.u![i]!) : (i: number) => s.mask![i]!;
      weights.push(lawWeights(xi, z, rms, a));
    }
  }
  weights.push(centreWeights(s, p, a));
  const tasks: RolloutTask[] = [];
  weights.forEach((_, k) => seeds.forEach((seed) => tasks.push({ candidate: k, seed, ...(c.parameters ? { parameters: c.parameters } : {}), ...(c.horizon !== undefined ? { horizon: c.horizon } : {}) })));
  const outcomes = await pool.run(weights, tasks);
  const returns = weights.map((_, k) => mean(outcomes.slice(k * c.episodes, (k + 1) * c.episodes).map((o) => o.return)));
  if (s.features.sumSq.length === 0) s.features.sumSq = new Array<number>(p).fill(0);
  for (const o of outcomes) {
    for (let j = 0; j < p; j++) s.features.sumSq[j]! += o.sumSq[j]!;
    s.features.count += o.steps;
    s.envSteps += o.steps;
  }
  const pair = returns.slice(0, 2 * c.directions);
  if (pair.some((r) => !Number.isFinite(r))) throw new SparselawError('--algo es: a rollout returned a non-finite return (the environment diverged)');
  const shaped = c.shaping === 'rank' ? Array.from(centredRanks(pair)) : pair;
  const order = dirs.map((_, j) => j).sort((x, y) => Math.max(pair[2 * y]!, pair[2 * y + 1]!) - Math.max(pair[2 * x]!, pair[2 * x + 1]!) || x - y);
  const top = order.slice(0, c.top);
  const g = new Float64Array(2 * n);
  for (const j of top) {
    const diff = shaped[2 * j]! - shaped[2 * j + 1]!;
    for (let i = 0; i < n; i++) {
      g[i]! += (diff * dirs[j]!.dx[i]!) / (2 * c.top * c.sigma);
      if (gated) g[n + i]! += (diff * dirs[j]!.dl![i]!) / (2 * c.top * c.sigma * c.gateScale);
    }
  }
  if (gated) {
    for (let i = 0; i < n; i++) {
      const q = probNonZero(s.logAlpha[i]!);
      g[n + i]! -= c.lambda * q * (1 - q);
    }
  }
  adamAscent(s, g, c, gated, n);
  return { centre: returns[2 * c.directions]!, population: mean(pair) };
}

function adamAscent(s: SearchState, g: Float64Array, c: SearchConfig, gated: boolean, n: number): void {
  const { m, v } = s.adam;
  s.adam.t++;
  const t = s.adam.t;
  const upto = gated ? 2 * n : n;
  for (let i = 0; i < upto; i++) {
    if (i < n && s.mask && s.mask[i] === 0) continue;
    m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
    v[i] = 0.999 * v[i]! + 0.001 * g[i]! * g[i]!;
    const d = (m[i]! / (1 - 0.9 ** t)) / (Math.sqrt(v[i]! / (1 - 0.999 ** t)) + 1e-8);
    if (i < n) s.xi[i] = s.xi[i]! + c.step * d;
    else s.logAlpha[i - n] = s.logAlpha[i - n]! + c.step * c.gateScale * d;
  }
}

/** Fixes the gates at their deterministic values, keeps at most maxTerms open ones, folds them into the coefficients. */
function harden(s: SearchState, maxTerms: number | undefined): void {
  const n = s.xi.length;
  const open = Array.from({ length: n }, (_, i) => i)
    .filter((i) => deterministicGate(s.logAlpha[i]!) > 0 && s.xi[i] !== 0)
    .sort((x, y) => s.logAlpha[y]! - s.logAlpha[x]! || x - y);
  const kept = new Set(maxTerms === undefined ? open : open.slice(0, maxTerms));
  s.mask = Array.from({ length: n }, (_, i) => (kept.has(i) ? 1 : 0));
  s.xi = s.xi.map((x, i) => (kept.has(i) ? x * deterministicGate(s.logAlpha[i]!) : 0));
  s.adam = { m: new Array<number>(2 * n).fill(0), v: new Array<number>(2 * n).fill(0), t: 0 };
}

function finish(config: SearchConfig, s: SearchState, law: import('./law.js').DictionaryLaw, returns: number[], options: SearchRunOptions): SearchResult {
  const w = centreWeights(s, law.p, law.a);
  const terms = countTerms(w);
  const finalEval = { mean: mean(returns), returns };
  const doc: LawDocument = {
    ...law.toLaw(w),
    metrics: { kind: 'training', evaluationReturns: returns, evaluationMean: finalEval.mean, terms, gatesBinary: s.mask !== null, seconds: s.seconds, envSteps: s.envSteps },
    meta: {
      command: options.command ?? 'train --algo es',
      algo: 'es',
      environment: config.env,
      ...(config.envModule ? { environmentModule: config.envModule } : {}),
      envOptions: config.envOptions,
      policy: config.policy,
      lambda: config.lambda,
      seed: config.seed,
      iterations: config.iterations,
      wallSeconds: s.seconds,
      envSteps: s.envSteps,
    },
  };
  if (options.outDir) {
    saveLaw(join(options.outDir, 'law.json'), doc);
    writeCheckpoint(join(options.outDir, 'checkpoint.bin'), s, []);
    writeReturnsCsv(join(options.outDir, 'returns.csv'), s.history);
    writeFileAtomic(join(options.outDir, 'summary.json'), JSON.stringify({ config: { ...config, episodes: config.iterations }, finalEval, terms, gatesBinary: s.mask !== null, seconds: s.seconds, envSteps: s.envSteps, envStepsPerSecond: s.envSteps / Math.max(1e-9, s.seconds) }, null, 2) + '\n');
  }
  return { completed: true, history: s.history, law: doc, finalEval, terms, seconds: s.seconds, envSteps: s.envSteps, weights: w };
}

/** One row per iteration; the report reads `episode` (the iteration here), `return`, `eval_mean` and `terms`. */
function writeReturnsCsv(path: string, history: readonly IterationRecord[]): void {
  const lines = ['episode,return,population_mean,eval_mean,terms,env_steps,seconds'];
  for (const h of history) lines.push([h.iteration, h.return, h.populationMean, h.evalMean ?? '', h.terms, h.envSteps, h.seconds.toFixed(3)].join(','));
  writeFileAtomic(path, lines.join('\n') + '\n');
}
