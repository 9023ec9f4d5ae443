import * as tf from '@tensorflow/tfjs';
import { Mlp } from './nn/mlp.js';
import type { Rng } from '../src/util/rng.js';
import { bootstrapDiscount, type Batch } from '../src/rl/replay-buffer.js';
import { type Actor, type ActorSpec, actionAffine } from '../src/rl/actor.js';
import { createActor, type Td3Options } from '../src/rl/td3.js';

/**
 * The TD3 update as it was before the critics moved to TwinCritics: every step in tfjs ops, the
 * critics as tf.Variables trained by tf.train.adam on one thread. Kept as the reference the
 * throughput benchmark (bench/td3-throughput.ts) measures the engine against in the same run; the
 * training loop uses Td3 (td3.ts).
 */
export class Td3Tfjs {
  readonly actor: Actor;
  readonly actorTarget: Actor;
  readonly critics: [Mlp, Mlp];
  readonly criticTargets: [Mlp, Mlp];
  readonly criticOptimizer: tf.AdamOptimizer;
  updates = 0;
  private readonly o: number;
  private readonly a: number;
  private readonly inScale: tf.Tensor2D;
  private readonly inShift: tf.Tensor2D;
  private readonly low: tf.Tensor2D;
  private readonly high: tf.Tensor2D;
  private readonly half: Float64Array;

  constructor(
    readonly spec: ActorSpec,
    readonly options: Td3Options,
    p0?: number,
  ) {
    this.o = spec.inputNames.length;
    this.a = spec.actionNames.length;
    this.actor = createActor(spec, options, p0);
    this.actorTarget = createActor(spec, options, p0);
    this.actorTarget.copyFrom(this.actor);
    const critic = (seed: number): Mlp => new Mlp([this.o + this.a, ...options.criticHidden, 1], { seed });
    this.critics = [critic(spec.seed + 101), critic(spec.seed + 202)];
    this.criticTargets = [critic(spec.seed + 101), critic(spec.seed + 202)];
    this.criticTargets[0].copyFrom(this.critics[0]);
    this.criticTargets[1].copyFrom(this.critics[1]);
    this.criticOptimizer = tf.train.adam(options.criticLr);
    // Critics see inputs divided by their scale and actions mapped from [low, high] to [-1, 1].
    const { centre, half } = actionAffine(spec);
    this.half = half;
    this.inScale = tf.keep(tf.tensor2d([...Array.from(spec.inputScale, (s) => 1 / s), ...Array.from(half, (h) => 1 / h)], [1, this.o + this.a]));
    this.inShift = tf.keep(tf.tensor2d([...new Array<number>(this.o).fill(0), ...Array.from(centre, (c) => -c)], [1, this.o + this.a]));
    this.low = tf.keep(tf.tensor2d(Float32Array.from(spec.actionLow), [1, this.a]));
    this.high = tf.keep(tf.tensor2d(Float32Array.from(spec.actionHigh), [1, this.a]));
  }

  get optimizers(): Record<string, tf.Optimizer> {
    return { critic: this.criticOptimizer, ...this.actor.optimizers };
  }

  private q(net: Mlp, obs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor2D {
    return net.apply(tf.mul(tf.add(tf.concat([obs, action], 1), this.inShift), this.inScale) as tf.Tensor2D);
  }

  /** One TD3 iteration on a sampled batch; returns the critic loss (and the actor loss on delayed steps). */
  update(batch: Batch, rng: Rng): { criticLoss: number; actorLoss?: number } {
    const n = batch.size;
    const { gamma, policyNoise, noiseClip, policyDelay, tau } = this.options;
    const noise = new Float32Array(n * this.a);
    if (policyNoise > 0) {
      for (let r = 0; r < n; r++)
        for (let k = 0; k < this.a; k++) {
          const m = this.half[k]!;
          noise[r * this.a + k] = Math.min(noiseClip * m, Math.max(-noiseClip * m, policyNoise * m * rng.normal()));
        }
    }
    const result: { criticLoss: number; actorLoss?: number } = { criticLoss: 0 };
    const obs = tf.tensor2d(batch.obs.subarray(0, n * this.o), [n, this.o]);
    const action = tf.tensor2d(batch.action.subarray(0, n * this.a), [n, this.a]);
    const target = tf.tidy(() => {
      const next = tf.tensor2d(batch.nextObs.subarray(0, n * this.o), [n, this.o]);
      const a2 = tf.add(this.actorTarget.forward(batch.nextObs, n, 'deterministic'), tf.tensor2d(noise, [n, this.a]));
      const bounded = tf.minimum(tf.maximum(a2, this.low), this.high) as tf.Tensor2D;
      const qMin = tf.minimum(this.q(this.criticTargets[0], next, bounded), this.q(this.criticTargets[1], next, bounded));
      const discount = tf.tensor2d(bootstrapDiscount(batch, gamma, new Float32Array(n)), [n, 1]);
      return tf.add(tf.tensor2d(batch.reward.subarray(0, n), [n, 1]), tf.mul(discount, qMin)) as tf.Tensor2D;
    });
    const criticVars = [...this.critics[0].variables, ...this.critics[1].variables];
    const closs = this.criticOptimizer.minimize(
      () => tf.add(tf.losses.meanSquaredError(target, this.q(this.critics[0], obs, action)), tf.losses.meanSquaredError(target, this.q(this.critics[1], obs, action))) as tf.Scalar,
      true,
      criticVars,
    )!;
    result.criticLoss = closs.dataSync()[0]!;
    closs.dispose();
    target.dispose();
    action.dispose();
    this.updates++;
    if (this.updates % policyDelay === 0) {
      const aloss = this.actor.step((act) => tf.neg(tf.mean(this.q(this.critics[0], obs, act))) as tf.Scalar, batch.obs, n, rng);
      result.actorLoss = aloss.dataSync()[0]!;
      aloss.dispose();
      this.criticTargets[0].polyakUpdate(this.critics[0], tau);
      this.criticTargets[1].polyakUpdate(this.critics[1], tau);
      this.actorTarget.polyakUpdate(this.actor, tau);
    }
    obs.dispose();
    return result;
  }

  /** Hardening applies to the actor and its target together. */
  harden(): void {
    this.actor.harden();
    this.actorTarget.harden();
  }

  dispose(): void {
    this.actor.dispose();
    this.actorTarget.dispose();
    for (const c of [...this.critics, ...this.criticTargets]) c.dispose();
    this.criticOptimizer.dispose();
    for (const t of [this.inScale, this.inShift, this.low, this.high]) t.dispose();
  }
}
