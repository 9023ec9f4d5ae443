import { FlatMlp } from '../nn/flat-mlp.js';
import type { XnnKernels } from '../nn/xnn.js';

/** Shapes and hyper-parameters of TD3's twin critics (both critics share them). */
export interface TwinCriticConfig {
  /** Columns of the state part of the critic input (observations and parameters). */
  stateDim: number;
  actionDim: number;
  hidden: number[];
  /** Critic input column j is (value + inputShift[j]) * inputScale[j] (state columns, then action columns). */
  inputScale: number[];
  inputShift: number[];
  maxRows: number;
  /** Initialisation seeds of critic 0 and 1 (each target starts as a copy of its critic). */
  seeds: [number, number];
  lr: number;
  tau: number;
}

/**
 * The float32 arrays the main thread and the critic threads share, laid out in one
 * SharedArrayBuffer (or an ordinary one when everything runs on one thread).
 */
export class SharedIo {
  readonly state: Float32Array;
  readonly action: Float32Array;
  readonly reward: Float32Array;
  readonly nextState: Float32Array;
  /** What min(Q1', Q2') is multiplied by in the target: gamma^steps, 0 after termination. */
  readonly discount: Float32Array;
  /** Target-policy action at nextState (noise added, clipped), written by the main thread. */
  readonly nextAction: Float32Array;
  /** The actor's action at state, for the actor step. */
  readonly piAction: Float32Array;
  readonly qTarget: [Float32Array, Float32Array];
  /** dQ1/da at (state, piAction), written by critic 0. */
  readonly dQda: Float32Array;
  /** [loss of critic 0, loss of critic 1, mean Q1 at piAction]. */
  readonly scalars: Float32Array;
  /** Milliseconds each critic thread spent computing (not waiting), summed over updates. */
  readonly busy: Float64Array;
  /** Every weight, target weight and Adam moment of one critic, for checkpoints. */
  readonly blob: [Float32Array, Float32Array];
  static bytes(c: TwinCriticConfig, netSize: number): number {
    return 4 * SharedIo.floats(c, netSize);
  }

  private static floats(c: TwinCriticConfig, netSize: number): number {
    const { maxRows: n, stateDim: s, actionDim: a } = c;
    return 2 * n * s + 4 * n * a + 4 * n + 8 + 2 * (4 * netSize + 1) + 1 + 4;
  }

  constructor(
    readonly buffer: ArrayBufferLike,
    c: TwinCriticConfig,
    netSize: number,
  ) {
    const { maxRows: n, stateDim: s, actionDim: a } = c;
    let at = 0;
    const take = (len: number): Float32Array => {
      const v = new Float32Array(buffer, at * 4, len);
      at += len;
      return v;
    };
    this.state = take(n * s);
    this.action = take(n * a);
    this.reward = take(n);
    this.nextState = take(n * s);
    this.discount = take(n);
    this.nextAction = take(n * a);
    this.piAction = take(n * a);
    this.qTarget = [take(n), take(n)];
    this.dQda = take(n * a);
    this.scalars = take(8);
    this.blob = [take(4 * netSize + 1), take(4 * netSize + 1)];
    at += at % 2;
    this.busy = new Float64Array(buffer, at * 4, 2);
  }
}

export const criticSizes = (c: TwinCriticConfig): number[] => [c.stateDim + c.actionDim, ...c.hidden, 1];

/**
 * One critic of the pair with its target network and Adam state, and the three phases of a TD3
 * update that touch it. The same code runs inside a worker thread (one critic per thread) or on the
 * calling thread (both critics in turn); the arithmetic, and so the result, is the same either way.
 */
export class CriticCore {
  readonly net: FlatMlp;
  readonly target: FlatMlp;
  private readonly inDim: number;

