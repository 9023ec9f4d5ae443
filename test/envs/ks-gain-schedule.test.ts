import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../support/seed.js';
import { KS_SCHEDULE_SIZE, KS_SCHEDULE_TERMS, ksScheduleLaw, ksScheduleStart } from '../../src/envs/ks-gain-schedule.js';
import { lawFromJson, lawToJson } from '../../src/export/law.js';
import { interpret } from '../../src/expr/interpret.js';
import { parse } from '../../src/expr/parse.js';
import { lawTermCount } from '../../src/rl/ks-compare.js';

const coefficient = fc.double({ min: -50, max: 50, noNaN: true });
const input = fc.double({ min: -4.5, max: 4.5, noNaN: true });

test('gain-scheduled KS law: each a_j is tanh of its terms table, over m_j and mu only, and the document round-trips', () => {
  fc.assert(
    fc.property(fc.array(coefficient, { minLength: KS_SCHEDULE_SIZE, maxLength: KS_SCHEDULE_SIZE }), fc.array(input, { minLength: 8, maxLength: 8 }), fc.double({ min: -0.25, max: 0.25, noNaN: true }), (theta, m, mu) => {
      const law = lawFromJson(JSON.parse(JSON.stringify(lawToJson(ksScheduleLaw(theta)))));
      assert.equal(lawTermCount(law), 56);
      const env: Record<string, number> = { mu };
      m.forEach((v, j) => (env[`m${j + 1}`] = v));
      law.outputs.forEach((o, j) => {
        const direct =
          theta[7 * j]! * m[j]! + theta[7 * j + 1]! * mu * m[j]! + theta[7 * j + 2]! * mu * mu * m[j]! + theta[7 * j + 3]! + theta[7 * j + 4]! * mu + theta[7 * j + 5]! * mu * mu + theta[7 * j + 6]! * m[j]! ** 3;
        const fromTerms = o.terms.reduce((s, t) => s + t.coefficient * interpret(parse(t.term), env), 0);
        const tol = 1e-9 * (1 + Math.abs(direct));
        assert.ok(Math.abs(fromTerms - direct) <= tol, `${o.name}: terms ${fromTerms} vs ${direct}`);
        assert.ok(Math.abs(interpret(o.expr, env) - Math.tanh(direct)) <= tol, `${o.name}: expression`);
        assert.deepEqual(o.terms.map((t) => t.term.replaceAll(`m${j + 1}`, 'm').replaceAll(' ', '')), [...KS_SCHEDULE_TERMS]);
      });
    }),
  );
});

test('gain-scheduled KS law: the search starts from a_j = tanh(-(1.5 + 300 mu^2) m_j)', () => {
  const { start, scale } = ksScheduleStart();
  assert.equal(start.length, KS_SCHEDULE_SIZE);
  assert.ok(scale.every((s) => s > 0));
  const law = ksScheduleLaw(start);
  const env = { m1: 0.5, m2: 0, m3: 0, m4: 0, m5: 0, m6: 0, m7: 0, m8: -1, mu: 0.2 };
  assert.ok(Math.abs(interpret(law.outputs[0]!.expr, env) - Math.tanh(-13.5 * 0.5)) < 1e-12);
  assert.ok(Math.abs(interpret(law.outputs[7]!.expr, { ...env, mu: 0 }) - Math.tanh(1.5)) < 1e-12);
  assert.throws(() => ksScheduleLaw([1, 2]), /expected 56 coefficients, got 2/);
});
