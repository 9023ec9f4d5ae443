import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng.js';
import type { Batch } from './replay-buffer.js';
import { type Actor, type ActorSpec } from './actor.js';
import { MlpActor } from './mlp-actor.js';
import { SparseActor } from './sparse-actor.js';
import { TwinCritics } from './twin-critics.js';
import type { SavedArray, Td3Options } from './td3.js';

/**
 * TD3 with the critics on TwinCritics (XNNPACK on preallocated buffers, one thread per critic)
 * and the actor on tfjs as before. The actor step never differentiates through a critic in tfjs:
 * critic 0 returns dQ1/da at the actor's actions, and the actor minimises the surrogate
 * -mean(sum_k dQ1/da_k * a_k) + penalty, whose gradient with respect to the actor's parameters is
 * exactly that of -mean(Q1(s, a(s))) + penalty.
 */
export class FastTd3 {
  readonly actor: Actor;
  readonly actorTarget: Actor;
  readonly optimizers: { actor: tf.AdamOptimizer; gates?: tf.AdamOptimizer };
  updates = 0;
  private readonly o: number;
  private readonly a: number;

  private constructor(
    readonly spec: ActorSpec,
    readonly options: Td3Options,
    readonly critics: TwinCritics,
  ) {
    this.o = spec.observationNames.length;
    this.a = spec.actionNames.length;
    const make = (seed: number): Actor =>
      options.policy === 'mlp' ? new MlpActor({ ...spec, seed }, options.actorHidden) : new SparseActor({ ...spec, seed }, options.policy, options.lambda);
    this.actor = make(spec.seed);
    this.actorTarget = make(spec.seed);
    this.actorTarget.copyFrom(this.actor);
    this.optimizers = {
      actor: tf.train.adam(options.policy === 'mlp' ? options.actorLr : options.sparseActorLr),
      ...(this.actor instanceof SparseActor ? { gates: tf.train.adam(options.gateLr) } : {}),
    };
  }

  /** `threads`: 2 runs each critic in a worker thread of its own, 1 runs both on the caller's. */
  static async create(spec: ActorSpec, options: Td3Options, threads: 1 | 2 = 2, maxRows = 256): Promise<FastTd3> {
    const o = spec.observationNames.length;
    const a = spec.actionNames.length;
    const critics = await TwinCritics.create(
      {
        stateDim: o,
        actionDim: a,
        hidden: options.criticHidden,
        inputScale: [...Array.from(spec.obsScale, (s) => 1 / s), ...Array.from(spec.maxAction, (m) => 1 / m)],
        maxRows,
        seeds: [spec.seed + 101, spec.seed + 202],
        lr: options.criticLr,
        gamma: options.gamma,
        tau: options.tau,
      },
      threads,
    );
    return new FastTd3(spec, options, critics);
  }

