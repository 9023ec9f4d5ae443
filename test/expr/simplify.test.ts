import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../support/seed.js';
import { evaluate } from 'mathjs';
import { exprArb, pointArb } from '../../src/verify/expr-arbitraries.js';
import { type Expr, children, equals, sum, product, num, variable } from '../../src/expr/ast.js';
import { interpret } from '../../src/expr/interpret.js';
import { simplify } from '../../src/expr/simplify.js';
import { derivative } from '../../src/expr/derivative.js';
import { parse } from '../../src/expr/parse.js';
import { print } from '../../src/expr/print.js';

const VARS = ['x0', 'x1', 'x2'];

/** Largest magnitude of any intermediate value: the scale of reassociation error. */
function scaleOf(e: Expr, env: Record<string, number>): number {
  const v = Math.abs(interpret(e, env));
  switch (e.type) {
    case 'num':
    case 'var':
      return v;
    default:
      return Math.max(v, ...children(e).map((k) => scaleOf(k, env)));
  }
}

function agrees(a: number, b: number, scale: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, scale);
}

// Generated trees stay modest so that "finite" means well-conditioned enough to compare.
const arb = exprArb({ maxDepth: 4 });

/** Subnormal inputs lose relative precision in any arithmetic; they are flushed to zero here. */
const normalPointArb = pointArb(VARS).map((p) =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Math.abs(v) < 1e-100 ? 0 : v])),
);

test('simplify preserves the value wherever the expression is finite', () => {
  fc.assert(
    fc.property(arb, normalPointArb, (e, p) => {
      const want = interpret(e, p);
      if (!Number.isFinite(want)) return;
      const scale = scaleOf(e, p);
      if (!Number.isFinite(scale) || scale > 1e12) return;
      const got = interpret(simplify(e), p);
      assert.ok(agrees(got, want, scale), `${print(e)} -> ${print(simplify(e))}: ${got} vs ${want}`);
    }),
    { numRuns: 500 },
  );
});

/** Fully parenthesised mathjs syntax, independent of our printer. */
function mathjsText(e: Expr): string {
  switch (e.type) {
    case 'num':
      return `(${e.value})`;
    case 'var':
      return e.name;
    case 'neg':
      return `(-${mathjsText(e.arg)})`;
    case 'call': {
      const args = e.args.map(mathjsText);
      // mathjs has no clip; it is min(max(x, lo), hi) by definition.
      return e.fn === 'clip' ? `min(max(${args[0]}, ${args[1]}), ${args[2]})` : `${e.fn}(${args.join(', ')})`;
    }
    case 'bin':
      return `(${mathjsText(e.left)} ${e.op} ${mathjsText(e.right)})`;
  }
}

test('simplify agrees with mathjs evaluating the original expression', () => {
  fc.assert(
    fc.property(arb, pointArb(VARS), (e, p) => {
      let theirs: unknown;
      try {
        theirs = evaluate(mathjsText(e), { ...p });
      } catch {
        return; // mathjs cannot compare complex numbers (min of log(-1)); outside our real semantics
      }
      if (typeof theirs !== 'number' || !Number.isFinite(theirs)) return; // complex results are outside our real semantics
      const scale = scaleOf(e, p);
      if (!Number.isFinite(scale) || scale > 1e12) return;
      const ours = interpret(simplify(e), p);
      assert.ok(agrees(ours, theirs, scale), `${mathjsText(e)}: ${ours} vs mathjs ${theirs}`);
    }),
    { numRuns: 300 },
  );
});

test('simplify is idempotent', () => {
  fc.assert(
    fc.property(arb, (e) => {
      const once = simplify(e);
      assert.ok(equals(simplify(once), once), `${print(once)} -> ${print(simplify(once))}`);
    }),
    { numRuns: 500 },
  );
});

test('reordered and regrouped sums of products simplify to the same tree', () => {
  const termArb = fc.array(fc.oneof(fc.constantFrom(...VARS).map(variable), fc.integer({ min: 1, max: 5 }).map(num), exprArb({ maxDepth: 2, normalConstants: true })), {
    minLength: 1,
    maxLength: 3,
  });
  fc.assert(
    fc.property(fc.array(termArb, { minLength: 1, maxLength: 4 }), fc.infiniteStream(fc.integer()), (terms, rnd) => {
      const shuffle = <T>(xs: readonly T[]): T[] => {
        const a = [...xs];
        for (let i = a.length - 1; i > 0; i--) {
          const j = Math.abs(rnd.next().value) % (i + 1);
          [a[i], a[j]] = [a[j]!, a[i]!];
        }
        return a;
      };
      const a = sum(terms.map((fs) => product(fs)));
      const b = sum(shuffle(terms.map((fs) => product(shuffle(fs)))));
      if (!Number.isFinite(scaleOf(a, { x0: 0.5, x1: 1.5, x2: -0.7 }))) return; // overflowing constants are left as written
      // Constant folding in another order may differ in the last bit; compare at export precision.
      assert.equal(print(simplify(a, { digits: 12 })), print(simplify(b, { digits: 12 })));
    }),
    { numRuns: 300 },
  );
});

