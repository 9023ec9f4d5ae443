import { SparselawError } from '../errors.js';

/**
 * The immutable expression tree: the single source of truth for every library term and every law.
 *
 * Trees are binary (as the parser produces them) so that parse(print(e)) can equal e structurally;
 * the simplifier flattens sums and products internally and rebuilds binary trees.
 * Number literals are always finite and non-negative: a negative constant is `neg(num(c))`, which is
 * what the parser produces for `-c`, so printing never creates a literal the grammar reads differently.
 */

export const FUNCTIONS = ['sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'abs', 'tanh'] as const;
export type FnName = (typeof FUNCTIONS)[number];
export type BinaryOp = '+' | '-' | '*' | '/' | '^';

export type Expr = Num | Var | Neg | Bin | Call;
export interface Num {
  readonly type: 'num';
  readonly value: number;
}
export interface Var {
  readonly type: 'var';
  readonly name: string;
}
export interface Neg {
  readonly type: 'neg';
  readonly arg: Expr;
}
export interface Bin {
  readonly type: 'bin';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}
export interface Call {
  readonly type: 'call';
  readonly fn: FnName;
  readonly arg: Expr;
}

const FN_SET: ReadonlySet<string> = new Set(FUNCTIONS);
export function isFnName(name: string): name is FnName {
  return FN_SET.has(name);
}

/** A variable name: a letter or underscore, then letters, digits, underscores. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class ExprError extends SparselawError {
  override name = 'ExprError';
}

/** A constant; negative values become `neg(num(|c|))` and non-finite values are rejected. */
export function num(value: number): Expr {
  if (!Number.isFinite(value)) throw new ExprError(`a constant must be a finite number, got ${value}`);
  if (value < 0) return neg(num(-value));
  // -0 and 0 are the same constant in every export.
  return Object.freeze({ type: 'num', value: value === 0 ? 0 : value }) as Num;
}

export function variable(name: string): Var {
  if (!VARIABLE_NAME.test(name)) throw new ExprError(`invalid variable name ${JSON.stringify(name)}`);
  if (isFnName(name)) throw new ExprError(`variable name ${JSON.stringify(name)} is a function name`);
  return Object.freeze({ type: 'var', name }) as Var;
}

export function neg(arg: Expr): Neg {
  return Object.freeze({ type: 'neg', arg }) as Neg;
}

export function bin(op: BinaryOp, left: Expr, right: Expr): Bin {
  return Object.freeze({ type: 'bin', op, left, right }) as Bin;
}

export function call(fn: FnName, arg: Expr): Call {
  if (!isFnName(fn)) throw new ExprError(`unknown function ${JSON.stringify(fn)}`);
  return Object.freeze({ type: 'call', fn, arg }) as Call;
}

export const add = (a: Expr, b: Expr): Expr => bin('+', a, b);
export const sub = (a: Expr, b: Expr): Expr => bin('-', a, b);
export const mul = (a: Expr, b: Expr): Expr => bin('*', a, b);
export const div = (a: Expr, b: Expr): Expr => bin('/', a, b);
export const pow = (a: Expr, b: Expr): Expr => bin('^', a, b);
export const sin = (a: Expr): Expr => call('sin', a);
export const cos = (a: Expr): Expr => call('cos', a);
export const tan = (a: Expr): Expr => call('tan', a);
export const exp = (a: Expr): Expr => call('exp', a);
export const log = (a: Expr): Expr => call('log', a);
export const sqrt = (a: Expr): Expr => call('sqrt', a);
export const abs = (a: Expr): Expr => call('abs', a);
export const tanh = (a: Expr): Expr => call('tanh', a);

/** Left-folded sum / product of a list (empty sum is 0, empty product is 1). */
export function sum(terms: readonly Expr[]): Expr {
  if (terms.length === 0) return num(0);
  return terms.slice(1).reduce((acc, t) => add(acc, t), terms[0]!);
}
export function product(factors: readonly Expr[]): Expr {
  if (factors.length === 0) return num(1);
  return factors.slice(1).reduce((acc, t) => mul(acc, t), factors[0]!);
}

export function equals(a: Expr, b: Expr): boolean {
  if (a === b) return true;
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'num':
      return a.value === (b as Num).value;
    case 'var':
      return a.name === (b as Var).name;
    case 'neg':
      return equals(a.arg, (b as Neg).arg);
    case 'call':
      return a.fn === (b as Call).fn && equals(a.arg, (b as Call).arg);
    case 'bin': {
      const o = b as Bin;
      return a.op === o.op && equals(a.left, o.left) && equals(a.right, o.right);
    }
  }
}

const hashCache = new WeakMap<Expr, number>();

function mix(h: number, x: number): number {
  h ^= x;
  return Math.imul(h, 0x01000193) >>> 0;
}
function hashString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return h;
}
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A 32-bit structural hash: equal trees hash equally. Cached per node. */
export function hash(e: Expr): number {
  const cached = hashCache.get(e);
  if (cached !== undefined) return cached;
  let h = 0x811c9dc5;
  switch (e.type) {
    case 'num':
      f64[0] = e.value;
      h = mix(mix(mix(h, 1), u32[0]!), u32[1]!);
      break;
    case 'var':
      h = hashString(mix(h, 2), e.name);
      break;
    case 'neg':
      h = mix(mix(h, 3), hash(e.arg));
      break;
    case 'call':
      h = mix(hashString(mix(h, 4), e.fn), hash(e.arg));
      break;
    case 'bin':
      h = mix(mix(hashString(mix(h, 5), e.op), hash(e.left)), hash(e.right));
      break;
  }
  hashCache.set(e, h);
  return h;
}

/** Variable names in order of first appearance (left to right). */
export function variables(e: Expr): string[] {
  const seen = new Set<string>();
  const walk = (x: Expr): void => {
    switch (x.type) {
      case 'var':
        seen.add(x.name);
        break;
      case 'neg':
      case 'call':
        walk(x.arg);
        break;
      case 'bin':
        walk(x.left);
        walk(x.right);
        break;
      case 'num':
        break;
    }
  };
  walk(e);
  return [...seen];
}

/** Replace variables by expressions (used to express a law in original units). */
export function substitute(e: Expr, map: ReadonlyMap<string, Expr> | Record<string, Expr>): Expr {
  const get = (name: string): Expr | undefined =>
    map instanceof Map ? map.get(name) : (map as Record<string, Expr>)[name];
  const walk = (x: Expr): Expr => {
    switch (x.type) {
      case 'num':
        return x;
      case 'var':
        return get(x.name) ?? x;
      case 'neg':
        return neg(walk(x.arg));
      case 'call':
        return call(x.fn, walk(x.arg));
      case 'bin':
        return bin(x.op, walk(x.left), walk(x.right));
    }
  };
  return walk(e);
}

/** Rename variables (e.g. x0 -> theta_dot); names must stay valid. */
export function renameVariables(e: Expr, rename: (name: string) => string): Expr {
  const walk = (x: Expr): Expr => {
    switch (x.type) {
      case 'num':
        return x;
      case 'var':
        return variable(rename(x.name));
      case 'neg':
        return neg(walk(x.arg));
      case 'call':
        return call(x.fn, walk(x.arg));
      case 'bin':
        return bin(x.op, walk(x.left), walk(x.right));
    }
  };
  return walk(e);
}

export function nodeCount(e: Expr): number {
  switch (e.type) {
    case 'num':
    case 'var':
      return 1;
    case 'neg':
    case 'call':
      return 1 + nodeCount(e.arg);
    case 'bin':
      return 1 + nodeCount(e.left) + nodeCount(e.right);
  }
}
