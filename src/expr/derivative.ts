import { type Expr, num, neg, add, sub, mul, div, pow, call, variables } from './ast.js';
import { simplify } from './simplify.js';

const ZERO = num(0);
const ONE = num(1);

function dependsOn(e: Expr, name: string): boolean {
  return variables(e).includes(name);
}

function d(e: Expr, x: string): Expr {
  if (!dependsOn(e, x)) return ZERO;
  switch (e.type) {
    case 'num':
      return ZERO;
    case 'var':
      return e.name === x ? ONE : ZERO;
    case 'neg':
      return neg(d(e.arg, x));
    case 'call': {
      const u = e.arg;
      const du = d(u, x);
      let outer: Expr;
      switch (e.fn) {
        case 'sin':
          outer = call('cos', u);
          break;
        case 'cos':
          outer = neg(call('sin', u));
          break;
        case 'tan':
          outer = add(ONE, pow(call('tan', u), num(2)));
          break;
        case 'exp':
          outer = e;
          break;
        case 'log':
          outer = div(ONE, u);
          break;
        case 'sqrt':
          outer = div(ONE, mul(num(2), e));
          break;
        case 'abs':
          // sign(u); undefined at u = 0, where the expression below is NaN as well.
          outer = div(u, e);
          break;
        case 'tanh':
          outer = sub(ONE, pow(e, num(2)));
          break;
      }
      return mul(outer, du);
    }
    case 'bin': {
      const { left: a, right: b } = e;
      switch (e.op) {
        case '+':
          return add(d(a, x), d(b, x));
        case '-':
          return sub(d(a, x), d(b, x));
        case '*':
          return add(mul(d(a, x), b), mul(a, d(b, x)));
        case '/':
          return div(sub(mul(d(a, x), b), mul(a, d(b, x))), pow(b, num(2)));
        case '^':
          if (!dependsOn(b, x)) return mul(mul(b, pow(a, sub(b, ONE))), d(a, x));
          // a^b = exp(b log a): defined where a > 0, as the general power is.
          return mul(e, add(mul(d(b, x), call('log', a)), div(mul(b, d(a, x)), a)));
      }
    }
  }
}

/** The symbolic derivative of e with respect to the variable `wrt`, simplified. */
export function derivative(e: Expr, wrt: string): Expr {
  return simplify(d(e, wrt));
}
