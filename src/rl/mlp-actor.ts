import * as tf from '@tensorflow/tfjs';
import { Mlp } from '../nn/mlp.js';
import type { Actor, ActorSpec } from './actor.js';

/** The usual TD3 actor: an MLP with a tanh output scaled to the action bounds. */
export class MlpActor implements Actor {
  readonly kind = 'mlp';
  readonly net: Mlp;
  private readonly scaleT: tf.Tensor2D;
  private readonly maxT: tf.Tensor2D;
  private cache: Float32Array[] = [];

  constructor(
    readonly spec: ActorSpec,
    readonly hidden = [256, 256],
  ) {
    const o = spec.observationNames.length;
    this.net = new Mlp([o, ...hidden, spec.actionNames.length], { seed: spec.seed, output: 'tanh' });
    this.scaleT = tf.keep(tf.tensor2d(Float32Array.from(spec.obsScale, (s) => 1 / s), [1, o]));
    this.maxT = tf.keep(tf.tensor2d(Float32Array.from(spec.maxAction), [1, spec.actionNames.length]));
    this.sync();
  }

  get variables(): tf.Variable[] {
    return this.net.variables;
  }

  forward(obs: Float32Array, rows: number): tf.Tensor2D {
    const x = tf.mul(tf.tensor2d(obs.subarray(0, rows * this.spec.observationNames.length), [rows, this.spec.observationNames.length]), this.scaleT) as tf.Tensor2D;
    return tf.mul(this.net.apply(x), this.maxT) as tf.Tensor2D;
  }

  penalty(): undefined {
    return undefined;
  }

  /** A plain-JS forward pass: a per-step tfjs call costs more than the arithmetic. */
  act(obs: ArrayLike<number>, out = new Float64Array(this.spec.actionNames.length)): Float64Array {
    let h = Float64Array.from(obs as ArrayLike<number>, (v, i) => v / this.spec.obsScale[i]!);
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
    for (let k = 0; k < out.length; k++) out[k] = h[k]! * this.spec.maxAction[k]!;
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
    this.scaleT.dispose();
    this.maxT.dispose();
  }
}
