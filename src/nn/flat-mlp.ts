import { Rng } from '../util/rng.js';
import type { Buf, XnnKernels } from './xnn.js';

export interface FlatMlpOptions {
  seed: number;
  /** Hidden layers are ReLU; the output is linear or tanh. */
  output?: 'linear' | 'tanh';
  /** Batch size the activation buffers are first allocated for (they grow on demand). */
  maxRows: number;
}

export interface AdamSettings {
  lr: number;
  beta1?: number;
  beta2?: number;
  /** tfjs's default for float32 (tf.train.adam uses backend.epsilon() = 1e-7). */
  epsilon?: number;
}

/**
 * A dense ReLU network whose weights, gradients and Adam moments are each one flat float32 buffer
 * inside an XnnKernels module. Forward and backward passes are matrix products on preallocated
 * buffers (no allocation per step), Adam and Polyak averaging are single loops over the flat
 * buffers. Weights are initialised exactly as `Mlp` does for the same seed (same draws, same
 * order), so either implementation starts from the same network.
 *
 * Layout: params = [W1 (in×out, row-major), b1, W2, b2, ...], grads and moments alike.
 */
export class FlatMlp {
  readonly params: Buf;
  readonly grads: Buf;
  /** Input of the next forward pass: write rows × sizes[0] values here (see `input()`). */
  private acts: Buf[] = [];
  private readonly wOff: number[] = [];
  private readonly bOff: number[] = [];
  private tX!: Buf;
  private readonly tW: Buf;
  private dA!: Buf;
  private dB!: Buf;
  private maxRows = 0;
  private moments?: { m: Buf; v: Buf };
  /** Adam steps taken (drives the bias correction). */
  step = 0;
  readonly size: number;
  private lastRows = 0;

