import * as tf from '@tensorflow/tfjs';
import { type Library, parseLibrarySpec } from '../library/index.js';
import { compileRow, type RowKernel } from '../expr/compile.js';
import { type Expr, num, mul, add, sum, tanh, variable, div, substitute } from '../expr/ast.js';
import { simplify } from '../expr/simplify.js';
import { print } from '../expr/print.js';
import { deterministicGate, probNonZero, initLogAlpha } from '../l0/hard-concrete.js';
import { logisticNoise, sampleGatesFromNoise, deterministicGates, probNonZeroTensor } from '../l0/hard-concrete-tfjs.js';
import type { LawDocument } from '../law/document.js';
import { Rng } from '../util/rng.js';
import { type Actor, type ActorSpec, actionAffine } from './actor.js';
import { lawStartWeights } from './law-start.js';

/**
 * The sparse dictionary actor a = maxAction * tanh(Theta(s / scale) (Xi ⊙ Z)), one hard-concrete
 * gate per coefficient. Theta is evaluated by the library's compiled kernel (it has no parameters),
 * so tfjs only sees a B×p matrix times a gated p×a matrix. With the L1 penalty instead, the gates
 * stay open, the loss adds lambda times the sum of |Xi|, and hardening prunes the coefficients
 * below a threshold.
 */
export class SparseActor implements Actor {
  readonly kind = 'sparse';
  readonly library: Library;
  readonly xi: tf.Variable<tf.Rank.R2>;
  readonly logAlpha: tf.Variable<tf.Rank.R2>;
  /** Multiplies lambda: the training loop ramps it from 0 so the critic can learn before gates close. */
  private penaltyScale = 1;
  /** Coefficients and gates move with different step sizes from one loss (the gates travel further). */
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  private readonly centre: Float64Array;
  private readonly half: Float64Array;
  private readonly centreT: tf.Tensor2D;
  private readonly halfT: tf.Tensor2D;
  /** Gates frozen at exactly 0 or 1 (after hardening): training uses this mask, no sampling. */
  private frozen: Float32Array | undefined;
  private readonly row: RowKernel;
  private readonly p: number;
  private readonly a: number;
  private weights: Float64Array;
  private readonly scratch: Float64Array;
  private readonly scaled: Float64Array;
  /** Each term's fixed factor (linearGain for degree-1 terms, else 1); `weights` include it. */
  private readonly termGain: Float64Array;
  /** L1: the coefficients below this are pruned at hardening; undefined for the L0 gates. */
  private readonly pruneBelow: number | undefined;
  /** L1: the law has been pruned (the penalty is off from then on). */
  private pruned = false;

