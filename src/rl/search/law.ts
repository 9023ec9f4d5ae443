import { type Library } from '../../library/index.js';
import { compileRow, type RowKernel } from '../../expr/compile.js';
import { type Expr, num, mul, add, sum, tanh, variable, div, substitute } from '../../expr/ast.js';
import { simplify } from '../../expr/simplify.js';
import { print } from '../../expr/print.js';
import type { LawDocument } from '../../law/document.js';

/** What a searched law acts on: the agent's inputs, their fixed scales and the action bounds. */
export interface SearchSpec {
  inputNames: readonly string[];
  actionNames: readonly string[];
  inputScale: ArrayLike<number>;
  actionLow: ArrayLike<number>;
  actionHigh: ArrayLike<number>;
}

/**
 * The dictionary law a = centre + half * tanh(Theta(x / scale) W) evaluated by the library's
 * compiled kernel. W is p x a, row-major by term; zero rows cost nothing but the term's evaluation.
 */
export class DictionaryLaw {
  readonly p: number;
  readonly a: number;
  private readonly kernel: RowKernel;
  private readonly scaled: Float64Array;
  readonly features: Float64Array;
  private readonly centre: Float64Array;
  private readonly half: Float64Array;

  constructor(
    readonly library: Library,
    readonly spec: SearchSpec,
  ) {
    this.p = library.terms.length;
    this.a = spec.actionNames.length;
    this.kernel = compileRow(library.terms, spec.inputNames);
    this.scaled = new Float64Array(spec.inputNames.length);
    this.features = new Float64Array(this.p);
    this.centre = Float64Array.from({ length: this.a }, (_, k) => (spec.actionHigh[k]! + spec.actionLow[k]!) / 2);
    this.half = Float64Array.from({ length: this.a }, (_, k) => (spec.actionHigh[k]! - spec.actionLow[k]!) / 2);
  }

  /** Theta(x / scale) into this.features. */
  featuresOf(input: ArrayLike<number>): Float64Array {
    for (let i = 0; i < this.scaled.length; i++) this.scaled[i] = input[i]! / this.spec.inputScale[i]!;
    this.kernel(this.scaled, this.features);
    return this.features;
  }

  /** The action for input x under weights W (the features must already be computed by featuresOf). */
  actFromFeatures(w: ArrayLike<number>, out: Float64Array): Float64Array {
    const { p, a, features } = this;
    for (let k = 0; k < a; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) {
        const c = w[j * a + k]!;
        if (c !== 0) s += c * features[j]!;
      }
      out[k] = this.centre[k]! + this.half[k]! * Math.tanh(s);
    }
    return out;
  }

  /** The law in physical units: each output's surviving terms with their coefficients. */
  toLaw(w: ArrayLike<number>): LawDocument {
    const names = this.spec.inputNames;
    const scaleMap = new Map(names.map((n, i) => [n, this.spec.inputScale[i] === 1 ? variable(n) : div(variable(n), num(this.spec.inputScale[i]!))] as [string, Expr]));
    const outputs = this.spec.actionNames.map((name, k) => {
      const parts: Expr[] = [];
      const terms: { term: string; coefficient: number }[] = [];
      for (let j = 0; j < this.p; j++) {
        const c = w[j * this.a + k]!;
        if (c === 0) continue;
        parts.push(mul(num(c), this.library.terms[j]!));
        const [factor, rest] = splitConstant(simplify(substitute(this.library.terms[j]!, scaleMap)));
        terms.push({ term: print(rest), coefficient: c * factor });
      }
      const inner = parts.length === 0 ? num(0) : simplify(substitute(sum(parts), scaleMap));
      const scaled = this.half[k] === 1 ? tanh(inner) : mul(num(this.half[k]!), tanh(inner));
      return { name, expr: this.centre[k] === 0 ? scaled : add(num(this.centre[k]!), scaled), terms };
    });
    return { inputs: [...names], outputs, library: this.library.spec };
  }
}

/** c * rest -> [c, rest] for a simplified term (scaling a monomial's inputs is a constant factor). */
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
