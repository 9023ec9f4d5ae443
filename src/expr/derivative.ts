import { type Expr, num, neg, add, sub, mul, div, pow, call, fold } from './ast.js';
import { functionSpec } from './functions.js';
import { simplify } from './simplify.js';

/**
 * d(e)/d(x) in one bottom-up pass: each node's derivative is built from its children's, and `null`
 * stands for an exact zero (a subtree free of x), so no subtree is searched for x more than once.
 * Functions contribute their partial derivatives from the registry (functions.ts, which also states
 * the convention at kinks).
 */
function d(e: Expr, x: string): Expr | null {
  return fold<Expr | null>(
    e,
    (node, ds) => {
      switch (node.type) {
        case 'num':
          return null;
        case 'var':
          return node.name === x ? num(1) : null;
        case 'neg':
          return ds[0] === null ? null : neg(ds[0]!);
        case 'call': {
          if (ds.every((t) => t === null)) return null;
          const partials = functionSpec(node.fn).partials(node.args, node);
          let acc: Expr | null = null;
          ds.forEach((du, i) => {
            if (du === null) return;
            const term = mul(partials[i]!, du);
            acc = acc === null ? term : add(acc, term);
          });
          return acc;
        }
        case 'bin': {
          const { left: a, right: b } = node;
          const [da, db] = ds as [Expr | null, Expr | null];
          if (da === null && db === null) return null;
          switch (node.op) {
            case '+':
              return da === null ? db : db === null ? da : add(da, db);
            case '-':
              return db === null ? da : da === null ? neg(db) : sub(da, db);
            case '*':
              return da === null ? mul(a, db!) : db === null ? mul(da, b) : add(mul(da, b), mul(a, db));
            case '/':
              return div(sub(mul(da ?? num(0), b), mul(a, db ?? num(0))), pow(b, num(2)));
            case '^':
              if (db === null) return mul(mul(b, pow(a, sub(b, num(1)))), da!);
              // a^b = exp(b log a): defined where a > 0, as the general power is.
              return mul(node, add(mul(db, call('log', a)), div(mul(b, da ?? num(0)), a)));
          }
        }
      }
    },
    new Map(),
  );
}

/** The symbolic derivative of e with respect to the variable `wrt`, simplified. */
export function derivative(e: Expr, wrt: string): Expr {
  return simplify(d(e, wrt) ?? num(0));
}
