import { Rng, type RngState } from '../../util/rng.js';
import { SparselawError } from '../../errors.js';
import type { LawDocument } from '../../law/document.js';
import { deterministicGate, probNonZero, sampleGate } from '../../l0/hard-concrete.js';
import { centredRanks } from '../random-search.js';
import { mean } from '../evaluate.js';
import type { Policy } from '../actor.js';
import type { IterationOutcome, IterationTrainer, RunCounters } from '../loop.js';
import type { SavedArray } from '../td3.js';
import type { DictionaryLaw } from './law.js';
import type { RolloutPool } from './pool.js';
import type { RolloutTask } from './rollouts.js';
import type { SearchConfig } from './config.js';

/** The search's own part of a checkpoint (doubles survive JSON exactly, so it resumes bit-for-bit). */
export interface SearchState {
  rng: RngState;
  xi: number[];
  logAlpha: number[];
  adam: { m: number[]; v: number[]; t: number };
  /** 1 for a coefficient that survived hardening, 0 for a dropped one; null before hardening. */
  mask: number[] | null;
  /** The structure search has ended (gates fixed, or the L1 law pruned); the penalty is off from then on. */
  hardened: boolean;
  /** With a pruning window: the law's terms at hardening, where the window's cap starts. */
  pruneFrom?: number;
  /** Running sums of every library term and of its square over the training steps. */
  features: { sum: number[]; sumSq: number[]; count: number };
  /** Search iterations done (the policy's updates). */
  updates: number;
}

/**
 * Derivative-free search over a sparse dictionary law a = tanh(Theta(x / scale) (Xi ⊙ Z)): antithetic
 * Gaussian perturbations of the coefficients and of the gates' logAlpha, one hard-concrete gate sample
 * per direction shared by its two signs, the best `top` directions, and Adam ascent on the estimated
 * return gradient minus lambda times the analytic gradient of the expected number of open gates.
 * After hardening the gates are fixed at 0 or 1 and the search tunes the survivors. With the L1
 * penalty instead, there are no gates: the ascent subtracts lambda times the sign of each
 * coefficient, and hardening prunes the small ones. Every episode runs in the rollout pool; its
 * `actor` is the centre law (deterministic gates).
 */
export class SearchTrainer implements IterationTrainer<SearchState> {
  private s: SearchState;
  private rng: Rng;
  private penaltyScale = 1;
  /** The library's constant term (-1 without one): it is never normalised, and centring folds the means into it. */
  private readonly constant: number;
  readonly actor: CentreLaw;

  constructor(
    private readonly config: SearchConfig,
    private readonly law: DictionaryLaw,
    private readonly pool: RolloutPool,
    readonly parameterNames: readonly string[],
  ) {
    const n = law.p * law.a;
    const rng = Rng.seeded(config.seed);
    const la = Math.log(1 - config.gateInitDropRate) - Math.log(config.gateInitDropRate);
    this.s = {
      rng: rng.getState(),
      xi: new Array<number>(n).fill(0),
      logAlpha: Array.from({ length: n }, () => la + 0.01 * rng.normal()),
      adam: { m: new Array<number>(2 * n).fill(0), v: new Array<number>(2 * n).fill(0), t: 0 },
      // The L1 search has no gates: every coefficient moves until pruning.
      mask: config.hardenAfter === 0 || config.penalty === 'l1' ? new Array<number>(n).fill(1) : null,
      // Hardening at 0 is the dense search, under either penalty: no gates, no penalty, no cut.
      hardened: config.hardenAfter === 0,
      features: { sum: [], sumSq: [], count: 0 },
      updates: 0,
    };
    this.rng = rng;
    this.constant = law.library.terms.findIndex((t) => t.type === 'num' && t.value === 1);
    if (config.center && this.constant < 0) throw new SparselawError(`--algo es: centring the terms needs a constant term in the library to fold the means into; ${config.policy} has none (poly:D has one)`);
    this.actor = new CentreLaw(this);
  }

  get updates(): number {
    return this.s.updates;
  }

