import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pendulum } from '../../src/envs/pendulum/env.js';
import { collectRandomEpisodes } from '../../src/envs/collect.js';
import { discoverLaws } from '../../src/models/discover.js';
import { rolloutDiscrete, simulateContinuous } from '../../src/models/rollout.js';
import { parse } from '../../src/expr/parse.js';
import type { LawDocument } from '../../src/law/document.js';
import { lorenzTrajectory } from '../../src/systems/lorenz.js';
import { Rng } from '../../src/util/rng.js';

test('a discovered pendulum model rolled out open loop tracks the environment', () => {
  const { columns, n } = collectRandomEpisodes(new Pendulum({ g: 9.81 }), { episodes: 100, seed: 3 });
  const state = ['cos_theta', 'sin_theta', 'theta_dot'];
  const { law } = discoverLaws({ columns, n, inputs: [...state, 'torque'], targets: state.map((s) => `next_${s}`), library: 'poly:3', lambda: 'auto', seed: 1 });
  const env = new Pendulum({ g: 9.81 });
  const obs = env.setPhysicalState(2.5, 0.3);
  const rng = Rng.seeded(9);
  const controls = Array.from({ length: 20 }, () => [rng.range(-2, 2)]);
  const model = rolloutDiscrete(law, { state, actions: ['torque'], initial: obs, controls, steps: 20 });
  for (let t = 0; t < 20; t++) {
    const truth = env.step(controls[t]!).observation;
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(model[(t + 1) * 3 + i]! - truth[i]!) < 0.02 * (t + 1), `step ${t + 1}, ${state[i]}: ${model[(t + 1) * 3 + i]} vs ${truth[i]}`);
  }
});

test('the exact Lorenz law integrated with RK4 reproduces the reference trajectory', () => {
  const law: LawDocument = {
    inputs: ['x', 'y', 'z'],
    outputs: [
      { name: 'x_dot', expr: parse('10 * (y - x)'), terms: [] },
      { name: 'y_dot', expr: parse('x * (28 - z) - y'), terms: [] },
      { name: 'z_dot', expr: parse('x * y - 8 / 3 * z'), terms: [] },
    ],
  };
  const sim = simulateContinuous(law, { state: ['x', 'y', 'z'], initial: [-8, 8, 27], dt: 0.002, tEnd: 1 });
  const ref = lorenzTrajectory({ tEnd: 1 });
  for (const [i, key] of (['x', 'y', 'z'] as const).entries()) {
    ref[key].forEach((v, k) => assert.ok(Math.abs(sim.states[i]![k]! - v) < 1e-9, `${key}[${k}]`));
  }
  assert.throws(() => simulateContinuous(law, { state: ['x', 'w', 'z'], initial: [0, 0, 0], dt: 0.1, tEnd: 1 }), /no output "w_dot"/);
});
