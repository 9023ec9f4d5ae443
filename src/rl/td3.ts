import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import type { Rng } from '../util/rng.js';
import { SparselawError } from '../errors.js';
import { bootstrapDiscount, type Batch } from './replay-buffer.js';
import { type Actor, type ActorSpec, actionAffine } from './actor.js';
import { MlpActor } from './mlp-actor.js';
import { SparseActor } from './sparse-actor.js';
import { TwinCritics } from './twin-critics.js';
import type { LawDocument } from '../law/document.js';

export interface Td3Options {
  /** 'mlp' or a library spec for the sparse dictionary actor (poly:3, fourier:1, poly:3+fourier:1, ...). */
  policy: string;
  lambda: number;
  criticHidden: number[];
  actorHidden: number[];
  gamma: number;
  tau: number;
  policyNoise: number;
  noiseClip: number;
  policyDelay: number;
  criticLr: number;
  /** Learning rate of the MLP actor. */
  actorLr: number;
  /** Learning rate of the sparse actor's coefficients: ~20 numbers, each moving at most lr per Adam step, need a larger one than an MLP's weights (measured: 3e-4 leaves the law at about -1500 after 140 episodes, 3e-3 learns as fast as the MLP). */
  sparseActorLr: number;
  /** Learning rate of the sparse actor's logAlpha (the gates need to travel further than xi). */
  gateLr: number;
  /** The sparse actor's coefficients start in ±initScale/sqrt(terms) (1: as a Linear layer). */
  sparseInitScale: number;
  /**
   * The sparse law's degree-1 terms enter multiplied by this, so their coefficients move this many
   * times faster per Adam step than the other terms' (the law itself is unchanged: it absorbs the factor).
   */
  sparseLinearGain: number;
  /** TD3 updates that train only the critics before the actor's first step (0: the actor steps from the start). */
  criticWarmupUpdates: number;
  /** The sparse actor's penalty: L0 gates (default) or L1 on the coefficients, pruned below `pruneBelow` at hardening. */
  penalty?: 'l0' | 'l1';
  pruneBelow?: number;
}

export interface SavedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export const TD3_DEFAULTS: Omit<Td3Options, 'policy' | 'lambda'> = {
  criticHidden: [256, 256],
  actorHidden: [256, 256],
  gamma: 0.99,
  tau: 0.005,
  policyNoise: 0.2,
  noiseClip: 0.5,
  policyDelay: 2,
  criticLr: 3e-4,
  actorLr: 3e-4,
  sparseActorLr: 3e-3,
  gateLr: 3e-3,
  sparseInitScale: 1,
  sparseLinearGain: 1,
  criticWarmupUpdates: 0,
};

/** The actor `options.policy` names: an MLP, or the sparse law over that library. */
export function createActor(spec: ActorSpec, options: Td3Options, p0?: number): Actor {
  return options.policy === 'mlp'
    ? new MlpActor(spec, options.actorHidden, options.actorLr)
    : new SparseActor(spec, options.policy, options.lambda, { p0, learningRate: options.sparseActorLr, gateLearningRate: options.gateLr, initScale: options.sparseInitScale, linearGain: options.sparseLinearGain, ...(options.penalty ? { penalty: options.penalty } : {}), ...(options.pruneBelow !== undefined ? { pruneBelow: options.pruneBelow } : {}) });
}

/**
 * Threads for the critics: SPARSELAW_THREADS=1|2, else 2 where the machine has two cores. A run's
 * numbers do not depend on it (each critic's arithmetic is the same on one thread or two).
 */
export function defaultCriticThreads(): 1 | 2 {
  const v = process.env.SPARSELAW_THREADS;
  if (v === undefined || v === '') return availableParallelism() >= 2 ? 2 : 1;
  if (v === '1' || v === '2') return Number(v) as 1 | 2;
  throw new SparselawError(`SPARSELAW_THREADS must be 1 or 2, got "${v}"`);
}

/**
 * The TD3 update (Fujimoto et al. 2018) for any actor: the actor owns its optimisers and penalty,
 * so nothing here depends on which actor it is. Every random number comes from the caller's Rng,
 * so a run is reproducible and resumable from a checkpoint.
 *
 * The critics run on TwinCritics (XNNPACK products on preallocated buffers, each critic in a worker
 * thread of its own), the actor on tfjs. The actor step never differentiates through a critic in
 * tfjs: critic 0 returns dQ1/da at the actor's actions, and the actor minimises the surrogate
 * -mean_r(sum_k dQ1/da_rk * a_rk) (+ its penalty), whose gradient with respect to the actor's
 * parameters is exactly that of -mean(Q1(s, a(s))). While the critics run their forward passes,
 * this thread computes the target action; while critic 0 trains, it samples the actor's action.
 */
