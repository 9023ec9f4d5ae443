import { type Expr, type FnName, ExprError } from './ast.js';

/** Scalar semantics of every function; the compiler, tfjs lowering and exporters must match these. */
export const FN_IMPL: Readonly<Record<FnName, (x: number) => number>> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  tanh: Math.tanh,
};

export type Env = Readonly<Record<string, number>> | ReadonlyMap<string, number>;

/**
 * The exact reference evaluator (IEEE double, Math.* semantics, `^` is Math.pow).
 * An unbound variable is an error, never a silent NaN.
 */
export function interpret(e: Expr, env: Env): number {
  const lookup =
    env instanceof Map
      ? (name: string) => env.get(name)
      : (name: string) => (Object.prototype.hasOwnProperty.call(env, name) ? (env as Record<string, number>)[name] : undefined);
  const ev = (x: Expr): number => {
    switch (x.type) {
      case 'num':
        return x.value;
      case 'var': {
        const v = lookup(x.name);
        if (v === undefined) throw new ExprError(`no value given for variable ${x.name}`);
        return v;
      }
      case 'neg':
        return -ev(x.arg);
      case 'call':
        return FN_IMPL[x.fn](ev(x.arg));
      case 'bin': {
        const a = ev(x.left);
        const b = ev(x.right);
        switch (x.op) {
          case '+':
            return a + b;
          case '-':
            return a - b;
          case '*':
            return a * b;
          case '/':
            return a / b;
          case '^':
            return Math.pow(a, b);
        }
      }
    }
  };
  return ev(e);
}