  update(batch: Batch, rng: Rng): { criticLoss: number; actorLoss?: number } {
    const n = batch.size;
    const { o, a } = this;
    const { policyNoise, noiseClip, policyDelay, tau } = this.options;
    const io = this.critics.io;
    const noise = new Float32Array(n * a);
    for (let r = 0; r < n; r++)
      for (let k = 0; k < a; k++) {
        const m = this.spec.maxAction[k]!;
        noise[r * a + k] = Math.min(noiseClip * m, Math.max(-noiseClip * m, policyNoise * m * rng.normal()));
      }
    io.state.set(batch.obs.subarray(0, n * o));
    io.action.set(batch.action.subarray(0, n * a));
    io.reward.set(batch.reward.subarray(0, n));
    io.nextState.set(batch.nextObs.subarray(0, n * o));
    io.terminal.set(batch.terminal.subarray(0, n));
    const actorStep = (this.updates + 1) % policyDelay === 0;
    // The critics start their forward passes while this thread computes the target action.
    this.critics.begin(n, actorStep);
    const a2 = tf.tidy(() => this.actorTarget.forward(batch.nextObs, n, 'deterministic').dataSync());
    for (let r = 0; r < n; r++)
      for (let k = 0; k < a; k++) {
        const m = this.spec.maxAction[k]!;
        io.nextAction[r * a + k] = Math.min(m, Math.max(-m, Math.fround(a2[r * a + k]! + noise[r * a + k]!)));
      }
    this.critics.nextActionReady();
    const result: { criticLoss: number; actorLoss?: number } = { criticLoss: 0 };
    if (actorStep) {
      let meanQ = 0;
      let penalty = 0;
      const surrogate = (): tf.Scalar => {
        const act = this.actor.forward(batch.obs, n, 'sample', rng);
        io.piAction.set(act.dataSync());
        meanQ = this.critics.actionGradient();
        const g = tf.tensor2d(io.dQda.slice(0, n * a), [n, a]);
        const loss = tf.div(tf.sum(tf.mul(act, g)), -n) as tf.Scalar;
        const pen = this.actor.penalty();
        if (!pen) return loss;
        penalty = pen.dataSync()[0]!;
        return tf.add(loss, pen) as tf.Scalar;
      };
      const sparse = this.actor instanceof SparseActor ? this.actor : undefined;
      if (sparse && this.optimizers.gates && !sparse.isFrozen) {
        const { value, grads } = tf.variableGrads(surrogate, [sparse.xi, sparse.logAlpha]);
        this.optimizers.actor.applyGradients([{ name: sparse.xi.name, tensor: grads[sparse.xi.name]! }]);
        this.optimizers.gates.applyGradients([{ name: sparse.logAlpha.name, tensor: grads[sparse.logAlpha.name]! }]);
        value.dispose();
        tf.dispose(grads);
      } else {
        const vars = sparse ? [sparse.xi] : this.actor.variables;
        this.optimizers.actor.minimize(surrogate, false, vars);
      }
      result.actorLoss = -meanQ + penalty;
    }
    result.criticLoss = this.critics.finish();
    this.updates++;
    if (actorStep) this.actorTarget.polyakUpdate(this.actor, tau);
    return result;
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
    this.critics.save().forEach((s, i) => push(`optimizer.critic${i}`, [Float32Array.of(s.step), s.m, s.v]));
    for (const [key, opt] of Object.entries(this.optimizers)) {
      const weights = await opt.getWeights();
      weights.forEach((w, i) => out.push({ name: `optimizer.${key}.${i}`, shape: w.tensor.shape, data: Float32Array.from(w.tensor.dataSync()) }));
    }
    return out;
  }

  async loadArrays(arrays: ReadonlyMap<string, SavedArray>): Promise<void> {
    const take = (prefix: string, count: number): Float32Array[] =>
      Array.from({ length: count }, (_, i) => {
        const a = arrays.get(`${prefix}.${i}`);
        if (!a) throw new Error(`the checkpoint has no ${prefix}.${i}`);
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
      restoreAdamPowers(opt, saved[0]!.data[0]!);
    }
  }

  async dispose(): Promise<void> {
    this.actor.dispose();
    this.actorTarget.dispose();
    for (const opt of Object.values(this.optimizers)) opt.dispose();
    await this.critics.dispose();
  }
}

/**
 * tf.train.adam keeps beta^t as a float32 variable multiplied by beta once per step, but its
 * setWeights recomputes it with pow(), which differs in the last bits: a resumed run would drift
 * from the uninterrupted one. Replaying the float32 products restores the exact values.
 */
export function restoreAdamPowers(opt: tf.AdamOptimizer, iterations: number): void {
  const o = opt as unknown as { beta1: number; beta2: number; accBeta1?: tf.Variable; accBeta2?: tf.Variable };
  if (!o.accBeta1 || !o.accBeta2) return;
  const b1 = Math.fround(o.beta1);
  const b2 = Math.fround(o.beta2);
  let p1 = b1;
  let p2 = b2;
  for (let i = 0; i < iterations; i++) {
    p1 = Math.fround(p1 * b1);
    p2 = Math.fround(p2 * b2);
  }
  tf.tidy(() => {
    o.accBeta1!.assign(tf.scalar(p1));
    o.accBeta2!.assign(tf.scalar(p2));
  });
}
