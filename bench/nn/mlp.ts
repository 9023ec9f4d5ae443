import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/util/rng.js';
import './matmul.js';

export interface MlpOptions {
  hidden?: 'relu' | 'tanh';
  output?: 'linear' | 'tanh';
  seed: number;
}

/**
 * A dense network as a list of tf.Variables. Weights are initialised from the seeded Rng (uniform
 * in ±1/sqrt(fan_in), as PyTorch's Linear does) so that runs are reproducible on every backend.
 */
export class Mlp {
  readonly variables: tf.Variable[];
  private readonly layers: { w: tf.Variable<tf.Rank.R2>; b: tf.Variable<tf.Rank.R1> }[] = [];
  private readonly opts: Required<Omit<MlpOptions, 'seed'>>;

  constructor(
    readonly sizes: readonly number[],
    options: MlpOptions,
  ) {
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new RangeError(`layer sizes must be at least two positive integers, got [${sizes.join(', ')}]`);
    }
    this.opts = { hidden: options.hidden ?? 'relu', output: options.output ?? 'linear' };
    const rng = Rng.seeded(options.seed);
    for (let i = 0; i + 1 < sizes.length; i++) {
      const fanIn = sizes[i]!;
      const fanOut = sizes[i + 1]!;
      const bound = 1 / Math.sqrt(fanIn);
      const w = new Float32Array(fanIn * fanOut).map(() => rng.range(-bound, bound));
      const b = new Float32Array(fanOut).map(() => rng.range(-bound, bound));
      this.layers.push({ w: tf.tidy(() => tf.variable(tf.tensor2d(w, [fanIn, fanOut]))), b: tf.tidy(() => tf.variable(tf.tensor1d(b))) });
    }
    this.variables = this.layers.flatMap((l) => [l.w, l.b]);
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    this.layers.forEach((l, i) => {
      const z = tf.add(tf.matMul(h, l.w), l.b) as tf.Tensor2D;
      const last = i === this.layers.length - 1;
      h = last ? (this.opts.output === 'tanh' ? tf.tanh(z) : z) : this.opts.hidden === 'relu' ? tf.relu(z) : tf.tanh(z);
    });
    return h;
  }

  getWeights(): Float32Array[] {
    return this.variables.map((v) => v.dataSync() as Float32Array).map((a) => Float32Array.from(a));
  }

  setWeights(weights: readonly Float32Array[]): void {
    if (weights.length !== this.variables.length) {
      throw new RangeError(`expected ${this.variables.length} weight arrays, got ${weights.length}`);
    }
    this.variables.forEach((v, i) => {
      if (weights[i]!.length !== v.size) throw new RangeError(`weight array ${i} has ${weights[i]!.length} values, expected ${v.size}`);
      tf.tidy(() => v.assign(tf.tensor(weights[i]!, v.shape)));
    });
  }

  copyFrom(other: Mlp): void {
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(other.variables[i]!)));
  }

  /** target <- tau * source + (1 - tau) * target (TD3's target networks). */
  polyakUpdate(source: Mlp, tau: number): void {
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(tf.add(tf.mul(source.variables[i]!, tau), tf.mul(v, 1 - tau)))));
  }

  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }
}