export class Td3 {
  readonly actor: Actor;
  readonly actorTarget: Actor;
  updates = 0;
  private readonly o: number;
  private readonly a: number;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private readonly half: Float64Array;

  private constructor(
    readonly spec: ActorSpec,
    readonly options: Td3Options,
    readonly critics: TwinCritics,
    p0?: number,
  ) {
    this.o = spec.inputNames.length;
    this.a = spec.actionNames.length;
    this.actor = createActor(spec, options, p0);
    this.actorTarget = createActor(spec, options, p0);
    this.actorTarget.copyFrom(this.actor);
    this.low = Float64Array.from(spec.actionLow);
    this.high = Float64Array.from(spec.actionHigh);
    this.half = actionAffine(spec).half;
  }

  /**
   * Critics start as `Mlp`s with seeds spec.seed + 101 and + 202 would (same weights); `threads`
   * (default defaultCriticThreads()) is how many threads run them; `maxBatch` bounds update batches.
   */
  static async create(spec: ActorSpec, options: Td3Options, p0?: number, engine: { threads?: 1 | 2; maxBatch?: number } = {}): Promise<Td3> {
    const o = spec.inputNames.length;
    const a = spec.actionNames.length;
    // Critics see inputs divided by their scale and actions mapped from [low, high] to [-1, 1].
    const { centre, half } = actionAffine(spec);
    const critics = await TwinCritics.create(
      {
        stateDim: o,
        actionDim: a,
        hidden: options.criticHidden,
        inputScale: [...Array.from(spec.inputScale, (s) => 1 / s), ...Array.from(half, (h) => 1 / h)],
        inputShift: [...new Array<number>(o).fill(0), ...Array.from(centre, (c) => -c)],
        maxRows: engine.maxBatch ?? 256,
        seeds: [spec.seed + 101, spec.seed + 202],
        lr: options.criticLr,
        tau: options.tau,
      },
      engine.threads ?? defaultCriticThreads(),
    );
    return new Td3(spec, options, critics, p0);
  }

  /** The actor's optimisers (the critics' Adam state is saved with the critics). */
  get optimizers(): Readonly<Record<string, tf.Optimizer>> {
    return this.actor.optimizers;
  }

  /** One TD3 iteration on a sampled batch; returns the critic loss (and the actor loss on delayed steps). */
  update(batch: Batch, rng: Rng): { criticLoss: number; actorLoss?: number } {
    const n = batch.size;
    const { o, a } = this;
    const { policyNoise, noiseClip, policyDelay, tau } = this.options;
    const io = this.critics.io;
    const noise = new Float32Array(n * a);
    if (policyNoise > 0) {
      for (let r = 0; r < n; r++)
        for (let k = 0; k < a; k++) {
          const m = this.half[k]!;
          noise[r * a + k] = Math.min(noiseClip * m, Math.max(-noiseClip * m, policyNoise * m * rng.normal()));
        }
    }
    io.state.set(batch.obs.subarray(0, n * o));
    io.action.set(batch.action.subarray(0, n * a));
    io.reward.set(batch.reward.subarray(0, n));
    io.nextState.set(batch.nextObs.subarray(0, n * o));
    bootstrapDiscount(batch, this.options.gamma, io.discount);
    const actorStep = (this.updates + 1) % policyDelay === 0 && this.updates >= (this.options.criticWarmupUpdates ?? 0);
    this.critics.begin(n, actorStep);
    const a2 = tf.tidy(() => this.actorTarget.forward(batch.nextObs, n, 'deterministic').dataSync());
    for (let r = 0; r < n; r++)
      for (let k = 0; k < a; k++) io.nextAction[r * a + k] = Math.min(this.high[k]!, Math.max(this.low[k]!, Math.fround(a2[r * a + k]! + noise[r * a + k]!)));
    this.critics.nextActionReady();
    const result: { criticLoss: number; actorLoss?: number } = { criticLoss: 0 };
    if (actorStep) {
      let meanQ = 0;
      let surrogate = 0;
      const aloss = this.actor.step(
        (act) => {
          io.piAction.set(act.dataSync());
          meanQ = this.critics.actionGradient();
          for (let i = 0; i < n * a; i++) surrogate -= io.piAction[i]! * io.dQda[i]!;
          surrogate /= n;
          return tf.div(tf.sum(tf.mul(act, tf.tensor2d(io.dQda.subarray(0, n * a), [n, a]))), -n) as tf.Scalar;
        },
        batch.obs,
        n,
        rng,
      );
      // Reported as -mean Q1 plus whatever penalty the actor added to the surrogate.
      result.actorLoss = -meanQ + (aloss.dataSync()[0]! - surrogate);
      aloss.dispose();
    }
    result.criticLoss = this.critics.finish();
    this.updates++;
    if (actorStep) this.actorTarget.polyakUpdate(this.actor, tau);
    return result;
  }

