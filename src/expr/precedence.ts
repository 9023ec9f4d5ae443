import type { BinaryOp, Expr } from './ast.js';

/**
 * The one precedence table, shared by the text printer and LaTeX and checked against the parser
 * built from grammar/expr.ne (test/expr/precedence.test.ts). Binding strength, loosest first:
 * a sum, then products, then unary minus, then powers, then atoms (numbers, variables, calls,
 * parentheses).
 */
export const SUM = 1;
export const PRODUCT = 2;
export const UNARY = 3;
export const POWER = 4;
export const ATOM = 5;

export interface OperatorRule {
  readonly level: number;
  /** The weakest form the grammar admits bare as the left and the right operand. */
  readonly left: number;
  readonly right: number;
}

/**
 *   sum:      left >= SUM,     right >= PRODUCT   (left-associative: a - (b - c), a - -b needs none)
 *   product:  left >= PRODUCT, right >= UNARY     (a / (b * c), a * -b)
 *   power:    base = ATOM,     exponent >= UNARY  (right-associative: (a^b)^c, a^b^c, 2^-x)
 */
export const BINARY: Readonly<Record<BinaryOp, OperatorRule>> = {
  '+': { level: SUM, left: SUM, right: PRODUCT },
  '-': { level: SUM, left: SUM, right: PRODUCT },
  '*': { level: PRODUCT, left: PRODUCT, right: UNARY },
  '/': { level: PRODUCT, left: PRODUCT, right: UNARY },
  '^': { level: POWER, left: ATOM, right: UNARY },
};
/** Negation's operand: -x^2 is -(x^2), --x, -(a * b). */
export const NEG_OPERAND = UNARY;

export function level(e: Expr): number {
  switch (e.type) {
    case 'num':
    case 'var':
    case 'call':
      return ATOM;
    case 'neg':
      return UNARY;
    case 'bin':
      return BINARY[e.op].level;
  }
}