  /** The centre law's weights over the raw library terms (p x a, row-major by term). */
  centreWeights(): Float64Array {
    const { mask, xi, logAlpha } = this.s;
    return this.lawWeights(xi, mask ? (i) => mask[i]! : (i) => deterministicGate(logAlpha[i]!), this.normalisation());
  }

  get dictionary(): DictionaryLaw {
    return this.law;
  }

  get gatesBinary(): boolean {
    return this.s.mask !== null;
  }

  /** The law has its final structure: the gates are hard and the pruning window, if any, is over. */
  get settled(): boolean {
    return this.s.hardened && this.s.updates >= this.config.hardenAfter + (this.config.pruneOver ?? 0);
  }

  setPenaltyScale(scale: number): void {
    this.penaltyScale = scale;
  }

  /**
   * Ends the structure search. L0: fixes the gates at their deterministic values and folds them into
   * the coefficients. L1: prunes the coefficients smaller than the threshold. Either way at most
   * maxTerms survive (all of them, with a pruning window: the window cuts them down), the largest
   * first: on normalised terms a coefficient's size is its term's share of the action.
   */
  harden(): void {
    const s = this.s;
    const n = s.xi.length;
    const l1 = this.config.penalty === 'l1';
    const threshold = this.config.pruneBelow ?? this.config.step;
    const gate = (i: number): number => (l1 ? 1 : deterministicGate(s.logAlpha[i]!));
    const open = Array.from({ length: n }, (_, i) => i).filter((i) => s.xi[i] !== 0 && (l1 ? s.mask![i] === 1 && Math.abs(s.xi[i]!) >= threshold : gate(i) > 0));
    s.xi = s.xi.map((x, i) => x * gate(i));
    const kept = this.keepLargest(open, this.config.pruneOver ? Infinity : (this.config.maxTerms ?? Infinity));
    if (this.config.pruneOver) s.pruneFrom = this.termsWith(kept);
    s.adam = { m: new Array<number>(2 * n).fill(0), v: new Array<number>(2 * n).fill(0), t: 0 };
    s.hardened = true;
    this.actor.sync();
  }

  /**
   * Keeps the largest of `candidates` (by |xi|) while the law has at most `cap` terms, and drops the
   * rest (their coefficients and Adam moments).
   */
  private keepLargest(candidates: readonly number[], cap: number): Set<number> {
    const s = this.s;
    const kept = new Set<number>();
    for (const i of [...candidates].sort((x, y) => Math.abs(s.xi[y]!) - Math.abs(s.xi[x]!) || x - y)) {
      if (this.termsWith(new Set(kept).add(i)) <= cap) kept.add(i);
    }
    s.mask = s.xi.map((_, i) => (kept.has(i) ? 1 : 0));
    s.xi = s.xi.map((x, i) => (kept.has(i) ? x : 0));
    const n = s.xi.length;
    for (let i = 0; i < n; i++) {
      if (kept.has(i)) continue;
      s.adam.m[i] = 0;
      s.adam.v[i] = 0;
    }
    return kept;
  }

  /**
   * Inside the pruning window, the cap on the terms after `done` of its iterations: it falls linearly
   * from the terms at hardening to maxTerms, which it reaches at the window's last iteration.
   */
  private pruneCap(done: number): number {
    const { maxTerms, pruneOver } = this.config;
    return maxTerms! + Math.ceil(Math.max(0, this.s.pruneFrom! - maxTerms!) * (1 - done / pruneOver!));
  }

  /** The law's terms if the coefficients in `all` survive: centring also gives each action that keeps a term its constant. */
  private termsWith(all: ReadonlySet<number>): number {
    if (!this.config.center) return all.size;
    const a = this.law.a;
    const columns = new Set([...all].filter((j) => Math.floor(j / a) !== this.constant).map((j) => j % a));
    return all.size + [...columns].filter((k) => !all.has(this.constant * a + k)).length;
  }

