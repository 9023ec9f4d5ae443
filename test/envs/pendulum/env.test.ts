import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Pendulum, angleNormalize } from '../../../src/envs/pendulum/env.js';
import { collectRandomEpisodes } from '../../../src/envs/collect.js';

test('one step follows Gymnasium: reward from the pre-step state, semi-implicit Euler, float32 observation', () => {
  const env = new Pendulum({ g: 9.81 });
  env.setPhysicalState(0.5, -0.3);
  const u = 1.2;
  const r = env.step([u]);
  const cost = 0.5 ** 2 + 0.1 * 0.3 ** 2 + 0.001 * u ** 2;
  const thDot = -0.3 + (1.5 * 9.81 * Math.sin(0.5) + 3 * u) * 0.05;
  const th = 0.5 + thDot * 0.05;
  assert.equal(r.reward, -cost);
  assert.deepEqual(Array.from(r.observation), [Math.fround(Math.cos(th)), Math.fround(Math.sin(th)), Math.fround(thDot)]);
  assert.equal(r.terminated, false);
  assert.equal(r.truncated, false);
});

test('torque is clipped to [-2, 2] and speed to [-8, 8]', () => {
  const a = new Pendulum();
  const b = new Pendulum();
  a.setPhysicalState(1, 0);
  b.setPhysicalState(1, 0);
  assert.deepEqual(a.step([50]), b.step([2]));
  const c = new Pendulum();
  c.setPhysicalState(Math.PI / 2, 7.9);
  assert.equal(c.step([2]).observation[2], 8);
  assert.throws(() => c.step([Number.NaN]), /finite torque/);
});

test('episodes are truncated (not terminated) after 200 steps', () => {
  const env = new Pendulum();
  env.reset({ seed: 3 });
  for (let t = 1; t <= 200; t++) {
    const r = env.step([0]);
    assert.equal(r.terminated, false);
    assert.equal(r.truncated, t === 200);
  }
});

test('reset(seed) is reproducible and the state can be saved and restored', () => {
  const a = new Pendulum();
  const b = new Pendulum();
  assert.deepEqual(a.reset({ seed: 42 }), b.reset({ seed: 42 }));
  a.step([0.3]);
  const saved = a.getState();
  const next = a.step([-1]);
  const later = a.reset();
  a.setState(JSON.parse(JSON.stringify(saved)));
  assert.deepEqual(a.step([-1]), next);
  assert.deepEqual(a.reset(), later);
  const obs = a.reset({ seed: 1 });
  assert.ok(obs[0]! ** 2 + obs[1]! ** 2 > 0.99 && Math.abs(obs[2]!) <= 1);
});

test('angleNormalize maps into [-pi, pi) and preserves the angle', () => {
  fc.assert(
    fc.property(fc.double({ min: -100, max: 100, noNaN: true }), (a) => {
      const r = angleNormalize(a);
      return r >= -Math.PI && r < Math.PI + 1e-12 && Math.abs(Math.sin(r) - Math.sin(a)) < 1e-9 && Math.abs(Math.cos(r) - Math.cos(a)) < 1e-9;
    }),
  );
});

test('random-action data sets have the tutorial columns and are seeded', () => {
  const a = collectRandomEpisodes(new Pendulum({ g: 9.81 }), { episodes: 3, seed: 5 });
  const b = collectRandomEpisodes(new Pendulum({ g: 9.81 }), { episodes: 3, seed: 5 });
  assert.equal(a.n, 600);
  assert.deepEqual(
    [...a.columns.keys()],
    ['episode', 'step', 'cos_theta', 'sin_theta', 'theta_dot', 'torque', 'reward', 'next_cos_theta', 'next_sin_theta', 'next_theta_dot', 'terminated', 'truncated'],
  );
  for (const [k, v] of a.columns) assert.deepEqual(Array.from(v), Array.from(b.columns.get(k)!));
  // Consecutive rows chain: next state of row r is the state of row r + 1 inside an episode.
  const ep = a.columns.get('episode')!;
  for (let r = 0; r + 1 < a.n; r++) {
    if (ep[r] !== ep[r + 1]) continue;
    assert.equal(a.columns.get('next_theta_dot')![r], a.columns.get('theta_dot')![r + 1]);
  }
  assert.equal(a.columns.get('truncated')![199], 1);
});