  constructor(
    readonly k: XnnKernels,
    readonly sizes: readonly number[],
    readonly options: FlatMlpOptions,
  ) {
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new RangeError(`layer sizes must be at least two positive integers, got [${sizes.join(', ')}]`);
    }
    let size = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      this.wOff.push(size);
      size += sizes[l]! * sizes[l + 1]!;
      this.bOff.push(size);
      size += sizes[l + 1]!;
    }
    this.size = size;
    this.params = k.alloc(size);
    this.grads = k.alloc(size);
    let widestLayer = 0;
    for (let l = 0; l + 1 < sizes.length; l++) widestLayer = Math.max(widestLayer, sizes[l]! * sizes[l + 1]!);
    this.tW = k.alloc(widestLayer);
    this.ensureRows(options.maxRows);
    this.initialise(options.seed);
  }

  /** Makes room for batches of `rows` (activation buffers grow, never shrink). */
  ensureRows(rows: number): void {
    if (rows <= this.maxRows) return;
    const input = this.acts.length > 0 ? Float32Array.from(this.k.view(this.acts[0]!, this.maxRows * this.sizes[0]!)) : undefined;
    for (const b of [...this.acts, ...(this.maxRows > 0 ? [this.tX, this.dA, this.dB] : [])]) this.k.free(b);
    const widest = Math.max(...this.sizes);
    this.acts = this.sizes.map((s) => this.k.alloc(rows * s));
    this.tX = this.k.alloc(rows * widest);
    this.dA = this.k.alloc(rows * widest);
    this.dB = this.k.alloc(rows * widest);
    if (input) this.k.view(this.acts[0]!, input.length).set(input);
    this.maxRows = rows;
  }

  /** Frees every buffer of this network in its module. */
  dispose(): void {
    for (const b of [...this.acts, this.tX, this.dA, this.dB, this.tW, this.params, this.grads, ...(this.moments ? [this.moments.m, this.moments.v] : [])]) this.k.free(b);
    this.acts = [];
    this.maxRows = 0;
  }

  get layers(): number {
    return this.sizes.length - 1;
  }

  private initialise(seed: number): void {
    const rng = Rng.seeded(seed);
    const p = this.k.view(this.params);
    for (let l = 0; l < this.layers; l++) {
      const fanIn = this.sizes[l]!;
      const fanOut = this.sizes[l + 1]!;
      const bound = 1 / Math.sqrt(fanIn);
      for (let i = 0; i < fanIn * fanOut; i++) p[this.wOff[l]! + i] = rng.range(-bound, bound);
      for (let i = 0; i < fanOut; i++) p[this.bOff[l]! + i] = rng.range(-bound, bound);
    }
  }

  private sub(b: Buf, offset: number, length: number): Buf {
    return { ptr: b.ptr + offset * 4, length };
  }

  /** The input buffer (rows × sizes[0]); fill it, then call forward(rows). */
  input(rows: number): Float32Array {
    this.ensureRows(rows);
    return this.k.view(this.acts[0]!, rows * this.sizes[0]!);
  }

  get inputBuf(): Buf {
    return this.acts[0]!;
  }

  /** Runs the network on the first `rows` input rows; returns a view of the output (rows × out). */
  forward(rows: number): Float32Array {
    if (rows > this.maxRows) throw new RangeError(`batch of ${rows} rows exceeds the network's ${this.maxRows} (write the input first)`);
    const L = this.layers;
    for (let l = 0; l < L; l++) {
      const last = l === L - 1;
      this.k.matMul(this.acts[l]!, rows, this.sizes[l]!, this.sub(this.params, this.wOff[l]!, 0), this.sizes[l + 1]!, this.acts[l + 1]!, this.sub(this.params, this.bOff[l]!, 0), !last);
    }
    const out = this.k.view(this.acts[L]!, rows * this.sizes[L]!);
    if (this.options.output === 'tanh') for (let i = 0; i < out.length; i++) out[i] = Math.tanh(out[i]!);
    this.lastRows = rows;
    return out;
  }

  /** The output of the last forward pass (rows × out). */
  outputValues(rows: number): Float32Array {
    return this.k.view(this.acts[this.layers]!, rows * this.sizes[this.layers]!);
  }

  /** Writes dLoss/dOutput (rows × out) for the next backward(); returns its view. */
  outputGrad(rows: number): Float32Array {
    return this.k.view(this.dA, rows * this.sizes[this.layers]!);
  }

  /**
   * Backpropagates the gradient written with outputGrad() through the last forward pass. With
   * `weights` the parameter gradients land in `grads` (overwritten, not accumulated); with `input`
   * the gradient of the input is returned (rows × sizes[0]). The actor step of TD3 needs only the
   * latter from the critic, so the weight products are skipped there.
   */
  backward(opts: { weights: boolean; input: boolean }): Float32Array | undefined {
    const rows = this.lastRows;
    const L = this.layers;
    let cur = this.dA;
    let other = this.dB;
    if (this.options.output === 'tanh') {
      const d = this.k.view(cur, rows * this.sizes[L]!);
      const y = this.k.view(this.acts[L]!, rows * this.sizes[L]!);
      for (let i = 0; i < d.length; i++) d[i] = d[i]! * (1 - y[i]! * y[i]!);
    }
    for (let l = L - 1; l >= 0; l--) {
      const nIn = this.sizes[l]!;
      const nOut = this.sizes[l + 1]!;
      if (opts.weights) {
        this.k.transpose(this.acts[l]!, rows, nIn, this.tX);
        this.k.matMul(this.tX, nIn, rows, cur, nOut, this.sub(this.grads, this.wOff[l]!, nIn * nOut));
        const g = this.k.view(this.grads, nOut, this.bOff[l]!);
        const d = this.k.view(cur, rows * nOut);
        g.fill(0);
        for (let r = 0; r < rows; r++) for (let j = 0; j < nOut; j++) g[j] = g[j]! + d[r * nOut + j]!;
      }
      if (l === 0 && !opts.input) break;
      this.k.transpose(this.sub(this.params, this.wOff[l]!, nIn * nOut), nIn, nOut, this.tW);
      this.k.matMul(cur, rows, nOut, this.tW, nIn, other);
      if (l > 0) {
        const d = this.k.view(other, rows * nIn);
        const h = this.k.view(this.acts[l]!, rows * nIn);
        for (let i = 0; i < d.length; i++) if (!(h[i]! > 0)) d[i] = 0;
      }
      [cur, other] = [other, cur];
    }
    return opts.input ? this.k.view(cur, rows * this.sizes[0]!) : undefined;
  }

  /** One Adam step on `grads` (tf.train.adam's update, fused over the flat buffer). */
  adam(s: AdamSettings): void {
    const { lr, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 } = s;
    this.moments ??= { m: this.k.alloc(this.size), v: this.k.alloc(this.size) };
    this.step++;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    const p = this.k.view(this.params);
    const g = this.k.view(this.grads);
    const m = this.k.view(this.moments.m);
    const v = this.k.view(this.moments.v);
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      const mi = (m[i] = beta1 * m[i]! + (1 - beta1) * gi)!;
      const vi = (v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi)!;
      p[i] = p[i]! - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
    }
  }

  /** this <- tau * source + (1 - tau) * this. */
  polyakFrom(source: FlatMlp, tau: number): void {
    const p = this.k.view(this.params);
    const s = source.k.view(source.params);
    for (let i = 0; i < p.length; i++) p[i] = tau * s[i]! + (1 - tau) * p[i]!;
  }

  copyFrom(source: FlatMlp): void {
    this.k.view(this.params).set(source.k.view(source.params));
  }

  /** Per layer [W, b] copies, as Mlp.getWeights() returns them. */
  getWeights(): Float32Array[] {
    const out: Float32Array[] = [];
    for (let l = 0; l < this.layers; l++) {
      out.push(Float32Array.from(this.k.view(this.params, this.sizes[l]! * this.sizes[l + 1]!, this.wOff[l]!)));
      out.push(Float32Array.from(this.k.view(this.params, this.sizes[l + 1]!, this.bOff[l]!)));
    }
    return out;
  }

  setWeights(weights: readonly Float32Array[]): void {
    if (weights.length !== 2 * this.layers) throw new RangeError(`expected ${2 * this.layers} weight arrays, got ${weights.length}`);
    for (let l = 0; l < this.layers; l++) {
      const w = weights[2 * l]!;
      const b = weights[2 * l + 1]!;
      if (w.length !== this.sizes[l]! * this.sizes[l + 1]! || b.length !== this.sizes[l + 1]!) throw new RangeError(`layer ${l} weights have the wrong size`);
      this.k.view(this.params, w.length, this.wOff[l]!).set(w);
      this.k.view(this.params, b.length, this.bOff[l]!).set(b);
    }
  }

  /** Adam state as [step, m, v] (flat); empty moments before the first step. */
  getOptimizerState(): Float32Array[] {
    const m = this.moments ? Float32Array.from(this.k.view(this.moments.m)) : new Float32Array(this.size);
    const v = this.moments ? Float32Array.from(this.k.view(this.moments.v)) : new Float32Array(this.size);
    return [Float32Array.of(this.step), m, v];
  }

  setOptimizerState(state: readonly Float32Array[]): void {
    if (state.length !== 3 || state[1]!.length !== this.size || state[2]!.length !== this.size) throw new RangeError('optimizer state has the wrong shape');
    this.moments ??= { m: this.k.alloc(this.size), v: this.k.alloc(this.size) };
    this.step = state[0]![0]!;
    this.k.view(this.moments.m).set(state[1]!);
    this.k.view(this.moments.v).set(state[2]!);
  }
}
