import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { exprArb, pointArb } from '../../src/verify/expr-arbitraries.js';
import { interpret } from '../../src/expr/interpret.js';
import { compileRow, compileBatch, compileScalar } from '../../src/expr/compile.js';
import { jsFunction } from '../../src/export/js.js';
import { toTensor } from '../../src/expr/tfjs.js';
import { parse } from '../../src/expr/parse.js';
import { type Expr, children, fold, num, variable, mul, add, sin } from '../../src/expr/ast.js';
import { FN_IMPL } from '../../src/expr/interpret.js';
import { Rng } from '../../src/util/rng.js';
import { TEST_SEED } from '../support/seed.js';
import { close } from '../support/tolerance.js';

const VARS = ['x0', 'x1', 'x2'];
function maxConstant(e: Expr): number {
  switch (e.type) {
    case 'num':
      return e.value;
    case 'var':
      return 0;
    default:
      return Math.max(...children(e).map(maxConstant));
  }
}
function minConstant(e: Expr): number {
  switch (e.type) {
    case 'num':
      return e.value === 0 ? Infinity : e.value;
    case 'var':
      return Infinity;
    default:
      return Math.min(...children(e).map(minConstant));
  }
}
/** Points exactly representable in float32, without subnormals (which float32 kernels flush). */
const float32PointArb = fc.record(
  Object.fromEntries(
    VARS.map((v) => [v, fc.double({ min: -2, max: 2, noNaN: true }).map((x) => (Math.abs(x) < 1e-6 ? 0 : Math.fround(x)))]),
  ) as Record<string, fc.Arbitrary<number>>,
);
/**
 * How far float32 arithmetic can move the value: the interpreter run again with every intermediate
 * result (inputs and constants included) scaled by 1 + u * 2^-22, u uniform in [-1, 1], a few times;
 * the largest change seen. sin(exp(14)) moves by O(1) (float32 cannot carry that argument), x + 1
 * by a few ulps: the comparison follows the expression's conditioning.
 */
function float32Spread(e: Expr, point: Record<string, number>, rng: Rng): number {
  const exact = interpretWith(e, point, () => 1);
  let spread = 0;
  for (let k = 0; k < 8; k++) {
    const moved = interpretWith(e, point, () => 1 + (2 * rng.uniform() - 1) * 2 ** -22);
    spread = Math.max(spread, Number.isNaN(moved) !== Number.isNaN(exact) ? Infinity : Math.abs(moved - exact) || 0);
  }
  return spread;
}
function interpretWith(e: Expr, p: Record<string, number>, jitter: () => number): number {
  return fold<number>(e, (x, v) => {
    let r: number;
    switch (x.type) {
      case 'num':
        r = x.value;
        break;
      case 'var':
        r = p[x.name]!;
        break;
      case 'neg':
        r = -v[0]!;
        break;
      case 'call':
        r = FN_IMPL[x.fn](...v);
        break;
      case 'bin': {
        const [a, b] = v as [number, number];
        r = x.op === '+' ? a + b : x.op === '-' ? a - b : x.op === '*' ? a * b : x.op === '/' ? a / b : Math.pow(a, b);
        break;
      }
    }
    return r * jitter();
  });
}
const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

test('interpreter, compiled row/batch/scalar kernels and the JS export agree exactly', () => {
  fc.assert(
    fc.property(fc.array(exprArb(), { minLength: 1, maxLength: 4 }), pointArb(VARS), (exprs, point) => {
      const x = VARS.map((v) => point[v]!);
      const row = new Float64Array(exprs.length);
      compileRow(exprs, VARS)(x, row);
      const batch = new Float64Array(2 * exprs.length);
      compileBatch(exprs, VARS)(
        VARS.map((v) => Float64Array.of(point[v]!, point[v]!)),
        2,
        batch,
      );
      exprs.forEach((e, k) => {
        const want = interpret(e, point);
        assert.ok(same(row[k]!, want), `row ${row[k]} vs ${want}`);
        assert.ok(same(batch[k]!, want) && same(batch[exprs.length + k]!, want));
        assert.ok(same(compileScalar(e, VARS)(x), want));
        const js = (() => {
          try {
            return jsFunction(e, VARS)(point);
          } catch {
            return NaN;
          }
        })();
        assert.ok(same(js, want), `js ${js} vs ${want}`);
      });
    }),
    { numRuns: 300 },
  );
});

test('compiled kernels reject variables that are not inputs, naming them', () => {
  assert.throws(() => compileRow([parse('x + y')], ['x']), /variable y/);
});

test('tfjs lowering agrees with the interpreter to float32 precision', async () => {
  await tf.setBackend('cpu');
  const rng = Rng.seeded(TEST_SEED >>> 0);
  fc.assert(
    fc.property(exprArb({ maxDepth: 4 }), fc.array(float32PointArb, { minLength: 1, maxLength: 5 }), (e, points) => {
      // Constants beyond float32's exact range (sin(1.5e21)) cannot agree; that is not a lowering bug.
      if (maxConstant(e) > 100 || minConstant(e) < 1e-6) return;
      const want = points.map((p) => interpret(e, p));
      if (!want.every((v) => Number.isFinite(v) && Math.abs(v) < 1e4)) return;
      const got = tf.tidy(() => {
        const bindings = Object.fromEntries(VARS.map((v) => [v, tf.tensor1d(points.map((p) => p[v]!), 'float32')]));
        return toTensor(e, bindings).dataSync();
      });
      const values = got.length === 1 ? want.map(() => got[0]!) : Array.from(got);
      // float32 carries ~7 digits; the tolerance adds what the expression's conditioning makes of them.
      want.forEach((w, i) => {
        const spread = float32Spread(e, points[i]!, rng);
        const ok = close(values[i]!, w, 1e-3, 1e-4) || Math.abs(values[i]! - w) <= 16 * spread || !Number.isFinite(values[i]!);
        assert.ok(ok, `${values[i]} vs ${w} (float32 spread ${spread}) for ${JSON.stringify(points[i])}`);
      });
    }),
    { numRuns: 200 },
  );
});

test('gradients flow through the tfjs lowering into coefficient bindings', async () => {
  await tf.setBackend('cpu');
  const e = add(mul(variable('c'), sin(variable('x'))), mul(num(3), variable('c')));
  const x = tf.tensor1d([0.3, -1.2, 2.0]);
  const g = tf.grad((c: tf.Tensor) => toTensor(e, { c, x }).sum())(tf.scalar(0.7));
  const want = [0.3, -1.2, 2.0].reduce((s, v) => s + Math.sin(v) + 3, 0);
  assert.ok(close(g.dataSync()[0]!, want, 1e-5, 1e-5));
});
