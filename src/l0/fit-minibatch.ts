import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng.js';
import { minibatches } from '../util/minibatch.js';
import { gramStats } from './gram.js';
import { standardise, initialXi, initialActive, finishFit, PRUNE_PROBABILITY, type SparseFit } from './fit-gram.js';
import { initLogAlpha, probNonZero } from './hard-concrete.js';
import { logisticNoise, probNonZeroTensor, sampleGatesFromNoise } from './hard-concrete-tfjs.js';

/**
 * The minibatch tfjs path for the gated linear dictionary model: the reference's way of training
 * (Adam on minibatches, autodiff through sampled hard-concrete gates), kept to check the Gram path
 * (fitGram) against and for comparisons. It optimises the same objective in the same units:
 *
 *     sum_k mean_rows (y_k / sd_k - (Θ / rms) (xi ⊙ z))_k^2 + lambda * sum_jk P(z_jk != 0)
 *
 * i.e. per output the per-sample mean squared error over the variance plus lambda times the
 * expected L0 norm (not divided by N). Starting point (ridge least squares in standardised units,
 * logAlpha from the seed), gate pruning, deterministic gates, polish and least-squares refit are
 * fitGram's, so both paths return the same law when the gates settle on the same support; only the
 * gradient noise of the minibatches differs. Gates close per Adam step, not per pass: compare the
 * two at equal step counts (bench/discovery.ts does), and expect each step to cost tfjs dispatch
 * (~1.5 ms on wasm) where a Gram step costs microseconds.
 */
export interface MinibatchFitOptions {
  lambda: number;
  seed: number;
  /**
   * Passes over the data (default: enough to make at least fitGram's 1500 Adam steps; a gate needs
   * a few hundred steps at lr 0.02 to close, whatever the number of rows).
   */
  epochs?: number;
  /** Rows per Adam step; the last partial batch is used (default 256). */
  batchSize?: number;
  /** Adam learning rate for both coefficients and logAlpha (default 0.02, as fitGram). */
  lr?: number;
  /** Initial drop rate of the gates (default 0.5). */
  p0?: number;
  /**
   * A gate is removed from training once P(z != 0) falls below this (default fitGram's
   * PRUNE_PROBABILITY, 1e-2: its deterministic gate is exactly 0 long before, and smaller values
   * only cost steps).
   */
  pruneProbability?: number;
  /** Least-squares refit of the surviving terms (default true). */
  refit?: boolean;
  /** Finish with fitGram's deterministic single-term search on the exact objective (default true; needs refit). */
  polish?: boolean;
  onProgress?: (step: number, activeTerms: number) => void;
}

const DEFAULT_STEPS = 1500;
const BETA1 = 0.9;
const BETA2 = 0.999;
// fitGram's epsilon; tfjs's default (1e-7) would make the two Adams differ for tiny gradients.
const ADAM_EPS = 1e-8;

