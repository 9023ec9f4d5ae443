import type * as tfTypes from '@tensorflow/tfjs';
import { type Expr, num, neg, add, sub, mul, div, pow, call } from './ast.js';

/**
 * THE FUNCTION REGISTRY: one row per function of the expression language.
 *
 * Adding a function is one row here: the lexer reads function names from this table (so the grammar
 * needs no edit: `name(arg, ...)` is already a call), and the parser, printer, simplifier, derivative,
 * interpreter, compiled JS, tfjs lowering, LaTeX, C, Python and JSON forms all take the function from
 * its row. Printing as text is `name(a, b)` for every function.
 *
 * Kinks (abs, sign, min, max, clip): the derivative at a kink is the mean of the one-sided
 * derivatives, which is what writing it with sign() gives, since sign(0) = 0. So d|u|/du = sign(u)
 * (0 at u = 0), d sign(u)/du = 0, d min(a, b)/da = (1 - sign(a - b)) / 2 (1/2 at a tie), and clip
 * follows from clip(x, lo, hi) = min(max(x, lo), hi). atan2 has no kink; its derivative is NaN at
 * the origin, where it is undefined.
 */
export interface FunctionSpec {
  /** Number of arguments. */
  readonly arity: number;
  /** The arguments' names, for messages and documentation (as many as the arity). */
  readonly params: readonly string[];
  /** The scalar semantics (IEEE double); every other form must agree with it. */
  readonly evaluate: (...args: number[]) => number;
  /** JavaScript source for compiled kernels and the JS export; arguments are JS expressions. */
  readonly js: (args: readonly string[]) => string;
  /** tfjs ops (the module is passed in so that the expression core does not load tfjs). */
  readonly tfjs: (tf: typeof tfTypes, args: readonly tfTypes.Tensor[]) => tfTypes.Tensor;
  /** C99 source using math.h and, where named, the helpers in C_HELPERS. */
  readonly c: (args: readonly string[]) => string;
  /** Python source for NumPy arrays (module imported as np), vectorised. */
  readonly python: (args: readonly string[]) => string;
  /** LaTeX for the call, given each argument's LaTeX. */
  readonly latex: (args: readonly string[]) => string;
  /** The partial derivatives with respect to each argument; `self` is the call itself. */
  readonly partials: (args: readonly Expr[], self: Expr) => Expr[];
}

const HALF = (): Expr => num(0.5);
const ONE = (): Expr => num(1);
const paren = (s: string): string => `\\left(${s}\\right)`;
const operator = (name: string) => (a: readonly string[]) => `\\operatorname{${name}}${paren(a.join(', '))}`;
const unaryJs = (name: string) => (a: readonly string[]) => `Math.${name}(${a[0]})`;
const unaryC = (name: string) => (a: readonly string[]) => `${name}(${a[0]})`;
const unaryPy = (name: string) => (a: readonly string[]) => `np.${name}(${a[0]})`;
const namedLatex = (name: string) => (a: readonly string[]) => `\\${name}${paren(a[0]!)}`;
/** (1 + s * sign(u)) / 2: 1 where s * u > 0, 0 where s * u < 0, 1/2 at u = 0. */
const step = (u: Expr, s: 1 | -1): Expr => mul(HALF(), s === 1 ? add(ONE(), call('sign', u)) : sub(ONE(), call('sign', u)));

/**
 * The function names. A new function adds its name here and its row below; the compiler checks that
 * the two agree. (The names are spelled out, not derived from the table, because the rows' code
 * builds expressions whose type depends on this union.)
 */
export type FnName = 'sin' | 'cos' | 'tan' | 'exp' | 'log' | 'sqrt' | 'abs' | 'tanh' | 'sign' | 'atan2' | 'min' | 'max' | 'clip';

const row = (spec: FunctionSpec): FunctionSpec => spec;

