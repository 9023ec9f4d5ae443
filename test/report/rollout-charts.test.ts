import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderChart, type ChartSpec } from '../../src/report/charts.js';
import { fieldRolloutCharts, genericRolloutCharts, rolloutCharts, type RolloutTrace } from '../../src/report/rollout-charts.js';
import { pendulumRolloutCharts } from '../../src/envs/pendulum/charts.js';
import { recordRollout } from '../../src/report/trace.js';
import { Pendulum } from '../../src/envs/pendulum/env.js';
import { countMarks } from './marks.js';

const SEED = Number(process.env.SPARSELAW_TEST_SEED ?? 20261125);


async function checkRendered(chart: ChartSpec): Promise<void> {
  const { svg } = await renderChart(chart);
  const counts = countMarks(svg);
  for (const [kind, n] of Object.entries(chart.marks)) assert.equal(counts[kind === 'symbol' ? 'symbol' : kind] ?? 0, n, `${chart.id}: ${kind}`);
}

/** A trace shaped like the Kuramoto-Sivashinsky environment's: 8 sensors, mu, 8 actions, u on 64 points. */
function ksLikeTrace(steps: number, amplitude: number): RolloutTrace {
  const field = Array.from({ length: steps + 1 }, (_, t) => Array.from({ length: 64 }, (_, x) => amplitude * Math.sin((2 * Math.PI * x) / 64 + 0.05 * t)));
  return {
    envId: 'KuramotoSivashinsky',
    observationNames: Array.from({ length: 8 }, (_, i) => `m${i + 1}`),
    actionNames: Array.from({ length: 8 }, (_, i) => `a${i + 1}`),
    parameterNames: ['mu'],
    parameters: [0.1],
    dt: 0.2,
    observations: field.map((row) => [4, 12, 20, 28, 36, 44, 52, 60].map((i) => row[i]!)),
    actions: Array.from({ length: steps }, (_, t) => Array.from({ length: 8 }, (_, j) => Math.tanh(Math.sin(0.1 * t + j)))),
    rewards: Array.from({ length: steps }, () => -amplitude),
    field,
  };
}

test('field rollouts: space-time heat maps with and without control on one scale, and the 8 actions', async () => {
  const charts = fieldRolloutCharts(ksLikeTrace(999, 0.2), ksLikeTrace(999, 1.5));
  assert.deepEqual(charts.map((c) => c.id), ['rollout-field', 'rollout-field-uncontrolled', 'rollout-actions']);
  // 1000 rows of u(x, t) averaged into 60 time bins of 64 points each.
  assert.equal(charts[0]!.marks.rect, 60 * 64);
  assert.equal(charts[2]!.marks.line, 8);
  for (const chart of charts) await checkRendered(chart);
  // One colour scale for both maps: the larger uncontrolled amplitude sets it.
  const domains = charts.slice(0, 2).map((c) => (c.spec.encoding as { color: { scale: { domain: number[] } } }).color.scale.domain);
  assert.deepEqual(domains[0], domains[1]);
  assert.ok(Math.abs(domains[0]![1]! - 1.5) < 1e-9);
  // Without charts of its own, a trace with a field still gets the heat maps.
  assert.deepEqual(rolloutCharts(ksLikeTrace(10, 1)).map((c) => c.id), ['rollout-field', 'rollout-actions']);
});

test('generic rollouts: every observation and action against time', async () => {
  const trace = ksLikeTrace(50, 1);
  delete trace.field;
  const charts = genericRolloutCharts(trace, trace);
  assert.equal(charts[0]!.marks.line, 16);
  assert.equal(charts[1]!.marks.line, 8);
  for (const chart of charts) await checkRendered(chart);
  // An environment's entry supplies its own charts.
  assert.deepEqual(rolloutCharts(ksLikeTrace(10, 1), undefined, genericRolloutCharts).map((c) => c.id), ['rollout-observations', 'rollout-actions']);
});

test('pendulum rollouts: the angle is atan2(sin, cos), in (-pi, pi]', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 2, maxLength: 50 }), (thetas) => {
      const trace: RolloutTrace = {
        envId: 'Pendulum-v1',
        observationNames: ['cos_theta', 'sin_theta', 'theta_dot'],
        actionNames: ['torque'],
        parameterNames: [],
        parameters: [],
        dt: 0.05,
        observations: thetas.map((t) => [Math.cos(t), Math.sin(t), 0]),
        actions: thetas.slice(1).map(() => [0]),
        rewards: thetas.slice(1).map(() => 0),
      };
      const angle = pendulumRolloutCharts(trace)[0]!;
      const values = (angle.spec.data as { values: { t: number; value: number }[] }).values;
      values.forEach((v, i) => {
        const theta = thetas[i]!;
        const wrapped = Math.atan2(Math.sin(theta), Math.cos(theta));
        assert.ok(Math.abs(v.value - wrapped) < 1e-12 && v.value > -Math.PI - 1e-12 && v.value <= Math.PI + 1e-12);
        assert.ok(Math.abs(v.t - 0.05 * i) < 1e-12);
      });
    }),
    { seed: SEED, numRuns: 100 },
  );
});

test('recorded rollouts: one more observation than actions, the actions within bounds, zero without control', () => {
  const env = new Pendulum({ g: 9.81 });
  const controlled = recordRollout(env, () => [5], { seed: 3 });
  assert.equal(controlled.actions.length, 200);
  assert.equal(controlled.observations.length, 201);
  assert.equal(controlled.dt, 0.05);
  assert.ok(controlled.actions.every(([a]) => a === 2), 'clipped into [-2, 2]');
  const free = recordRollout(new Pendulum({ g: 9.81 }), null, { seed: 3, steps: 20 });
  assert.equal(free.actions.length, 20);
  assert.ok(free.actions.every(([a]) => a === 0));
  // The same seed gives the same start.
  assert.deepEqual(free.observations[0], controlled.observations[0]);
});