  /** Hardening applies to the actor and its target together. */
  harden(): void {
    this.actor.harden();
    this.actorTarget.harden();
  }

  /** The actor and its target start from a law document (an actor that cannot be a law refuses). */
  startFromLaw(law: LawDocument, source?: string): void {
    if (!this.actor.startFromLaw) throw new SparselawError(`a ${this.actor.kind} actor cannot start from a law; a sparse law's library can`);
    this.actor.startFromLaw(law, source);
    this.actorTarget.copyFrom(this.actor);
    this.actor.sync();
    this.actorTarget.sync();
  }

  /** Every weight and optimiser moment, in a fixed order, for checkpoints. */
  async saveArrays(): Promise<SavedArray[]> {
    const out: SavedArray[] = [];
    const push = (prefix: string, arrays: Float32Array[]) => arrays.forEach((data, i) => out.push({ name: `${prefix}.${i}`, shape: [data.length], data }));
    push('actor', this.actor.getWeights());
    push('actorTarget', this.actorTarget.getWeights());
    for (const i of [0, 1] as const) {
      push(`critic${i}`, this.critics.weights(i, 'net'));
      push(`criticTarget${i}`, this.critics.weights(i, 'target'));
    }
    // Adam of each critic: [step, first moments, second moments] over its flat parameters.
    this.critics.save().forEach((s, i) => push(`optimizer.critic${i}`, [Float32Array.of(s.step), s.m, s.v]));
    for (const [key, opt] of Object.entries(this.optimizers)) {
      // Adam's state is [iter, first moments..., second moments...], matched to variables by position.
      const weights = await opt.getWeights();
      weights.forEach((w, i) => out.push({ name: `optimizer.${key}.${i}`, shape: w.tensor.shape, data: Float32Array.from(w.tensor.dataSync()) }));
      const beta = adamBetaPowers(opt);
      if (beta) out.push({ name: `optimizer.${key}.betaPowers`, shape: [2], data: Float32Array.of(beta[0].dataSync()[0]!, beta[1].dataSync()[0]!) });
    }
    return out;
  }

  async loadArrays(arrays: ReadonlyMap<string, SavedArray>): Promise<void> {
    const take = (prefix: string, count: number): Float32Array[] =>
      Array.from({ length: count }, (_, i) => {
        const a = arrays.get(`${prefix}.${i}`);
        if (!a) throw new SparselawError(`the checkpoint has no ${prefix}.${i}`);
        return a.data;
      });
    this.actor.setWeights(take('actor', this.actor.getWeights().length));
    this.actorTarget.setWeights(take('actorTarget', this.actorTarget.getWeights().length));
    const layers = this.critics.weights(0).length;
    const flat = (parts: Float32Array[]): Float32Array => {
      const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    };
    this.critics.load(
      ([0, 1] as const).map((i) => {
        const [step, m, v] = take(`optimizer.critic${i}`, 3);
        return { params: flat(take(`critic${i}`, layers)), target: flat(take(`criticTarget${i}`, layers)), m: m!, v: v!, step: step![0]! };
      }),
    );
    for (const [key, opt] of Object.entries(this.optimizers)) {
      const saved: SavedArray[] = [];
      for (let i = 0; arrays.has(`optimizer.${key}.${i}`); i++) saved.push(arrays.get(`optimizer.${key}.${i}`)!);
      if (saved.length === 0) continue;
      await opt.setWeights(saved.map((w, i) => ({ name: i === 0 ? 'iter' : `m${i}`, tensor: tf.tensor(w.data, w.shape) })));
      const beta = adamBetaPowers(opt);
      const betaSaved = arrays.get(`optimizer.${key}.betaPowers`);
      if (beta && betaSaved) {
        beta[0].assign(tf.scalar(betaSaved.data[0]!));
        beta[1].assign(tf.scalar(betaSaved.data[1]!));
      }
    }
  }

  dispose(): void {
    this.actor.dispose();
    this.actorTarget.dispose();
    this.critics.dispose();
  }
}

/**
 * Adam's running beta1^t and beta2^t. tfjs's setWeights recomputes them with pow(), which differs in
 * the last float32 bits from the product accumulated step by step, so a resumed run would drift;
 * they are saved and restored as they are.
 */
function adamBetaPowers(opt: tf.Optimizer): [tf.Variable, tf.Variable] | undefined {
  const o = opt as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
  return o.accBeta1 && o.accBeta2 ? [o.accBeta1, o.accBeta2] : undefined;
}