/** The options with their defaults, each checked. */
function minibatchSettings(theta: Float64Array, y: Float64Array, n: number, p: number, m: number, options: MinibatchFitOptions) {
  const lambda = options.lambda;
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`lambda must be a finite number >= 0, got ${lambda}`);
  if (!Number.isInteger(n) || n < 1 || theta.length < n * p || y.length < n * m) {
    throw new RangeError(`need n×p = ${n}×${p} library values and n×m = ${n}×${m} targets, got ${theta.length} and ${y.length}`);
  }
  const batchSize = Math.min(options.batchSize ?? 256, n);
  const epochs = options.epochs ?? Math.ceil(DEFAULT_STEPS / Math.ceil(n / batchSize));
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`epochs must be an integer >= 0, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const lr = options.lr ?? 0.02;
  const prune = options.pruneProbability ?? PRUNE_PROBABILITY;
  return { lambda, batchSize, epochs, lr, prune };
}

/** The standardised data in float32, the precision tfjs computes in. */
function standardisedData(theta: Float64Array, y: Float64Array, n: number, p: number, m: number, st: ReturnType<typeof standardise>): { xs: Float32Array; ys: Float32Array } {
  const xs = new Float32Array(n * p);
  const ys = new Float32Array(n * m);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < p; j++) {
      const s = st.colScale[j]!;
      xs[r * p + j] = s > 0 ? theta[r * p + j]! / s : 0;
    }
    for (let k = 0; k < m; k++) ys[r * m + k] = y[r * m + k]! / st.outScale[k]!;
  }
  return { xs, ys };
}

/**
 * Prunes on the freshly updated logAlpha, as fitGram does after each step; returns how many gates
 * closed. A pruned gate keeps the logAlpha it had then (Adam's momentum would otherwise keep moving it).
 */
function pruneGates(current: ArrayLike<number>, la: { [i: number]: number }, active: Float32Array, prune: number): number {
  let closed = 0;
  for (let i = 0; i < active.length; i++) {
    if (!active[i]) continue;
    la[i] = current[i]!;
    if (probNonZero(la[i]!) < prune) {
      active[i] = 0;
      closed++;
    }
  }
  return closed;
}

/** theta: n×p row-major library values; y: n×m row-major targets. */
export function fitMinibatch(theta: Float64Array, y: Float64Array, n: number, p: number, m: number, options: MinibatchFitOptions): SparseFit {
  const { lambda, batchSize, epochs, lr, prune } = minibatchSettings(theta, y, n, p, m, options);
  // The statistics give the standardisation (the same scales fitGram uses), the starting point and
  // the refit; one pass over the data.
  const stats = gramStats(theta, y, n, p, m);
  const st = standardise(stats);
  const rng = Rng.seeded(options.seed);
  const xi0 = initialXi(st, p, m);
  const la = initLogAlpha(p * m, options.p0 ?? 0.5, rng);
  // Float32 so the mask can go to tfjs as is.
  const active = Float32Array.from(initialActive(st, m, la, xi0, prune));
  let activeCount = active.reduce((s, a) => s + a, 0);
  const history: { step: number; active: number }[] = [{ step: 0, active: activeCount }];

  const { xs, ys } = standardisedData(theta, y, n, p, m, st);

  // tf.variable keeps its initial tensor alive unless that is made inside a tidy.
  const xiVar = tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from(xi0), [p, m])));
  const laVar = tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from(la), [p, m])));
  let mask = tf.tensor2d(active, [p, m]);
  const opt = tf.train.adam(lr, BETA1, BETA2, ADAM_EPS);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const bx = new Float32Array(batchSize * p);
  const by = new Float32Array(batchSize * m);
  let step = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const rows of minibatches(order, rng, batchSize, xs, p, ys, m, bx, by)) {
        // One gate sample per coefficient per step, shared by the rows of the batch (as fitGram).
        const noise = logisticNoise(rng, p * m);
        opt.minimize(
          () => {
            const xb = tf.tensor2d(bx.subarray(0, rows * p), [rows, p]);
            const yb = tf.tensor2d(by.subarray(0, rows * m), [rows, m]);
            // Pruned gates are held at 0 by the mask: no data gradient, no penalty, no cost.
            const z = tf.mul(sampleGatesFromNoise(laVar, tf.tensor2d(noise, [p, m])), mask);
            const resid = tf.sub(yb, tf.matMul(xb, tf.mul(xiVar, z) as tf.Tensor2D));
            const mse = tf.div(tf.sum(tf.square(resid)), rows);
            const penalty = tf.mul(tf.sum(tf.mul(probNonZeroTensor(laVar), mask)), lambda);
            return tf.add(mse, penalty) as tf.Scalar;
          },
          false,
          [xiVar, laVar],
        );
        step++;
        const closed = pruneGates(laVar.dataSync(), la, active, prune);
        activeCount -= closed;
        if (closed > 0) {
          mask.dispose();
          mask = tf.tensor2d(active, [p, m]);
          tf.tidy(() => xiVar.assign(tf.mul(xiVar, mask)));
          history.push({ step, active: activeCount });
        }
        if (options.onProgress && (step % 100 === 0)) options.onProgress(step, activeCount);
      }
    }
  } finally {
    opt.dispose();
    mask.dispose();
  }
  const xi = Float64Array.from(xiVar.dataSync(), (v, i) => (active[i] ? v : 0));
  xiVar.dispose();
  laVar.dispose();
  options.onProgress?.(step, activeCount);

  const { coefficients, support, gates } = finishFit(stats, st, xi, la, active, lambda, options);
  history.push({ step, active: activeCount });
  return { coefficients, support, gates, logAlpha: la, xi, activeHistory: history, steps: step };
}
