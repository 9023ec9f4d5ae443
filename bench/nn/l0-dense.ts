import * as tf from '@tensorflow/tfjs';
import { Mlp } from './mlp.js';
import './matmul.js';
import { Rng } from '../../src/util/rng.js';
import { minibatches } from '../../src/util/minibatch.js';
import { initLogAlpha, deterministicGate, probNonZero } from '../../src/l0/hard-concrete.js';
import { logisticNoise, sampleGatesFromNoise, deterministicGates, probNonZeroTensor } from '../../src/l0/hard-concrete-tfjs.js';
import { progress, noProgress, type Progress } from '../../src/util/progress.js';

/**
 * Hard-concrete gates as tfjs ops, an L0Dense layer (Louizos, Welling & Kingma 2018: one gate per
 * input unit of a dense layer, so a whole input can be switched off), an L0Mlp whose first layer is
 * L0Dense, and the training loop shared by the dense and L0 dense baselines.
 */

export interface L0DenseOptions {
  seed: number;
  /** Initial drop rate of the gates (default 0.5). */
  p0?: number;
}

/**
 * y = (x ⊙ z) W + b with one hard-concrete gate z per input feature. In training the gates are
 * sampled per example (Louizos et al.'s L0Dense draws a [batch, inputs] sample, which has less
 * variance than one draw per batch); at test time they are deterministic, so a closed gate removes
 * its input exactly.
 */
export class L0Dense {
  readonly w: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable<tf.Rank.R1>;
  readonly logAlpha: tf.Variable<tf.Rank.R1>;
  readonly variables: tf.Variable[];

  constructor(
    readonly inputs: number,
    readonly units: number,
    options: L0DenseOptions,
  ) {
    if (!Number.isInteger(inputs) || inputs < 1 || !Number.isInteger(units) || units < 1) {
      throw new RangeError(`L0Dense needs positive integer sizes, got ${inputs} -> ${units}`);
    }
    // Same initialisation as Mlp (uniform in ±1/sqrt(fan_in), PyTorch's Linear), from the seed.
    const rng = Rng.seeded(options.seed);
    const bound = 1 / Math.sqrt(inputs);
    const w = new Float32Array(inputs * units).map(() => rng.range(-bound, bound));
    const b = new Float32Array(units).map(() => rng.range(-bound, bound));
    const la = Float32Array.from(initLogAlpha(inputs, options.p0 ?? 0.5, rng));
    // tf.variable keeps its initial tensor alive unless that is made inside a tidy.
    this.w = tf.tidy(() => tf.variable(tf.tensor2d(w, [inputs, units])));
    this.b = tf.tidy(() => tf.variable(tf.tensor1d(b)));
    this.logAlpha = tf.tidy(() => tf.variable(tf.tensor1d(la)));
    this.variables = [this.w, this.b, this.logAlpha];
  }

  /**
   * Forward pass. `noise` (rows×inputs logistic noise, see logisticNoise) samples training gates;
   * without it the deterministic gates are used.
   */
  apply(x: tf.Tensor2D, noise?: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const z = noise ? sampleGatesFromNoise(this.logAlpha, noise) : deterministicGates(this.logAlpha);
      return tf.add(tf.matMul(tf.mul(x, z) as tf.Tensor2D, this.w), this.b) as tf.Tensor2D;
    });
  }

  /** Sum of P(z != 0) over the input gates, as a differentiable scalar. */
  expectedL0(): tf.Scalar {
    return tf.tidy(() => tf.sum(probNonZeroTensor(this.logAlpha)) as tf.Scalar);
  }

  /** Deterministic gates as numbers (0 means the input is switched off). */
  gates(): Float64Array {
    return Float64Array.from(this.logAlpha.dataSync(), (v) => deterministicGate(v));
  }

  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }
}

export interface L0MlpOptions {
  seed: number;
  hidden?: 'relu' | 'tanh';
  p0?: number;
}

/**
 * An MLP whose first layer is L0Dense: sizes [inputs, ...hidden, outputs], activation after every
 * layer but the last (which is linear), like Mlp.
 */
export class L0Mlp {
  readonly first: L0Dense;
  /** The dense layers after the first (absent when sizes has only two entries). */
  readonly rest?: Mlp;
  readonly variables: tf.Variable[];
  private readonly activation: 'relu' | 'tanh';

