import { SparselawError } from '../errors.js';
import { type FnName, isFnName, functionSpec } from './functions.js';

/**
 * The immutable expression tree: the single source of truth for every library term and every law.
 *
 * Trees are binary (as the parser produces them) so that parse(print(e)) can equal e structurally;
 * the simplifier flattens sums and products internally and rebuilds binary trees.
 * Number literals are always finite and non-negative: a negative constant is `neg(num(c))`, which is
 * what the parser produces for `-c`, so printing never creates a literal the grammar reads differently.
 */

export { FUNCTIONS, isFnName, type FnName } from './functions.js';
export type BinaryOp = '+' | '-' | '*' | '/' | '^';

/**
 * The deepest tree the parser and the JSON loader accept. Every walk of a tree is iterative (see
 * fold), but the simplifier, the JSON form (JSON.stringify recurses) and V8's stack are not, so trees
 * are capped here rather than failing deep inside with "Maximum call stack size exceeded". A sum of n
 * terms written a + b + ... is n levels deep, as are n nested parentheses or calls.
 */
export const MAX_DEPTH = 1000;

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
  /** As many as the function's arity (see the registry in functions.ts). */
  readonly args: readonly Expr[];
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

export function call(fn: FnName, ...args: Expr[]): Call {
  if (!isFnName(fn)) throw new ExprError(`unknown function ${JSON.stringify(fn)}`);
  const arity = functionSpec(fn).arity;
  if (args.length !== arity) throw new ExprError(`${fn} takes ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length}`);
  return Object.freeze({ type: 'call', fn, args: Object.freeze(args) }) as Call;
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
export const sign = (a: Expr): Expr => call('sign', a);
export const atan2 = (y: Expr, x: Expr): Expr => call('atan2', y, x);
export const min = (a: Expr, b: Expr): Expr => call('min', a, b);
export const max = (a: Expr, b: Expr): Expr => call('max', a, b);
export const clip = (x: Expr, lo: Expr, hi: Expr): Expr => call('clip', x, lo, hi);

/** Left-folded sum / product of a list (empty sum is 0, empty product is 1). */
export function sum(terms: readonly Expr[]): Expr {
  if (terms.length === 0) return num(0);
  return terms.slice(1).reduce((acc, t) => add(acc, t), terms[0]!);
}
export function product(factors: readonly Expr[]): Expr {
  if (factors.length === 0) return num(1);
  return factors.slice(1).reduce((acc, t) => mul(acc, t), factors[0]!);
}


// ---------------------------------------------------------------------------------------------
// Traversal. Every walk goes through these helpers, which use an explicit stack, so no walk is
// limited by the call stack.

/** The direct subexpressions, left to right. */
export function children(e: Expr): readonly Expr[] {
  switch (e.type) {
    case 'num':
    case 'var':
      return [];
    case 'neg':
      return [e.arg];
    case 'bin':
      return [e.left, e.right];
    case 'call':
      return e.args;
  }
}

/** The same node over new children (the node itself when they are the same objects). */
export function withChildren(e: Expr, kids: readonly Expr[]): Expr {
  const old = children(e);
  if (old.length === kids.length && old.every((k, i) => k === kids[i])) return e;
  switch (e.type) {
    case 'num':
    case 'var':
      return e;
    case 'neg':
      return neg(kids[0]!);
    case 'bin':
      return bin(e.op, kids[0]!, kids[1]!);
    case 'call':
      return call(e.fn, ...kids);
  }
}

interface Frame<T> {
  readonly node: Expr;
  readonly kids: readonly Expr[];
  readonly values: T[];
}

/**
 * Bottom-up evaluation: `f(node, values)` gets the results for the node's children, in order.
 * With `memo`, a subtree met again (trees share subtrees after substitution or differentiation) is
 * not walked twice, and results persist across calls.
 */
export function fold<T>(root: Expr, f: (node: Expr, values: T[]) => T, memo?: Map<Expr, T> | WeakMap<Expr, T>): T {
  const known = (e: Expr): T | undefined => memo?.get(e);
  const first = known(root);
  if (first !== undefined) return first;
  const stack: Frame<T>[] = [{ node: root, kids: children(root), values: [] }];
  for (;;) {
    const top = stack[stack.length - 1]!;
    if (top.values.length < top.kids.length) {
      const kid = top.kids[top.values.length]!;
      const cached = known(kid);
      if (cached !== undefined) top.values.push(cached);
      else stack.push({ node: kid, kids: children(kid), values: [] });
      continue;
    }
    const value = f(top.node, top.values);
    memo?.set(top.node, value);
    stack.pop();
    if (stack.length === 0) return value;
    stack[stack.length - 1]!.values.push(value);
  }
}

/** Bottom-up rewrite: `f` gets each node already rebuilt over its rewritten children. */
export function mapExpr(e: Expr, f: (node: Expr) => Expr): Expr {
  return fold<Expr>(e, (node, kids) => f(withChildren(node, kids)), new Map());
}

/** Pre-order visit, left to right; `visit` returning false skips the node's children. */
export function visit(e: Expr, f: (node: Expr) => boolean | void): void {
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (f(x) === false) continue;
    const kids = children(x);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
}

export function equals(a: Expr, b: Expr): boolean {
  const stack: [Expr, Expr][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (x.type !== y.type) return false;
    switch (x.type) {
      case 'num':
        if (x.value !== (y as Num).value) return false;
        continue;
      case 'var':
        if (x.name !== (y as Var).name) return false;
        continue;
      case 'bin':
        if (x.op !== (y as Bin).op) return false;
        break;
      case 'call':
        if (x.fn !== (y as Call).fn) return false;
        break;
      case 'neg':
        break;
    }
    const xs = children(x);
    const ys = children(y);
    for (let i = 0; i < xs.length; i++) stack.push([xs[i]!, ys[i]!]);
  }
  return true;
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
  return fold<number>(
    e,
    (x, kids) => {
      let h = 0x811c9dc5;
      switch (x.type) {
        case 'num':
          f64[0] = x.value;
          h = mix(mix(mix(h, 1), u32[0]!), u32[1]!);
          break;
        case 'var':
          h = hashString(mix(h, 2), x.name);
          break;
        case 'neg':
          h = mix(h, 3);
          break;
        case 'call':
          h = hashString(mix(h, 4), x.fn);
          break;
        case 'bin':
          h = hashString(mix(h, 5), x.op);
          break;
      }
      for (const k of kids) h = mix(h, k);
      return h;
    },
    hashCache,
  );
}

/** Variable names in order of first appearance (left to right). */
export function variables(e: Expr): string[] {
  const seen = new Set<string>();
  visit(e, (x) => {
    if (x.type === 'var') seen.add(x.name);
  });
  return [...seen];
}

/** Replace variables by expressions (used to express a law in original units). */
export function substitute(e: Expr, map: ReadonlyMap<string, Expr> | Record<string, Expr>): Expr {
  const get = (name: string): Expr | undefined =>
    map instanceof Map ? map.get(name) : Object.hasOwn(map, name) ? (map as Record<string, Expr>)[name] : undefined;
  return mapExpr(e, (x) => (x.type === 'var' ? (get(x.name) ?? x) : x));
}

/** Rename variables (e.g. x0 -> theta_dot); names must stay valid. */
export function renameVariables(e: Expr, rename: (name: string) => string): Expr {
  return mapExpr(e, (x) => (x.type === 'var' ? variable(rename(x.name)) : x));
}

export function nodeCount(e: Expr): number {
  let n = 0;
  visit(e, () => {
    n++;
  });
  return n;
}

/** Levels from the root to the deepest leaf (a leaf is 1 deep). */
export function depth(e: Expr): number {
  return fold<number>(e, (_, kids) => 1 + kids.reduce((m, k) => Math.max(m, k), 0), new Map());
}