export const FUNCTION_TABLE: Readonly<Record<FnName, FunctionSpec>> = {
  sin: row({
    arity: 1,
    params: ['x'],
    evaluate: Math.sin,
    js: unaryJs('sin'),
    tfjs: (tf, [a]) => tf.sin(a!),
    c: unaryC('sin'),
    python: unaryPy('sin'),
    latex: namedLatex('sin'),
    partials: ([u]) => [call('cos', u!)],
  }),
  cos: row({
    arity: 1,
    params: ['x'],
    evaluate: Math.cos,
    js: unaryJs('cos'),
    tfjs: (tf, [a]) => tf.cos(a!),
    c: unaryC('cos'),
    python: unaryPy('cos'),
    latex: namedLatex('cos'),
    partials: ([u]) => [neg(call('sin', u!))],
  }),
  tan: row({
    arity: 1,
    params: ['x'],
    evaluate: Math.tan,
    js: unaryJs('tan'),
    tfjs: (tf, [a]) => tf.tan(a!),
    c: unaryC('tan'),
    python: unaryPy('tan'),
    latex: namedLatex('tan'),
    partials: ([u]) => [add(ONE(), pow(call('tan', u!), num(2)))],
  }),
  exp: row({
    arity: 1,
    params: ['x'],
    evaluate: Math.exp,
    js: unaryJs('exp'),
    tfjs: (tf, [a]) => tf.exp(a!),
    c: unaryC('exp'),
    python: unaryPy('exp'),
    latex: namedLatex('exp'),
    partials: (_, self) => [self],
  }),
  log: row({
    arity: 1,
    params: ['x'],
    evaluate: Math.log,
    js: unaryJs('log'),
    tfjs: (tf, [a]) => tf.log(a!),
    c: unaryC('log'),
    python: unaryPy('log'),
    latex: namedLatex('log'),
    partials: ([u]) => [div(ONE(), u!)],
  }),
  sqrt: row({
    arity: 1,
    params: ['x'],
    evaluate: Math.sqrt,
    js: unaryJs('sqrt'),
    tfjs: (tf, [a]) => tf.sqrt(a!),
    c: unaryC('sqrt'),
    python: unaryPy('sqrt'),
    latex: ([a]) => `\\sqrt{${a}}`,
    partials: (_, self) => [div(ONE(), mul(num(2), self))],
  }),
  abs: row({
    arity: 1,
    params: ['x'],
    evaluate: Math.abs,
    js: unaryJs('abs'),
    tfjs: (tf, [a]) => tf.abs(a!),
    c: unaryC('fabs'),
    python: unaryPy('abs'),
    latex: ([a]) => `\\left|${a}\\right|`,
    partials: ([u]) => [call('sign', u!)],
  }),
  tanh: row({
    arity: 1,
    params: ['x'],
    evaluate: Math.tanh,
    js: unaryJs('tanh'),
    tfjs: (tf, [a]) => tf.tanh(a!),
    c: unaryC('tanh'),
    python: unaryPy('tanh'),
    latex: namedLatex('tanh'),
    partials: (_, self) => [sub(ONE(), pow(self, num(2)))],
  }),
  sign: row({
    arity: 1,
    params: ['x'],
    // Math.sign is NaN for NaN and keeps the sign of zero, as the C helper and np.sign do.
    evaluate: Math.sign,
    js: unaryJs('sign'),
    tfjs: (tf, [a]) => tf.sign(a!),
    c: unaryC('sparselaw_sign'),
    python: unaryPy('sign'),
    latex: operator('sign'),
    partials: () => [num(0)],
  }),
  atan2: row({
    arity: 2,
    params: ['y', 'x'],
    evaluate: Math.atan2,
    js: ([y, x]) => `Math.atan2(${y}, ${x})`,
    tfjs: (tf, [y, x]) => tf.atan2(y!, x!),
    c: ([y, x]) => `atan2(${y}, ${x})`,
    python: ([y, x]) => `np.arctan2(${y}, ${x})`,
    latex: operator('atan2'),
    partials: ([y, x]) => {
      const r2 = add(pow(x!, num(2)), pow(y!, num(2)));
      return [div(x!, r2), div(neg(y!), r2)];
    },
  }),
  min: row({
    arity: 2,
    params: ['a', 'b'],
    // NaN in either argument gives NaN in every form (C's fmin would return the other argument).
    evaluate: Math.min,
    js: ([a, b]) => `Math.min(${a}, ${b})`,
    tfjs: (tf, [a, b]) => tf.minimum(a!, b!),
    c: ([a, b]) => `sparselaw_min(${a}, ${b})`,
    python: ([a, b]) => `np.minimum(${a}, ${b})`,
    latex: ([a, b]) => `\\min${paren(`${a}, ${b}`)}`,
    partials: ([a, b]) => [step(sub(a!, b!), -1), step(sub(a!, b!), 1)],
  }),
  max: row({
    arity: 2,
    params: ['a', 'b'],
    evaluate: Math.max,
    js: ([a, b]) => `Math.max(${a}, ${b})`,
    tfjs: (tf, [a, b]) => tf.maximum(a!, b!),
    c: ([a, b]) => `sparselaw_max(${a}, ${b})`,
    python: ([a, b]) => `np.maximum(${a}, ${b})`,
    latex: ([a, b]) => `\\max${paren(`${a}, ${b}`)}`,
    partials: ([a, b]) => [step(sub(a!, b!), 1), step(sub(a!, b!), -1)],
  }),
  clip: row({
    arity: 3,
    params: ['x', 'lo', 'hi'],
    // clip(x, lo, hi) = min(max(x, lo), hi), also when lo > hi (then it is hi), as NumPy defines it.
    evaluate: (x, lo, hi) => Math.min(Math.max(x!, lo!), hi!),
    js: ([x, lo, hi]) => `Math.min(Math.max(${x}, ${lo}), ${hi})`,
    tfjs: (tf, [x, lo, hi]) => tf.minimum(tf.maximum(x!, lo!), hi!),
    c: ([x, lo, hi]) => `sparselaw_min(sparselaw_max(${x}, ${lo}), ${hi})`,
    python: ([x, lo, hi]) => `np.minimum(np.maximum(${x}, ${lo}), ${hi})`,
    latex: operator('clip'),
    partials: ([x, lo, hi]) => {
      // Chain rule through m = max(x, lo), then min(m, hi).
      const m = call('max', x!, lo!);
      const throughM = step(sub(m, hi!), -1);
      return [mul(throughM, step(sub(x!, lo!), 1)), mul(throughM, step(sub(x!, lo!), -1)), step(sub(m, hi!), 1)];
    },
  }),
};

/** The function names, in registry order. */
export const FUNCTIONS: readonly FnName[] = Object.keys(FUNCTION_TABLE) as FnName[];

export function functionSpec(name: FnName): FunctionSpec {
  return FUNCTION_TABLE[name];
}

export function isFnName(name: string): name is FnName {
  return Object.hasOwn(FUNCTION_TABLE, name);
}

/**
 * C helpers with the interpreter's semantics where math.h differs: fmin/fmax drop a NaN argument,
 * and the sign of a NaN or a zero is itself. Emitted by the C export when a law uses them.
 */
export const C_HELPERS: Readonly<Record<string, string>> = {
  sparselaw_sign: 'static double sparselaw_sign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }',
  sparselaw_min: 'static double sparselaw_min(double a, double b) { return isnan(a) || isnan(b) ? NAN : a < b ? a : b; }',
  sparselaw_max: 'static double sparselaw_max(double a, double b) { return isnan(a) || isnan(b) ? NAN : a > b ? a : b; }',
};