  constructor(
    readonly k: XnnKernels,
    readonly index: 0 | 1,
    readonly c: TwinCriticConfig,
    readonly io: SharedIo,
  ) {
    const sizes = criticSizes(c);
    this.inDim = sizes[0]!;
    this.net = new FlatMlp(k, sizes, { seed: c.seeds[index], maxRows: c.maxRows });
    this.target = new FlatMlp(k, sizes, { seed: c.seeds[index], maxRows: c.maxRows });
  }

  /** Writes the scaled [state, action] rows into a network's input buffer. */
  private fill(net: FlatMlp, rows: number, state: Float32Array, action: Float32Array): void {
    const x = net.input(rows);
    const { stateDim: s, actionDim: a, inputScale, inputShift } = this.c;
    const d = this.inDim;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < s; j++) x[r * d + j] = (state[r * s + j]! + inputShift[j]!) * inputScale[j]!;
      for (let j = 0; j < a; j++) x[r * d + s + j] = (action[r * a + j]! + inputShift[s + j]!) * inputScale[s + j]!;
    }
  }

  /** Q(state, action) with activations kept for the training phase. */
  forwardCurrent(rows: number): void {
    this.fill(this.net, rows, this.io.state, this.io.action);
    this.net.forward(rows);
  }

  /** Q'(nextState, nextAction) into io.qTarget[index]. */
  forwardTarget(rows: number): void {
    this.fill(this.target, rows, this.io.nextState, this.io.nextAction);
    this.io.qTarget[this.index].set(this.target.forward(rows));
  }

  /**
   * y = r + discount min(Q1', Q2') (both targets must be in io), then one Adam step on
   * this critic's mean squared error; on actor steps the target moves towards the critic (Polyak).
   */
  train(rows: number, polyak: boolean): number {
    const { reward, discount, qTarget } = this.io;
    const q = this.net.outputValues(rows);
    const g = this.net.outputGrad(rows);
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      // float32 like the tfjs update: the target is a float32 tensor there too.
      const y = Math.fround(reward[r]! + Math.fround(discount[r]! * Math.min(qTarget[0][r]!, qTarget[1][r]!)));
      const e = q[r]! - y;
      loss += e * e;
      g[r] = (2 * e) / rows;
    }
    this.net.backward({ weights: true, input: false });
    this.net.adam({ lr: this.c.lr });
    if (polyak) this.target.polyakFrom(this.net, this.c.tau);
    return loss / rows;
  }

  /** dQ/da at (state, piAction) into io.dQda (unscaled action units); returns mean Q. */
  actionGradient(rows: number): number {
    this.fill(this.net, rows, this.io.state, this.io.piAction);
    const q = this.net.forward(rows);
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += q[r]!;
    this.net.outputGrad(rows).fill(1);
    const dx = this.net.backward({ weights: false, input: true })!;
    const { stateDim: s, actionDim: a, inputScale } = this.c;
    const d = this.inDim;
    for (let r = 0; r < rows; r++) for (let j = 0; j < a; j++) this.io.dQda[r * a + j] = dx[r * d + s + j]! * inputScale[s + j]!;
    return mean / rows;
  }

  /** Weights, target weights, Adam moments and step into io.blob[index]. */
  save(): void {
    const blob = this.io.blob[this.index];
    const n = this.net.size;
    const [step, m, v] = this.net.getOptimizerState();
    blob.set(this.k.view(this.net.params), 0);
    blob.set(this.k.view(this.target.params), n);
    blob.set(m!, 2 * n);
    blob.set(v!, 3 * n);
    blob[4 * n] = step![0]!;
  }

  load(): void {
    const blob = this.io.blob[this.index];
    const n = this.net.size;
    this.k.view(this.net.params).set(blob.subarray(0, n));
    this.k.view(this.target.params).set(blob.subarray(n, 2 * n));
    this.net.setOptimizerState([Float32Array.of(blob[4 * n]!), blob.subarray(2 * n, 3 * n), blob.subarray(3 * n, 4 * n)]);
  }
}
