import fc from 'fast-check';
import { type Expr, FUNCTIONS, type BinaryOp, num, variable, neg, bin, call } from '../expr/ast.js';
import { functionSpec } from '../expr/functions.js';

export interface ExprArbOptions {
  /** Variable names to draw from (default x0, x1, x2). */
  variables?: readonly string[];
  /** Maximum tree depth (default 5). */
  maxDepth?: number;
  /** Allowed binary operators (default all five). */
  ops?: readonly BinaryOp[];
  /** Leave out subnormal constants (below 2.2e-308), whose products round differently in every order. */
  normalConstants?: boolean;
  /** Allowed functions (default all). */
  functions?: readonly (typeof FUNCTIONS)[number][];
}

/** Constants that exercise printing: integers, decimals, tiny and huge magnitudes, zero. */
export function constantArb(options: { normal?: boolean } = {}): fc.Arbitrary<number> {
  const doubles = fc.double({ min: 0, max: 100, noNaN: true, noDefaultInfinity: true });
  return fc.oneof(
    fc.integer({ min: 0, max: 12 }),
    options.normal ? doubles.filter((v) => v === 0 || v >= 2.2250738585072014e-308) : doubles,
    fc.constantFrom(0.5, 0.1, 1e-7, 2.5e-12, 1.5e21, 6.02214076e23, 3.14159),
  );
}

/** Random expression trees over the given variables, as the parser could produce them. */
export function exprArb(options: ExprArbOptions = {}): fc.Arbitrary<Expr> {
  const vars = options.variables ?? ['x0', 'x1', 'x2'];
  const ops = options.ops ?? (['+', '-', '*', '/', '^'] as const);
  const fns = options.functions ?? FUNCTIONS;
  const maxDepth = options.maxDepth ?? 5;
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    constantArb({ normal: options.normalConstants }).map((c) => num(c)),
    fc.constantFrom(...vars).map((n) => variable(n)),
  );
  const { tree } = fc.letrec<{ tree: Expr }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      leaf,
      tie('tree').map((a) => neg(a)),
      fc.tuple(fc.constantFrom(...ops), tie('tree'), tie('tree')).map(([op, a, b]) => bin(op, a, b)),
      // Each function with as many argument trees as its arity (up to three are drawn, the rest unused).
      fc
        .tuple(fc.constantFrom(...fns), tie('tree'), tie('tree'), tie('tree'))
        .map(([f, a, b, c]) => call(f, ...[a, b, c].slice(0, functionSpec(f).arity))),
    ),
  }));
  return tree;
}

/** A point (one value per variable) with moderate magnitudes, for numeric comparisons. */
export function pointArb(variables: readonly string[], range = 3): fc.Arbitrary<Record<string, number>> {
  const entries = variables.map((v) => [v, fc.double({ min: -range, max: range, noNaN: true, noDefaultInfinity: true })] as const);
  return fc.record(Object.fromEntries(entries) as Record<string, fc.Arbitrary<number>>);
}
