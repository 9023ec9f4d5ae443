import { type Expr, type FnName, ExprError, fold } from './ast.js';
import { FUNCTION_TABLE } from './functions.js';

/** Scalar semantics of every function, from the registry (functions.ts). */
export const FN_IMPL: Readonly<Record<FnName, (...args: number[]) => number>> = Object.fromEntries(
  Object.entries(FUNCTION_TABLE).map(([name, spec]) => [name, spec.evaluate as (...args: number[]) => number]),
) as Record<FnName, (...args: number[]) => number>;

export type Env = Readonly<Record<string, number>> | ReadonlyMap<string, number>;

/** Thrown when a variable has no value; `variable` names it so callers can say which is missing. */
export class MissingValueError extends ExprError {
  override name = 'MissingValueError';
  constructor(readonly variable: string) {
    super(`no value given for variable ${variable}`);
  }
}

/**
 * The exact reference evaluator (IEEE double, Math.* semantics, `^` is Math.pow).
 * An unbound variable is an error, never a silent NaN.
 */
export function interpret(e: Expr, env: Env): number {
  const lookup =
    env instanceof Map
      ? (name: string) => env.get(name)
      : (name: string) => (Object.prototype.hasOwnProperty.call(env, name) ? (env as Record<string, number>)[name] : undefined);
  return fold<number>(e, (x, v) => {
    switch (x.type) {
      case 'num':
        return x.value;
      case 'var': {
        const value = lookup(x.name);
        if (value === undefined) throw new MissingValueError(x.name);
        return value;
      }
      case 'neg':
        return -v[0]!;
      case 'call':
        return FN_IMPL[x.fn](...v);
      case 'bin': {
        const a = v[0]!;
        const b = v[1]!;
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
  });
}