  /** One search iteration: perturb, roll out, update the feature statistics and take an Adam step. */
  async iterate(_iteration: number, beforeUpdate: () => void, counters: RunCounters): Promise<IterationOutcome> {
    const { config: c, s, rng } = this;
    if (s.pruneFrom !== undefined && s.updates < c.hardenAfter + c.pruneOver!) {
      const open = s.mask!.flatMap((m, i) => (m === 1 ? [i] : []));
      this.keepLargest(open, this.pruneCap(s.updates + 1 - c.hardenAfter));
      this.actor.sync();
    }
    const n = s.xi.length;
    const norm = this.normalisation();
    const gated = s.mask === null;
    const seeds = Array.from({ length: c.rollouts }, () => rng.int(0x7fffffff));
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
        weights.push(this.lawWeights(xi, z, norm));
      }
    }
    weights.push(this.centreWeights());
    const tasks: RolloutTask[] = [];
    const episode = { ...(c.parameters ? { parameters: c.parameters } : {}), ...(c.horizon !== undefined ? { horizon: c.horizon } : {}), ...(c.rewardShift !== 0 ? { rewardShift: c.rewardShift } : {}) };
    weights.forEach((_, k) => seeds.forEach((seed) => tasks.push({ candidate: k, seed, ...episode })));
    const outcomes = await this.pool.run(weights, tasks);
    const returns = weights.map((_, k) => mean(outcomes.slice(k * c.rollouts, (k + 1) * c.rollouts).map((o) => o.return)));
    this.addFeatureStatistics(outcomes, counters);
    const pair = returns.slice(0, 2 * c.directions);
    if (pair.some((r) => !Number.isFinite(r))) throw new SparselawError('--algo es: a rollout returned a non-finite return (the environment diverged)');
    const shaped = c.shaping === 'rank' ? Array.from(centredRanks(pair)) : pair;
    const order = dirs.map((_, j) => j).sort((x, y) => Math.max(pair[2 * y]!, pair[2 * y + 1]!) - Math.max(pair[2 * x]!, pair[2 * x + 1]!) || x - y);
    const g = new Float64Array(2 * n);
    for (const j of order.slice(0, c.top)) {
      const diff = shaped[2 * j]! - shaped[2 * j + 1]!;
      for (let i = 0; i < n; i++) {
        g[i]! += (diff * dirs[j]!.dx[i]!) / (2 * c.top * c.sigma);
        if (gated) g[n + i]! += (diff * dirs[j]!.dl![i]!) / (2 * c.top * c.sigma * c.gateScale);
      }
    }
    beforeUpdate();
    if (gated) {
      for (let i = 0; i < n; i++) {
        const q = probNonZero(s.logAlpha[i]!);
        g[n + i]! -= this.penaltyScale * c.lambda * q * (1 - q);
      }
    } else if (c.penalty === 'l1' && !s.hardened) {
      for (let i = 0; i < n; i++) g[i]! -= this.penaltyScale * c.lambda * Math.sign(s.xi[i]!);
    }
    this.adamAscent(g, gated);
    s.updates++;
    this.actor.sync();
    return { return: returns[2 * c.directions]!, parameters: [], populationMean: mean(pair) };
  }

  checkpointState(): SearchState {
    return { ...this.s, rng: this.rng.getState() };
  }

  async checkpointArrays(): Promise<SavedArray[]> {
    return [];
  }

  async restore(state: SearchState, _arrays: ReadonlyMap<string, SavedArray>, path: string): Promise<void> {
    if (state.xi.length !== this.s.xi.length) throw new SparselawError(`${path}: the checkpoint has ${state.xi.length} coefficients, the law ${this.s.xi.length}`);
    const { rng, xi, logAlpha, adam, mask, hardened, pruneFrom, features, updates } = state;
    this.s = { rng, xi, logAlpha, adam, mask, hardened, ...(pruneFrom !== undefined ? { pruneFrom } : {}), features, updates };
    this.rng = Rng.fromState(rng);
    this.actor.sync();
  }

  /**
   * What each term is divided by and (when centring) has subtracted: its RMS, or its mean and standard
   * deviation, over the states visited so far (1 and 0 before any, and for the constant term), floored
   * so that a silent term cannot blow up. Frozen within an iteration.
   */
  private normalisation(): { scale: Float64Array; mean: Float64Array | undefined } {
    const { sum, sumSq, count } = this.s.features;
    const { normalize, center } = this.config;
    const p = this.law.p;
    const on = normalize && count > 0;
    const mean = on && center ? Float64Array.from({ length: p }, (_, j) => (j === this.constant ? 0 : sum[j]! / count)) : undefined;
    const scale = Float64Array.from({ length: p }, (_, j) => {
      if (!on || j === this.constant) return 1;
      const second = sumSq[j]! / count;
      return Math.max(1e-2, Math.sqrt(mean ? Math.max(0, second - mean[j]! ** 2) : second));
    });
    return { scale, mean };
  }

  /** Weights over the raw library terms for coefficients xi and gates z on the normalised terms. */
  private lawWeights(xi: ArrayLike<number>, z: (i: number) => number, norm: { scale: Float64Array; mean: Float64Array | undefined }): Float64Array {
    const a = this.law.a;
    const w = Float64Array.from({ length: xi.length }, (_, i) => {
      const g = z(i);
      return g === 0 ? 0 : (xi[i]! * g) / norm.scale[Math.floor(i / a)]!;
    });
    if (norm.mean) {
      for (let i = 0; i < w.length; i++) w[this.constant * a + (i % a)]! -= w[i]! * norm.mean[Math.floor(i / a)]!;
    }
    return w;
  }

  private addFeatureStatistics(outcomes: readonly { steps: number; sum: Float64Array; sumSq: Float64Array }[], counters: RunCounters): void {
    const f = this.s.features;
    if (f.sumSq.length === 0) {
      f.sum = new Array<number>(this.law.p).fill(0);
      f.sumSq = new Array<number>(this.law.p).fill(0);
    }
    for (const o of outcomes) {
      for (let j = 0; j < this.law.p; j++) {
        f.sum[j]! += o.sum[j]!;
        f.sumSq[j]! += o.sumSq[j]!;
      }
      f.count += o.steps;
      counters.envSteps += o.steps;
    }
  }

  private adamAscent(g: Float64Array, gated: boolean): void {
    const { s, config: c } = this;
    const n = s.xi.length;
    const { m, v } = s.adam;
    s.adam.t++;
    const t = s.adam.t;
    for (let i = 0; i < (gated ? 2 * n : n); i++) {
      if (i < n && s.mask && s.mask[i] === 0) continue;
      m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
      v[i] = 0.999 * v[i]! + 0.001 * g[i]! * g[i]!;
      const d = m[i]! / (1 - 0.9 ** t) / (Math.sqrt(v[i]! / (1 - 0.999 ** t)) + 1e-8);
      if (i < n) s.xi[i] = s.xi[i]! + c.step * d;
      else s.logAlpha[i - n] = s.logAlpha[i - n]! + c.step * c.gateScale * d;
    }
  }
}

