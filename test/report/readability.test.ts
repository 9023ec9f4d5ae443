import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../support/seed.js';
import { breakAtWraps, type RolloutTrace } from '../../src/report/rollout-charts.js';
import { pendulumRolloutCharts } from '../../src/envs/pendulum/charts.js';
import { renderChart } from '../../src/report/charts.js';
import { countMarks } from './marks.js';
import { axisNumber, configurationLabel } from '../../src/report/sweep-report.js';
import type { ConfigurationSummary } from '../../src/sweep/aggregate.js';
import { typeset } from '../../src/report/katex.js';
import { latexEquation } from '../../src/export/latex.js';
import { parse } from '../../src/expr/parse.js';
import { print } from '../../src/expr/print.js';
import { simplify } from '../../src/expr/simplify.js';

/** What makes a report readable: no false jumps, no lost digits, no lines running off the page. */

test('a wrapped angle is never joined across its jump: pieces between wraps move by less than pi per sample', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }), { minLength: 2, maxLength: 60 }), (values) => {
      const points = breakAtWraps(values.map((value, t) => ({ t, value, series: 'angle' })));
      points.forEach((p, i) => {
        if (i === 0) return assert.equal(p.segment, 0);
        const jump = Math.abs(p.value - points[i - 1]!.value) > Math.PI;
        assert.equal(p.segment, points[i - 1]!.segment! + (jump ? 1 : 0));
      });
    }),
  );
});

test('the pendulum angle chart draws one line per piece between wraps', async () => {
  // A spinning pendulum: the angle passes pi, 3 pi and 5 pi over these steps, so it wraps three times.
  const thetas = Array.from({ length: 80 }, (_, i) => 0.2 * i);
  const trace: RolloutTrace = {
    envId: 'Pendulum-v1',
    observationNames: ['cos_theta', 'sin_theta', 'theta_dot'],
    actionNames: ['torque'],
    parameterNames: [],
    parameters: [],
    dt: 0.05,
    observations: thetas.map((t) => [Math.cos(t), Math.sin(t), 4]),
    actions: thetas.slice(1).map(() => [0]),
    rewards: thetas.slice(1).map(() => 0),
  };
  const chart = pendulumRolloutCharts(trace)[0]!;
  assert.equal(chart.marks.line, 4);
  const svg = (await renderChart(chart)).svg;
  assert.equal(countMarks(svg).line, 4);
});

test('one notation per sweep axis: 1e-6 beside 1e-7, never 0.000001 beside 1e-7', () => {
  assert.equal(axisNumber(0.000001, [0.000001, 1e-7]), '1e-6');
  assert.equal(axisNumber(1e-7, [0.000001, 1e-7]), '1e-7');
  assert.equal(axisNumber(0.5, [0.5, 0.25]), '0.5');
  const configurations = [0.000001, 1e-7].map((lambda) => ({ point: { lambda } })) as unknown as ConfigurationSummary[];
  assert.deepEqual(configurations.map((c) => configurationLabel(c, configurations)), ['lambda=1e-6', 'lambda=1e-7']);
});

test('typeset coefficients near 1 keep enough digits to differ from 1; exact ones stay 1', () => {
  const e = parse('0.99997 * theta_dot - 1.00002 * x + 1 * y + 0.5 * z');
  assert.equal(print(simplify(e, { digits: 4, keepNearOne: true })), '0.99997 * theta_dot - 1.00002 * x + y + 0.5 * z');
  assert.equal(print(simplify(e, { digits: 4 })), 'theta_dot - x + y + 0.5 * z');
  fc.assert(
    fc.property(fc.double({ min: 0.5, max: 1.5, noNaN: true }).filter((v) => v !== 1), fc.integer({ min: 1, max: 8 }), (v, digits) => {
      const rounded = simplify(parse(`${v} * x`), { digits, keepNearOne: true });
      assert.notEqual(print(rounded), 'x');
    }),
  );
});

test('long formulas are typeset breakable: KaTeX splits them into pieces a browser can wrap', () => {
  const terms = Array.from({ length: 40 }, (_, i) => `${(i + 1) * 0.123} * x${i}`).join(' + ');
  const law = latexEquation('a', parse(`2 * tanh(${terms})`));
  const wrapped = typeset(law, 'a long law', { wrap: true });
  const display = typeset(law, 'a long law');
  const pieces = (html: string) => (html.match(/class="katex-base"|class="base"/g) ?? []).length;
  assert.ok(pieces(wrapped) >= 20, `${pieces(wrapped)} breakable pieces`);
  assert.ok(pieces(display) <= 2);
  assert.doesNotMatch(wrapped, /katex-error/);
});