  constructor(
    readonly sizes: readonly number[],
    options: L0MlpOptions,
  ) {
    if (sizes.length < 2) throw new RangeError(`layer sizes must be at least two positive integers, got [${sizes.join(', ')}]`);
    this.activation = options.hidden ?? 'relu';
    this.first = new L0Dense(sizes[0]!, sizes[1]!, { seed: options.seed, p0: options.p0 });
    if (sizes.length > 2) this.rest = new Mlp(sizes.slice(1), { seed: options.seed + 1, hidden: this.activation });
    this.variables = [...this.first.variables, ...(this.rest?.variables ?? [])];
  }

  get inputs(): number {
    return this.sizes[0]!;
  }

  get outputs(): number {
    return this.sizes.at(-1)!;
  }

  apply(x: tf.Tensor2D, noise?: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.first.apply(x, noise);
      if (!this.rest) return h;
      return this.rest.apply(this.activation === 'relu' ? tf.relu(h) : tf.tanh(h));
    });
  }

  expectedL0(): tf.Scalar {
    return this.first.expectedL0();
  }

  inputGates(): Float64Array {
    return this.first.gates();
  }

  /** Expected number of open inputs, as a number. */
  expectedL0Value(): number {
    return Array.from(this.first.logAlpha.dataSync(), (v) => probNonZero(v)).reduce((s, v) => s + v, 0);
  }

  dispose(): void {
    this.first.dispose();
    this.rest?.dispose();
  }
}

/** The models trainRegressor and predict accept. */
export type DenseModel = Mlp | L0Mlp;

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Weight of E[L0] for an L0Mlp (ignored for an Mlp; default 0). */
  lambda?: number;
  seed: number;
  /** Progress bar label (none when absent). */
  label?: string;
}

const inputsOf = (model: DenseModel): number => model.sizes[0]!;
const outputsOf = (model: DenseModel): number => model.sizes.at(-1)!;

/**
 * Adam on the minibatch MSE (mean over rows and outputs, as PyTorch's MSELoss), plus
 * lambda * E[L0] for an L0Mlp: the per-sample mean loss with an undivided penalty, the same
 * convention as the dictionary models. x is n×inputs and y n×outputs, row-major, in the units the
 * model should learn (standardise first if needed). Rows are reshuffled every epoch from the seed;
 * the last partial batch is used. Returns the mean training loss of each epoch.
 */