/** The search's current law (deterministic gates) as the policy the loop evaluates and exports. */
export class CentreLaw implements Policy {
  private weights: Float64Array;

  constructor(private readonly trainer: SearchTrainer) {
    this.weights = trainer.centreWeights();
  }

  /** Takes the trainer's current centre weights (after an update, hardening or a restore). */
  sync(): void {
    this.weights = this.trainer.centreWeights();
  }

  /** Acts with these weights (a law selection kept) instead of the search's centre, until the next sync. */
  keep(weights: Float64Array): void {
    this.weights = weights;
  }

  getWeights(): Float64Array {
    return this.weights;
  }

  act(obs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const law = this.trainer.dictionary;
    law.featuresOf(obs);
    return law.actFromFeatures(this.weights, out ?? new Float64Array(law.a));
  }

  setPenaltyScale(scale: number): void {
    this.trainer.setPenaltyScale(scale);
  }

  harden(): void {
    this.trainer.harden();
  }

  sparsity(): { terms: number; gatesBinary: boolean } {
    return { terms: this.weights.reduce((c, v) => c + (v !== 0 ? 1 : 0), 0), gatesBinary: this.trainer.gatesBinary };
  }

  toLaw(): LawDocument {
    return this.trainer.dictionary.toLaw(this.weights);
  }
}
