import type { Expr } from './ast.js';

/**
 * Binding strength of each printed form, mirroring grammar/expr.ne: a sum is the loosest, then
 * products, then unary minus, then powers, then atoms (numbers, variables, calls, parentheses).
 */
const SUM = 1;
const PRODUCT = 2;
const UNARY = 3;
const POWER = 4;
const ATOM = 5;

function level(e: Expr): number {
  switch (e.type) {
    case 'num':
    case 'var':
    case 'call':
      return ATOM;
    case 'neg':
      return UNARY;
    case 'bin':
      switch (e.op) {
        case '+':
        case '-':
          return SUM;
        case '*':
        case '/':
          return PRODUCT;
        case '^':
          return POWER;
      }
  }
}

/** Prints `e` bare when the grammar accepts that strength at this position, else in parentheses. */
function at(e: Expr, minimum: number): string {
  const s = print(e);
  return level(e) >= minimum ? s : `(${s})`;
}

/**
 * Plain text with the fewest parentheses such that parse(print(e)) equals e, for every tree.
 * Style: spaces around binary + - * /, none around ^, `-x` for negation, `sin(x)` for calls.
 * Each operand position admits exactly the strengths the grammar admits there:
 *   sum:      left >= SUM,     right >= PRODUCT   (a - (b - c), a - -b)
 *   product:  left >= PRODUCT, right >= UNARY     (a / (b * c), a * -b)
 *   negation: operand >= UNARY                    (-x^2 is -(x^2), --x, -(a * b))
 *   power:    base = ATOM,     exponent >= UNARY  ((-x)^2, (a^b)^c, 2^-x, a^b^c)
 * Numbers print with String(), the shortest text that reads back as the same double; its exponent
 * form (1e-7, 1.5e+21) is in the grammar. Literals are never negative (see num() in ast.ts).
 */
export function print(e: Expr): string {
  switch (e.type) {
    case 'num':
      return String(e.value);
    case 'var':
      return e.name;
    case 'call':
      return `${e.fn}(${print(e.arg)})`;
    case 'neg':
      return `-${at(e.arg, UNARY)}`;
    case 'bin':
      switch (e.op) {
        case '+':
        case '-':
          return `${at(e.left, SUM)} ${e.op} ${at(e.right, PRODUCT)}`;
        case '*':
        case '/':
          return `${at(e.left, PRODUCT)} ${e.op} ${at(e.right, UNARY)}`;
        case '^':
          return `${at(e.left, ATOM)}^${at(e.right, UNARY)}`;
      }
  }
}
