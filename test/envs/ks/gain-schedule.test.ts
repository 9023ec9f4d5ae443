import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../../support/seed.js';
import { KS_SCHEDULE_FAMILIES, KS_SCHEDULE_SIZE, KS_SCHEDULE_TERMS, ksScheduleFamily, ksScheduleLaw, ksScheduleSize, ksScheduleStart, ksScheduleTheta } from '../../../src/envs/ks/gain-schedule.js';
import { lawFromJson, lawToJson } from '../../../src/export/law.js';
import { interpret } from '../../../src/expr/interpret.js';
import { parse } from '../../../src/expr/parse.js';
import { lawTermCount } from '../../../src/envs/ks/compare.js';

const coefficient = fc.double({ min: -50, max: 50, noNaN: true });
const input = fc.double({ min: -4.5, max: 4.5, noNaN: true });

test('gain-scheduled KS law: each a_j is tanh of its terms table, over m_j and mu only, and the document round-trips', () => {
  fc.assert(
    fc.property(fc.array(coefficient, { minLength: KS_SCHEDULE_SIZE, maxLength: KS_SCHEDULE_SIZE }), fc.array(input, { minLength: 8, maxLength: 8 }), fc.double({ min: -0.25, max: 0.25, noNaN: true }), (theta, m, mu) => {
      const law = lawFromJson(JSON.parse(JSON.stringify(lawToJson(ksScheduleLaw(theta)))));
      assert.equal(lawTermCount(law), 56);
      assert.deepEqual(Array.from(ksScheduleTheta(law), (v) => v + 0), theta.map((v) => v + 0)); // JSON writes -0 as 0
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

test('quartic KS law: the gain-schedule terms plus mu^4 m_j (64 terms); its coefficients read back, and a gain-schedule law reads into it with c8 = 0', () => {
  const quartic = ksScheduleFamily('quartic');
  assert.equal(ksScheduleSize(quartic), 64);
  fc.assert(
    fc.property(fc.array(coefficient, { minLength: 64, maxLength: 64 }), fc.array(input, { minLength: 8, maxLength: 8 }), fc.double({ min: -0.25, max: 0.25, noNaN: true }), (theta, m, mu) => {
      const law = lawFromJson(JSON.parse(JSON.stringify(lawToJson(ksScheduleLaw(theta, undefined, quartic)))));
      assert.equal(lawTermCount(law), 64);
      assert.deepEqual(Array.from(ksScheduleTheta(law, 'q', quartic), (v) => v + 0), theta.map((v) => v + 0));
      const env: Record<string, number> = { mu };
      m.forEach((v, j) => (env[`m${j + 1}`] = v));
      law.outputs.forEach((o, j) => {
        const c = theta.slice(8 * j, 8 * j + 8);
        const direct = c[0]! * m[j]! + c[1]! * mu * m[j]! + c[2]! * mu * mu * m[j]! + c[3]! + c[4]! * mu + c[5]! * mu * mu + c[6]! * m[j]! ** 3 + c[7]! * mu ** 4 * m[j]!;
        assert.ok(Math.abs(interpret(o.expr, env) - Math.tanh(direct)) <= 1e-9 * (1 + Math.abs(direct)), `${o.name}: expression`);
      });
    }),
    { numRuns: 30 },
  );
  const base = ksScheduleStart().start.map((v, i) => v + i);
  const lifted = ksScheduleTheta(ksScheduleLaw(base), 'g.json', quartic);
  for (let j = 0; j < 8; j++) assert.deepEqual(Array.from(lifted.slice(8 * j, 8 * j + 8)), [...Array.from(base.slice(7 * j, 7 * j + 7)), 0]);
  assert.deepEqual(Object.keys(KS_SCHEDULE_FAMILIES), ['gain-schedule', 'quartic']);
});

test('gain-scheduled KS law: reading coefficients back refuses a term outside the family, naming the output and term; an unknown family is named', () => {
  const law = ksScheduleLaw(ksScheduleStart().start);
  const a3 = law.outputs[2]!;
  const withExtra = { outputs: law.outputs.map((o) => (o === a3 ? { ...o, terms: [...o.terms, { term: 'm4', coefficient: 1 }] } : o)) };
  assert.throws(() => ksScheduleTheta(withExtra, 'x.json'), /^SparselawError: x\.json: a3 has the term "m4", which is not one of the gain-schedule family's \(m3, mu \* m3, /);
  const quarticLaw = ksScheduleLaw(ksScheduleStart(ksScheduleFamily('quartic')).start, undefined, ksScheduleFamily('quartic'));
  assert.throws(() => ksScheduleTheta(quarticLaw, 'q.json'), /^SparselawError: q\.json: a1 has the term "mu\^4 \* m1", which is not one of the gain-schedule family's/);
  assert.throws(() => ksScheduleTheta({ outputs: law.outputs.slice(0, 7) }, 'x.json'), /no output a8/);
  assert.throws(() => ksScheduleFamily('cubic'), /^SparselawError: unknown law family "cubic" \(known: gain-schedule, quartic\)$/);
});