export function trainRegressor(model: DenseModel, x: Float64Array | Float32Array, y: Float64Array | Float32Array, options: TrainOptions): number[] {
  const p = inputsOf(model);
  const m = outputsOf(model);
  const n = Math.floor(x.length / p);
  if (n < 1 || y.length < n * m) throw new RangeError(`need n×${p} inputs and n×${m} targets, got ${x.length} and ${y.length} values`);
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${options.batchSize}`);
  const lambda = options.lambda ?? 0;
  const gated = model instanceof L0Mlp;
  const xs = x instanceof Float32Array ? x : Float32Array.from(x);
  const ys = y instanceof Float32Array ? y : Float32Array.from(y);
  const rng = Rng.seeded(options.seed);
  const opt = tf.train.adam(options.lr);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const batch = Math.min(options.batchSize, n);
  const bx = new Float32Array(batch * p);
  const by = new Float32Array(batch * m);
  const losses: number[] = [];
  const bar: Progress = options.label ? progress(options.label, options.epochs) : noProgress;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    let total = 0;
    for (const rows of minibatches(order, rng, batch, xs, p, ys, m, bx, by)) {
      const noise = gated ? logisticNoise(rng, rows * p) : undefined;
      const loss = opt.minimize(
        () => {
          const xb = tf.tensor2d(bx.subarray(0, rows * p), [rows, p]);
          const yb = tf.tensor2d(by.subarray(0, rows * m), [rows, m]);
          if (!gated) return tf.losses.meanSquaredError(yb, model.apply(xb)) as tf.Scalar;
          const pred = model.apply(xb, tf.tensor2d(noise!, [rows, p]));
          const mse = tf.losses.meanSquaredError(yb, pred);
          return tf.add(mse, tf.mul(model.expectedL0(), lambda)) as tf.Scalar;
        },
        true,
        model.variables,
      )!;
      // Weighted by the batch size, so a short last batch counts for its rows.
      total += loss.dataSync()[0]! * rows;
      loss.dispose();
    }
    losses.push(total / n);
    bar.update(epoch + 1, { loss: losses.at(-1)! });
  }
  bar.stop();
  opt.dispose();
  return losses;
}

/** Predictions (n×outputs row-major) with deterministic gates, in chunks to bound memory. */
export function predict(model: DenseModel, x: Float64Array | Float32Array, chunk = 8192): Float64Array {
  const p = inputsOf(model);
  const m = outputsOf(model);
  const n = Math.floor(x.length / p);
  const out = new Float64Array(n * m);
  for (let start = 0; start < n; start += chunk) {
    const rows = Math.min(chunk, n - start);
    const values = tf.tidy(() => model.apply(tf.tensor2d(Float32Array.from(x.subarray(start * p, (start + rows) * p)), [rows, p])).dataSync());
    out.set(values, start * m);
  }
  return out;
}

export interface RegressorOptions {
  hidden: number[];
  /** L0 strength on the input gates; 0 gives the plain dense net. */
  lambda: number;
  seed: number;
}

/**
 * A dense or L0 dense regressor that standardises its inputs and outputs (mean 0, std 1 per
 * column) inside, so predictions are in the original units: the form the pendulum examples use.
 */
export class Regressor {
  readonly model: DenseModel;
  private xMean: Float64Array = new Float64Array(0);
  private xStd: Float64Array = new Float64Array(0);
  private yMean: Float64Array = new Float64Array(0);
  private yStd: Float64Array = new Float64Array(0);

  constructor(
    readonly inputs: number,
    readonly outputs: number,
    readonly options: RegressorOptions,
  ) {
    const sizes = [inputs, ...options.hidden, outputs];
    this.model = options.lambda > 0 ? new L0Mlp(sizes, { seed: options.seed }) : new Mlp(sizes, { seed: options.seed });
  }

  get variables(): tf.Variable[] {
    return this.model.variables;
  }

  /** Deterministic input gates (all 1 for the plain net). */
  inputGates(): Float64Array {
    return this.model instanceof L0Mlp ? this.model.inputGates() : new Float64Array(this.inputs).fill(1);
  }

  expectedL0(): number {
    return this.model instanceof L0Mlp ? this.model.expectedL0Value() : this.inputs;
  }

  fit(x: Float64Array, y: Float64Array, n: number, opts: { epochs: number; batchSize: number; lr: number; label?: string }): number[] {
    ({ mean: this.xMean, std: this.xStd } = columnStats(x, n, this.inputs));
    ({ mean: this.yMean, std: this.yStd } = columnStats(y, n, this.outputs));
    const xs = scale(x, n, this.xMean, this.xStd);
    const ys = scale(y, n, this.yMean, this.yStd);
    return trainRegressor(this.model, xs, ys, { ...opts, lambda: this.options.lambda, seed: this.options.seed + 2 });
  }

  /** Predictions in the original units (n×outputs row-major). */
  predict(x: Float64Array, n: number): Float64Array {
    const m = this.outputs;
    const out = predict(this.model, scale(x, n, this.xMean, this.xStd));
    return out.map((v, i) => v * this.yStd[i % m]! + this.yMean[i % m]!);
  }

  dispose(): void {
    this.model.dispose();
  }
}

function columnStats(a: Float64Array, n: number, cols: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(cols);
  const std = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += a[r * cols + c]!;
    const mu = s / n;
    let ss = 0;
    for (let r = 0; r < n; r++) ss += (a[r * cols + c]! - mu) ** 2;
    mean[c] = mu;
    // A constant column stays as it is (divided by 1), never by 0.
    std[c] = Math.sqrt(ss / n) || 1;
  }
  return { mean, std };
}

function scale(a: Float64Array, n: number, mean: Float64Array, std: Float64Array): Float32Array {
  const cols = mean.length;
  return Float32Array.from(a.subarray(0, n * cols), (v, i) => (v - mean[i % cols]!) / std[i % cols]!);
}
