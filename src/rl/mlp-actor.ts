import * as tf from '@tensorflow/tfjs';
import { FlatMlp } from '../nn/flat-mlp.js';
import { XnnKernels } from '../nn/xnn.js';
import type { Rng } from '../util/rng.js';
import { type Actor, type ActorSpec, actionAffine } from './actor.js';

let shared: XnnKernels | undefined;
/** One XNNPACK module for every actor on this thread (each network has its own buffers in it). */
function kernels(): XnnKernels {
  shared ??= XnnKernels.loadSync();
  return shared;
}

/**
 * Adam over a FlatMlp's flat buffer, dressed as a tf.Optimizer so that checkpoints save and
 * restore it like every other optimiser: its weights are [iter, first moments, second moments].
 */
class FlatAdam extends tf.Optimizer {
  static className = 'SparselawFlatAdam';
  private saved: tf.Tensor[] = [];

  constructor(
    private readonly net: FlatMlp,
    readonly learningRate: number,
  ) {
    super();
  }

  applyGradients(): void {
    throw new Error('FlatAdam steps through FlatMlp.adam');
  }

  override async getWeights(): Promise<{ name: string; tensor: tf.Tensor }[]> {
    tf.dispose(this.saved);
    const [step, m, v] = this.net.getOptimizerState();
    this.saved = [tf.scalar(step![0]!), tf.tensor1d(m!), tf.tensor1d(v!)];
    return this.saved.map((tensor, i) => ({ name: ['iter', 'm', 'v'][i]!, tensor }));
  }

  override async setWeights(weights: { name: string; tensor: tf.Tensor }[]): Promise<void> {
    if (weights.length !== 3) throw new Error(`FlatAdam expects 3 arrays (iter, m, v), got ${weights.length}`);
    this.net.setOptimizerState(weights.map((w) => Float32Array.from(w.tensor.dataSync())));
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate };
  }

  override dispose(): void {
    tf.dispose(this.saved);
    this.saved = [];
  }
}

/**
 * The usual TD3 actor: an MLP with a tanh output mapped to the action bounds. Its weights live in a
 * FlatMlp (XNNPACK products on preallocated buffers, fused Adam): the batched forward pass and the
 * actor step cost a few matrix products instead of dozens of tfjs ops. The step differentiates the
 * caller's objective (a tfjs function of the action) only with respect to the action, then
 * backpropagates that through the network itself.
 */
export class MlpActor implements Actor {
  readonly kind = 'mlp';
  readonly net: FlatMlp;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  /** The network is not made of tf.Variables (see the class comment). */
  readonly variables: tf.Variable[] = [];
  private readonly centre: Float64Array;
  private readonly half: Float64Array;
  private cache: Float32Array[] = [];

  constructor(
    readonly spec: ActorSpec,
    readonly hidden = [256, 256],
    readonly learningRate = 3e-4,
  ) {
    const o = spec.inputNames.length;
    const a = spec.actionNames.length;
    this.net = new FlatMlp(kernels(), [o, ...hidden, a], { seed: spec.seed, output: 'tanh', maxRows: 1 });
    ({ centre: this.centre, half: this.half } = actionAffine(spec));
    this.optimizers = { actor: new FlatAdam(this.net, learningRate) };
    this.sync();
  }

  /** Actions for a batch (rows × a), tanh outputs left in the network for a backward pass. */
  private actions(obs: Float32Array, rows: number): Float32Array {
    const o = this.spec.inputNames.length;
    const a = this.spec.actionNames.length;
    const x = this.net.input(rows);
    for (let r = 0; r < rows; r++) for (let i = 0; i < o; i++) x[r * o + i] = obs[r * o + i]! / this.spec.inputScale[i]!;
    const y = this.net.forward(rows);
    const out = new Float32Array(rows * a);
    for (let r = 0; r < rows; r++) for (let k = 0; k < a; k++) out[r * a + k] = this.centre[k]! + y[r * a + k]! * this.half[k]!;
    return out;
  }

  forward(obs: Float32Array, rows: number): tf.Tensor2D {
    return tf.tensor2d(this.actions(obs, rows), [rows, this.spec.actionNames.length]);
  }

  step(objective: (action: tf.Tensor2D) => tf.Scalar, obs: Float32Array, rows: number, _rng: Rng): tf.Scalar {
    const a = this.spec.actionNames.length;
    const action = tf.tensor2d(this.actions(obs, rows), [rows, a]);
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => objective(x as tf.Tensor2D))(action);
    const g = grad.dataSync();
    const d = this.net.outputGrad(rows);
    for (let r = 0; r < rows; r++) for (let k = 0; k < a; k++) d[r * a + k] = g[r * a + k]! * this.half[k]!;
    this.net.backward({ weights: true, input: false });
    this.net.adam({ lr: this.learningRate });
    tf.dispose([action, grad]);
    return value;
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
    this.net.polyakFrom((source as MlpActor).net, tau);
  }

  dispose(): void {
    for (const opt of Object.values(this.optimizers)) opt.dispose();
    this.net.dispose();
  }
}
