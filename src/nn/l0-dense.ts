import * as tf from '@tensorflow/tfjs';
import { Mlp } from './mlp.js';
import { Rng } from '../util/rng.js';
import { BETA, GAMMA, ZETA, initLogAlpha, deterministicGate, probNonZero } from '../l0/hard-concrete.js';
import { progress, noProgress, type Progress } from '../util/progress.js';

/**
 * Dense regressors for the neural baselines: a plain MLP, and an MLP whose input units carry
 * hard-concrete gates (the L0Dense layer of Louizos et al. 2018, applied to the first layer), so a
 * whole input can be switched off. Inputs and outputs are standardised inside; predictions are in
 * the original units.
 */
export interface RegressorOptions {
  hidden: number[];
  /** L0 strength on the input gates; 0 gives the plain dense net. */
  lambda: number;
  seed: number;
}

export class Regressor {
  readonly net: Mlp;
  readonly logAlpha?: tf.Variable<tf.Rank.R2>;
  private xMean = new Float32Array(0);
  private xStd = new Float32Array(0);
  private yMean = new Float32Array(0);
  private yStd = new Float32Array(0);

  constructor(
    readonly inputs: number,
    readonly outputs: number,
    readonly options: RegressorOptions,
  ) {
    this.net = new Mlp([inputs, ...options.hidden, outputs], { seed: options.seed });
    if (options.lambda > 0) {
      this.logAlpha = tf.variable(tf.tensor2d(Float32Array.from(initLogAlpha(inputs, 0.5, Rng.seeded(options.seed + 1))), [1, inputs]));
    }
  }

  get variables(): tf.Variable[] {
    return this.logAlpha ? [...this.net.variables, this.logAlpha] : this.net.variables;
  }

  /** Gated inputs: sampled gates while training, deterministic ones otherwise. */
  private gate(x: tf.Tensor2D, u?: Float32Array): tf.Tensor2D {
    if (!this.logAlpha) return x;
    let z: tf.Tensor;
    if (u) {
      const logit = tf.tensor2d(u.map((v) => Math.log(v) - Math.log(1 - v)), [1, this.inputs]);
      z = tf.clipByValue(tf.add(tf.mul(tf.sigmoid(tf.div(tf.add(logit, this.logAlpha), BETA)), ZETA - GAMMA), GAMMA), 0, 1);
    } else {
      z = tf.clipByValue(tf.add(tf.mul(tf.sigmoid(this.logAlpha), ZETA - GAMMA), GAMMA), 0, 1);
    }
    return tf.mul(x, z) as tf.Tensor2D;
  }

  /** Deterministic input gates (all 1 for the plain net). */
  inputGates(): Float64Array {
    if (!this.logAlpha) return new Float64Array(this.inputs).fill(1);
    return Float64Array.from(this.logAlpha.dataSync(), deterministicGate);
  }

  expectedL0(): number {
    if (!this.logAlpha) return this.inputs;
    return Array.from(this.logAlpha.dataSync(), probNonZero).reduce((s, v) => s + v, 0);
  }

  fit(x: Float64Array, y: Float64Array, n: number, opts: { epochs: number; batchSize: number; lr: number; label?: string }): number[] {
    const { inputs: p, outputs: m } = this;
    const stats = (a: Float64Array, cols: number) => {
      const mean = new Float32Array(cols);
      const std = new Float32Array(cols);
      for (let c = 0; c < cols; c++) {
        let s = 0;
        let ss = 0;
        for (let r = 0; r < n; r++) s += a[r * cols + c]!;
        const mu = s / n;
        for (let r = 0; r < n; r++) ss += (a[r * cols + c]! - mu) ** 2;
        mean[c] = mu;
        std[c] = Math.sqrt(ss / n) || 1;
      }
      return { mean, std };
    };
    ({ mean: this.xMean, std: this.xStd } = stats(x, p));
    ({ mean: this.yMean, std: this.yStd } = stats(y, m));
    const xs = Float32Array.from(x, (v, i) => (v - this.xMean[i % p]!) / this.xStd[i % p]!);
    const ys = Float32Array.from(y, (v, i) => (v - this.yMean[i % m]!) / this.yStd[i % m]!);
    const rng = Rng.seeded(this.options.seed + 2);
    const opt = tf.train.adam(opts.lr);
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    const bx = new Float32Array(opts.batchSize * p);
    const by = new Float32Array(opts.batchSize * m);
    const losses: number[] = [];
    const bar: Progress = opts.label ? progress(opts.label, opts.epochs) : noProgress;
    const shift = BETA * Math.log(-GAMMA / ZETA);
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      let total = 0;
      let batches = 0;
      for (let start = 0; start + opts.batchSize <= n; start += opts.batchSize) {
        for (let r = 0; r < opts.batchSize; r++) {
          const src = order[start + r]!;
          bx.set(xs.subarray(src * p, src * p + p), r * p);
          by.set(ys.subarray(src * m, src * m + m), r * m);
        }
        const u = this.logAlpha ? Float32Array.from({ length: p }, () => Math.min(1 - 1e-6, Math.max(1e-6, rng.uniform()))) : undefined;
        const loss = opt.minimize(
          () => {
            const pred = this.net.apply(this.gate(tf.tensor2d(bx, [opts.batchSize, p]), u));
            const mse = tf.losses.meanSquaredError(tf.tensor2d(by, [opts.batchSize, m]), pred) as tf.Scalar;
            // Per-sample mean loss + lambda * E[L0], as the dictionary models.
            return this.logAlpha ? (tf.add(mse, tf.mul(tf.sum(tf.sigmoid(tf.sub(this.logAlpha, shift))), this.options.lambda)) as tf.Scalar) : mse;
          },
          true,
          this.variables,
        )!;
        total += loss.dataSync()[0]!;
        loss.dispose();
        batches++;
      }
      losses.push(total / Math.max(1, batches));
      bar.update(epoch + 1, { loss: losses.at(-1)! });
    }
    bar.stop();
    opt.dispose();
    return losses;
  }

  /** Predictions in the original units (n×m row-major). */
  predict(x: Float64Array, n: number): Float64Array {
    const { inputs: p, outputs: m } = this;
    const xs = Float32Array.from(x.subarray(0, n * p), (v, i) => (v - this.xMean[i % p]!) / this.xStd[i % p]!);
    const out = tf.tidy(() => this.net.apply(this.gate(tf.tensor2d(xs, [n, p]))).dataSync());
    return Float64Array.from(out, (v, i) => v * this.yStd[i % m]! + this.yMean[i % m]!);
  }

  dispose(): void {
    this.net.dispose();
    this.logAlpha?.dispose();
  }
}
