import * as tf from '@tensorflow/tfjs';
import { Mlp } from '../nn/mlp.js';
import type { Rng } from '../util/rng.js';
import { type Actor, type ActorSpec, actionAffine } from './actor.js';

/** The usual TD3 actor: an MLP with a tanh output mapped to the action bounds. */
export class MlpActor implements Actor {
  readonly kind = 'mlp';
  readonly net: Mlp;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  private readonly scaleT: tf.Tensor2D;
  private readonly centreT: tf.Tensor2D;
  private readonly halfT: tf.Tensor2D;
  private readonly centre: Float64Array;
  private readonly half: Float64Array;
  private cache: Float32Array[] = [];

  constructor(
    readonly spec: ActorSpec,
    readonly hidden = [256, 256],
    learningRate = 3e-4,
  ) {
    const o = spec.inputNames.length;
    const a = spec.actionNames.length;
    this.net = new Mlp([o, ...hidden, a], { seed: spec.seed, output: 'tanh' });
    ({ centre: this.centre, half: this.half } = actionAffine(spec));
    this.scaleT = tf.keep(tf.tensor2d(Float32Array.from(spec.inputScale, (s) => 1 / s), [1, o]));
    this.centreT = tf.keep(tf.tensor2d(Float32Array.from(this.centre), [1, a]));
    this.halfT = tf.keep(tf.tensor2d(Float32Array.from(this.half), [1, a]));
    this.optimizers = { actor: tf.train.adam(learningRate) };
    this.sync();
  }

  get variables(): tf.Variable[] {
    return this.net.variables;
  }

  forward(obs: Float32Array, rows: number): tf.Tensor2D {
    const o = this.spec.inputNames.length;
    const x = tf.mul(tf.tensor2d(obs.subarray(0, rows * o), [rows, o]), this.scaleT) as tf.Tensor2D;
    return tf.add(tf.mul(this.net.apply(x), this.halfT), this.centreT) as tf.Tensor2D;
  }

  step(objective: (action: tf.Tensor2D) => tf.Scalar, obs: Float32Array, rows: number, _rng: Rng): tf.Scalar {
    return this.optimizers.actor!.minimize(() => objective(this.forward(obs, rows)), true, this.net.variables)!;
  }

  setPenaltyScale(): void {}

  harden(): void {}

  sparsity(): undefined {
    return undefined;
  }

  toLaw(): undefined {
    return undefined;
  }

  getState(): undefined {
    return undefined;
  }

  setState(): void {}

  /** A plain-JS forward pass: a per-step tfjs call costs more than the arithmetic. */
  act(obs: ArrayLike<number>, out = new Float64Array(this.spec.actionNames.length)): Float64Array {
    let h = Float64Array.from({ length: this.spec.inputNames.length }, (_, i) => obs[i]! / this.spec.inputScale[i]!);
    const layers = this.cache.length / 2;
    for (let l = 0; l < layers; l++) {
      const W = this.cache[2 * l]!;
      const b = this.cache[2 * l + 1]!;
      const nOut = b.length;
      const nIn = h.length;
      const next = new Float64Array(nOut);
      for (let j = 0; j < nOut; j++) {
        let s = b[j]!;
        for (let i = 0; i < nIn; i++) s += h[i]! * W[i * nOut + j]!;
        next[j] = l + 1 < layers ? Math.max(0, s) : Math.tanh(s);
      }
      h = next;
    }
    for (let k = 0; k < out.length; k++) out[k] = this.centre[k]! + h[k]! * this.half[k]!;
    return out;
  }

  sync(): void {
    this.cache = this.net.getWeights();
  }

  getWeights(): Float32Array[] {
    return this.net.getWeights();
  }

  setWeights(w: readonly Float32Array[]): void {
    this.net.setWeights(w);
    this.sync();
  }

  copyFrom(other: Actor): void {
    this.net.copyFrom((other as MlpActor).net);
  }

  polyakUpdate(source: Actor, tau: number): void {
    this.net.polyakUpdate((source as MlpActor).net, tau);
  }

  dispose(): void {
    this.net.dispose();
    for (const t of [this.scaleT, this.centreT, this.halfT]) t.dispose();
    for (const opt of Object.values(this.optimizers)) opt.dispose();
  }
}