  constructor(
    readonly spec: ActorSpec,
    readonly librarySpec: string,
    readonly lambda: number,
    options: { p0?: number; learningRate?: number; gateLearningRate?: number; initScale?: number; linearGain?: number; penalty?: 'l0' | 'l1'; pruneBelow?: number } = {},
  ) {
    this.library = parseLibrarySpec(librarySpec, spec.inputNames);
    this.p = this.library.terms.length;
    this.a = spec.actionNames.length;
    const rng = Rng.seeded(spec.seed);
    // Initialised as a Linear layer (U(±1/sqrt(p))): with tiny coefficients every term's share of
    // the Q gradient is tiny too, and the penalty closes all gates before the critic knows anything.
    const bound = (options.initScale ?? 1) / Math.sqrt(this.p);
    const xi = Float32Array.from({ length: this.p * this.a }, () => rng.range(-bound, bound));
    this.xi = tf.tidy(() => tf.variable(tf.tensor2d(xi, [this.p, this.a])));
    this.logAlpha = tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from(initLogAlpha(this.p * this.a, options.p0 ?? 0.5, rng)), [this.p, this.a])));
    this.row = compileRow(this.library.terms, this.library.inputs);
    const linearGain = options.linearGain ?? 1;
    if (!(Number.isFinite(linearGain) && linearGain > 0)) throw new Error(`linearGain must be a positive number, got ${linearGain}`);
    this.termGain = Float64Array.from(this.library.terms, (t) => (t.type === 'var' ? linearGain : 1));
    this.weights = new Float64Array(this.p * this.a);
    this.scratch = new Float64Array(this.p);
    this.scaled = new Float64Array(spec.inputNames.length);
    ({ centre: this.centre, half: this.half } = actionAffine(spec));
    this.centreT = tf.keep(tf.tensor2d(Float32Array.from(this.centre), [1, this.a]));
    this.halfT = tf.keep(tf.tensor2d(Float32Array.from(this.half), [1, this.a]));
    this.optimizers = { actor: tf.train.adam(options.learningRate ?? 3e-3), gates: tf.train.adam(options.gateLearningRate ?? 3e-3) };
    if (options.penalty === 'l1') {
      // No gates: every coefficient trains under the penalty until pruning (the default threshold is one Adam step).
      this.pruneBelow = options.pruneBelow ?? options.learningRate ?? 3e-3;
      this.frozen = new Float32Array(this.p * this.a).fill(1);
    }
    this.sync();
  }

  get variables(): tf.Variable[] {
    return [this.xi, this.logAlpha];
  }

  /** Θ(s / scale) for a batch, through the compiled kernel. */
  features(obs: Float32Array, rows: number): Float32Array {
    const o = this.spec.inputNames.length;
    const out = new Float32Array(rows * this.p);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < o; i++) this.scaled[i] = obs[r * o + i]! / this.spec.inputScale[i]!;
      this.row(this.scaled, this.scratch);
      for (let j = 0; j < this.p; j++) out[r * this.p + j] = this.scratch[j]! * this.termGain[j]!;
    }
    return out;
  }

  private gates(mode: 'sample' | 'deterministic', rng?: Rng): tf.Tensor2D {
    if (this.frozen) return tf.tensor2d(this.frozen, [this.p, this.a]);
    if (mode === 'deterministic') return deterministicGates(this.logAlpha) as tf.Tensor2D;
    if (!rng) throw new Error('sampling gates needs an Rng');
    return sampleGatesFromNoise(this.logAlpha, tf.tensor2d(logisticNoise(rng, this.p * this.a), [this.p, this.a])) as tf.Tensor2D;
  }

  forward(obs: Float32Array, rows: number, mode: 'sample' | 'deterministic', rng?: Rng): tf.Tensor2D {
    const theta = tf.tensor2d(this.features(obs, rows), [rows, this.p]);
    const w = tf.mul(this.xi, this.gates(mode, rng));
    return tf.add(tf.mul(tf.tanh(tf.matMul(theta, w)), this.halfT), this.centreT) as tf.Tensor2D;
  }

  step(objective: (action: tf.Tensor2D) => tf.Scalar, obs: Float32Array, rows: number, rng: Rng): tf.Scalar {
    const loss = (): tf.Scalar => {
      const value = objective(this.forward(obs, rows, 'sample', rng));
      const pen = this.penalty();
      return pen ? (tf.add(value, pen) as tf.Scalar) : value;
    };
    if (this.frozen) return this.optimizers.actor!.minimize(loss, true, [this.xi])!;
    // One loss, two step sizes: gradients for xi and logAlpha from the same gate sample.
    const { value, grads } = tf.variableGrads(loss, [this.xi, this.logAlpha]);
    this.optimizers.actor!.applyGradients({ [this.xi.name]: grads[this.xi.name]! });
    this.optimizers.gates!.applyGradients({ [this.logAlpha.name]: grads[this.logAlpha.name]! });
    tf.dispose(grads);
    return value;
  }

  setPenaltyScale(scale: number): void {
    this.penaltyScale = scale;
  }

  sparsity(): { terms: number; gatesBinary: boolean } {
    const { gate } = this.gateValues();
    return { terms: gate.reduce((s, g) => s + (g > 0 ? 1 : 0), 0), gatesBinary: gate.every((g) => g === 0 || g === 1) };
  }

  getState(): { frozen?: number[]; pruned?: boolean } {
    return { ...(this.frozen ? { frozen: Array.from(this.frozen) } : {}), ...(this.pruneBelow !== undefined ? { pruned: this.pruned } : {}) };
  }

  setState(state: unknown): void {
    const saved = state as { frozen?: number[]; pruned?: boolean } | undefined;
    this.pruned = saved?.pruned ?? false;
    this.setFrozen(saved?.frozen ? Float32Array.from(saved.frozen) : undefined);
  }

  /** lambda times the expected number of open gates (L0), or the sum of |Xi| (L1); none once the structure is fixed. */
  penalty(): tf.Scalar | undefined {
    const weight = this.lambda * this.penaltyScale;
    if (weight === 0) return undefined;
    if (this.pruneBelow !== undefined) return this.pruned ? undefined : (tf.mul(tf.sum(tf.abs(this.xi)), weight) as tf.Scalar);
    if (this.frozen) return undefined;
    return tf.mul(tf.sum(probNonZeroTensor(this.logAlpha)), weight) as tf.Scalar;
  }

  /** Deterministic coefficients w = xi ⊙ z ⊙ termGain (p×a), as the law uses them. */
  coefficients(): Float64Array {
    return Float64Array.from(this.weights);
  }

  /** Deterministic gates and P(z != 0), for reports. */
  gateValues(): { gate: Float64Array; probability: Float64Array } {
    if (this.frozen) return { gate: Float64Array.from(this.frozen), probability: Float64Array.from(this.frozen) };
    const la = this.logAlpha.dataSync();
    return { gate: Float64Array.from(la, (v) => deterministicGate(v)), probability: Float64Array.from(la, (v) => probNonZero(v)) };
  }

  get isFrozen(): boolean {
    return this.frozen !== undefined;
  }

  /**
   * Ends the gate search: gates become exactly 0 or 1 (open where the deterministic gate is > 0),
   * and xi absorbs the gate value so the policy is unchanged by the switch. Further training only
   * moves the coefficients of the surviving terms.
   */
  harden(): void {
    if (this.pruneBelow !== undefined) return this.prune(this.pruneBelow);
    if (this.frozen) return;
    const { gate } = this.gateValues();
    const xi = this.xi.dataSync();
    const mask = Float32Array.from(gate, (g) => (g > 0 ? 1 : 0));
    tf.tidy(() => this.xi.assign(tf.tensor2d(Float32Array.from(xi, (v, i) => v * gate[i]!), [this.p, this.a])));
    this.frozen = mask;
    this.sync();
  }

  /** L1: zeroes and freezes the coefficients smaller than the threshold; further training tunes the rest without the penalty. */
  private prune(threshold: number): void {
    if (this.pruned) return;
    const xi = this.xi.dataSync();
    const mask = Float32Array.from(xi, (v, i) => (this.frozen![i] === 1 && v !== 0 && Math.abs(v) >= threshold ? 1 : 0));
    tf.tidy(() => this.xi.assign(tf.tensor2d(Float32Array.from(xi, (v, i) => v * mask[i]!), [this.p, this.a])));
    this.pruned = true;
    this.setFrozen(mask);
  }

  /**
   * Starts from a law (centre + half * tanh(sum of its terms table), every term in the library): its
   * coefficients, with the gates frozen open on its terms and shut elsewhere, so training tunes the
   * law's coefficients and keeps its structure.
   */
  startFromLaw(law: LawDocument, source?: string): void {
    const weights = lawStartWeights(law, this.library, this.spec, source);
    const xi = Float32Array.from(weights, (w, i) => w / this.termGain[Math.floor(i / this.a)]!);
    tf.tidy(() => this.xi.assign(tf.tensor2d(xi, [this.p, this.a])));
    this.setFrozen(Float32Array.from(weights, (w) => (w !== 0 ? 1 : 0)));
  }

  setFrozen(mask: Float32Array | undefined): void {
    this.frozen = mask ? Float32Array.from(mask) : undefined;
    this.sync();
  }

  get frozenMask(): Float32Array | undefined {
    return this.frozen;
  }

  act(obs: ArrayLike<number>, out = new Float64Array(this.a)): Float64Array {
    for (let i = 0; i < this.scaled.length; i++) this.scaled[i] = obs[i]! / this.spec.inputScale[i]!;
    this.row(this.scaled, this.scratch);
    for (let k = 0; k < this.a; k++) {
      let s = 0;
      for (let j = 0; j < this.p; j++) {
        const w = this.weights[j * this.a + k]!;
        if (w !== 0) s += w * this.scratch[j]!;
      }
      out[k] = this.centre[k]! + this.half[k]! * Math.tanh(s);
    }
    return out;
  }

  sync(): void {
    const xi = this.xi.dataSync();
    const gate = this.gateValues().gate;
    this.weights = Float64Array.from(xi, (v, i) => v * gate[i]! * this.termGain[Math.floor(i / this.a)]!);
  }

  getWeights(): Float32Array[] {
    return [Float32Array.from(this.xi.dataSync()), Float32Array.from(this.logAlpha.dataSync())];
  }

  setWeights(w: readonly Float32Array[]): void {
    tf.tidy(() => {
      this.xi.assign(tf.tensor2d(w[0]!, [this.p, this.a]));
      this.logAlpha.assign(tf.tensor2d(w[1]!, [this.p, this.a]));
    });
    this.sync();
  }

  copyFrom(other: Actor): void {
    const o = other as SparseActor;
    this.xi.assign(o.xi);
    this.logAlpha.assign(o.logAlpha);
    this.frozen = o.frozen ? Float32Array.from(o.frozen) : undefined;
    this.pruned = o.pruned;
  }

  polyakUpdate(source: Actor, tau: number): void {
    const s = source as SparseActor;
    tf.tidy(() => {
      this.xi.assign(tf.add(tf.mul(s.xi, tau), tf.mul(this.xi, 1 - tau)));
      this.logAlpha.assign(tf.add(tf.mul(s.logAlpha, tau), tf.mul(this.logAlpha, 1 - tau)));
    });
    this.frozen = s.frozen ? Float32Array.from(s.frozen) : undefined;
    this.pruned = s.pruned;
  }

  /**
   * The closed-form law in the observation's own names and units: maxAction * tanh(sum_j w_j
   * theta_j(s / scale)), with the scaling substituted and the sum simplified.
   */
  toLaw(): LawDocument {
    const names = this.spec.inputNames;
    const scaleMap = new Map(names.map((n, i) => [n, this.spec.inputScale[i] === 1 ? variable(n) : div(variable(n), num(this.spec.inputScale[i]!))] as [string, Expr]));
    const outputs = this.spec.actionNames.map((name, k) => {
      const parts: Expr[] = [];
      const terms: { term: string; coefficient: number }[] = [];
      for (let j = 0; j < this.p; j++) {
        const w = this.weights[j * this.a + k]!;
        if (w === 0) continue;
        parts.push(mul(num(w), this.library.terms[j]!));
        const [factor, rest] = splitConstant(simplify(substitute(this.library.terms[j]!, scaleMap)));
        terms.push({ term: print(rest), coefficient: w * factor });
      }
      const inner = parts.length === 0 ? num(0) : simplify(substitute(sum(parts), scaleMap));
      const scaled = this.half[k] === 1 ? tanh(inner) : mul(num(this.half[k]!), tanh(inner));
      return { name, expr: this.centre[k] === 0 ? scaled : add(num(this.centre[k]!), scaled), terms };
    });
    return { inputs: [...names], outputs, library: this.librarySpec };
  }

  dispose(): void {
    this.xi.dispose();
    this.logAlpha.dispose();
    this.centreT.dispose();
    this.halfT.dispose();
    for (const opt of Object.values(this.optimizers)) opt.dispose();
  }
}

/** c * rest -> [c, rest] for a simplified term (the scaling of a monomial is a constant factor). */
function splitConstant(e: Expr): [number, Expr] {
  if (e.type === 'neg') {
    const [c, rest] = splitConstant(e.arg);
    return [-c, rest];
  }
  if (e.type === 'bin' && e.op === '*' && e.left.type === 'num') return [e.left.value, e.right];
  if (e.type === 'bin' && e.op === '/' && e.right.type === 'num') {
    const [c, rest] = splitConstant(e.left);
    return [c / e.right.value, rest];
  }
  return [1, e];
}