test('identities and collection', () => {
  const cases: [string, string][] = [
    ['x*1', 'x'],
    ['x+0', 'x'],
    ['x^1', 'x'],
    ['x^0', '1'],
    ['0*x', '0'],
    ['--x', 'x'],
    ['2*x + 3*x', '5 * x'],
    ['x - x', '0'],
    ['x*x^2', 'x^3'],
    ['a + (-3)*b', 'a - 3 * b'],
    ['x - (-y)', 'x + y'],
    ['b + a', 'a + b'],
    ['2*3 + x', '6 + x'],
    ['sin(0) + cos(0)*x', 'x'],
    ['x*(y+1) - x*y', 'x'],
    ['(x^2)^0.5', '(x^2)^0.5'],
  ];
  for (const [input, want] of cases) assert.equal(print(simplify(parse(input))), want, input);
});

test('digits rounds coefficients and drops those that vanish', () => {
  assert.equal(print(simplify(parse('0.7357512345*sin(t) + 0.1500004*u'), { digits: 4 })), '0.7358 * sin(t) + 0.15 * u');
  assert.equal(print(simplify(parse('x^2.5'), { digits: 1 })), 'x^2.5');
});

/** Points away from the singular spots (0, subnormals) that random quotients put there. */
const regularPointArb = fc.record(
  Object.fromEntries(
    VARS.map((v) => [v, fc.tuple(fc.double({ min: 0.05, max: 2, noNaN: true }), fc.boolean()).map(([x, s]) => (s ? x : -x))]),
  ) as Record<string, fc.Arbitrary<number>>,
);

test('derivative agrees with a central finite difference', () => {
  fc.assert(
    // sqrt and log are checked by hand below (their domains); the kinks of abs, sign, min, max and
    // clip are skipped by the smoothness check, and at an exact tie (min(x, x)) the central
    // difference is the mean of the one-sided slopes, which is the derivative's convention.
    fc.property(
      exprArb({ maxDepth: 4, ops: ['+', '-', '*', '/'], functions: ['sin', 'cos', 'tan', 'exp', 'tanh', 'abs', 'sign', 'atan2', 'min', 'max', 'clip'] }),
      regularPointArb, fc.constantFrom(...VARS), (e, p, v) => {
      const f = (x: number): number => interpret(e, { ...p, [v]: x });
      const x = p[v]!;
      if (!Number.isFinite(f(x)) || scaleOf(e, p) > 1e6) return; // absorption makes the difference quotient meaningless
      const fd = (h: number): number => (f(x + h) - f(x - h)) / (2 * h);
      const d1 = fd(1e-5);
      const d2 = fd(2e-5);
      // Only where the function is smooth at this scale (the two step sizes agree).
      if (!Number.isFinite(d1) || !Number.isFinite(d2) || Math.abs(d1 - d2) > 1e-4 * Math.max(1, Math.abs(d1))) return;
      // A kink inside the step shows as one-sided slopes that disagree (the central ones can agree).
      const forward = (f(x + 1e-5) - f(x)) / 1e-5;
      const backward = (f(x) - f(x - 1e-5)) / 1e-5;
      if (Math.abs(forward - backward) > 1e-2 * Math.max(1, Math.abs(d1))) return;
      if (Math.abs(d1) > 1e6) return;
      const got = interpret(derivative(e, v), p);
      assert.ok(Math.abs(got - d1) <= 1e-3 * Math.max(1, Math.abs(d1)), `d/d${v} ${print(e)} = ${print(derivative(e, v))}: ${got} vs ${d1}`);
    }),
    { numRuns: 400 },
  );
});

test('derivative of every function and operator', () => {
  const cases: [string, string][] = [
    ['sin(x)', 'cos(x)'],
    ['cos(x)', '-sin(x)'],
    ['exp(2*x)', '2 * exp(2 * x)'],
    ['log(x)', '1 / x'],
    ['x^3', '3 * x^2'],
    ['y*x', 'y'],
    ['c', '0'],
  ];
  for (const [input, want] of cases) assert.equal(print(derivative(parse(input), 'x')), want, input);
  const at = { x: 0.7 };
  const check = (text: string, want: number): void =>
    assert.ok(Math.abs(interpret(derivative(parse(text), 'x'), at) - want) < 1e-12, text);
  check('tan(x)', 1 / Math.cos(0.7) ** 2);
  check('sqrt(x)', 0.5 / Math.sqrt(0.7));
  check('abs(x)', 1);
  check('tanh(x)', 1 - Math.tanh(0.7) ** 2);
  check('2^x', Math.log(2) * 2 ** 0.7);
  check('x^x', 0.7 ** 0.7 * (Math.log(0.7) + 1));
  check('1/x', -1 / 0.49);
});
