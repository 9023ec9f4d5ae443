import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  KuramotoSivashinsky,
  KS_TRAIN_MUS,
  KS_EVAL_BINS,
  KS_EVAL_FIXED,
  KS_SENSOR_INDICES,
  evaluateKsPolicy,
  ksActuatorShapes,
  ksInitialBump,
  ksParametricForcing,
  ksStartState,
  ksStartStateComputations,
  sampleKsEvalMus,
} from '../../../src/envs/ks/env.js';
import { KsSolver } from '../../../src/systems/ks.js';
import { SparselawError } from '../../../src/errors.js';
import { findNumpyPython, runNumpyKs } from '../../../bench/reference/numpy-ks.js';

const FC_SEED = Number(process.env.SPARSELAW_TEST_SEED ?? 20240917);
const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0) / xs.length;

test('names, bounds and protocol constants', () => {
  const env = new KuramotoSivashinsky();
  assert.equal(env.id, 'KS-v0');
  assert.deepEqual(env.observationNames, ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);
  assert.deepEqual(env.actionNames, ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8']);
  assert.deepEqual(env.parameterNames, ['mu']);
  assert.deepEqual(Array.from(env.actionLow), new Array(8).fill(-1));
  assert.deepEqual(Array.from(env.actionHigh), new Array(8).fill(1));
  assert.ok(env.observationLow.every((x, i) => Number.isFinite(x) && x < 0 && x === -env.observationHigh[i]!));
  assert.equal(env.maxEpisodeSteps, 999);
  assert.deepEqual([...KS_TRAIN_MUS].sort((a, b) => a - b), [-0.2, -0.15, -0.1, -0.05, 0, 0.05, 0.1, 0.15, 0.2]);
  assert.equal(KS_EVAL_BINS.length, 6);
  assert.deepEqual(KS_EVAL_BINS.filter((b) => b.beyondTraining).map((b) => [b.lo, b.hi]), [[0.2, 0.25], [-0.25, -0.2]]);
  const draws = sampleKsEvalMus(4);
  assert.deepEqual(draws, sampleKsEvalMus(4));
  draws.forEach((mu, i) => assert.ok(mu >= KS_EVAL_BINS[i]!.lo && mu < KS_EVAL_BINS[i]!.hi));
  assert.deepEqual([...KS_EVAL_FIXED].sort((a, b) => a - b), [-0.25, -0.225, -0.125, -0.025, 0.025, 0.125, 0.225, 0.25]);
});

test('sensors read u at grid indices 4, 12, ..., 60', () => {
  assert.deepEqual(KS_SENSOR_INDICES, [4, 12, 20, 28, 36, 44, 52, 60]);
  const env = new KuramotoSivashinsky();
  const obs = env.reset({ parameters: [0.05] });
  const u = env.field();
  assert.deepEqual(Array.from(obs), [4, 12, 20, 28, 36, 44, 52, 60].map((i) => u[i]));
  const r = env.step(new Float64Array(8).fill(0.3));
  const v = env.field();
  assert.deepEqual(Array.from(r.observation), [4, 12, 20, 28, 36, 44, 52, 60].map((i) => v[i]));
});

test('actuators are Gaussians of width 0.8 in index units without periodic wrap; the mu cosine uses linspace with the endpoint', () => {
  const shapes = ksActuatorShapes();
  assert.equal(shapes.length, 8);
  shapes.forEach((g, j) => {
    const c = 4 + 8 * j;
    for (let i = 0; i < 64; i++) assert.equal(g[i], Math.exp(-0.5 * ((i - c) / 0.8) ** 2));
    assert.equal(g[c], 1);
  });
  // With wrap, actuator 1 (centre 4) would reach index 63 at distance 5: exp(-19.5) = 3e-9.
  assert.equal(shapes[0]![63], 0);
  assert.ok(shapes[7]![63]! > 1e-4);
  const f = ksParametricForcing(1);
  assert.equal(f[0], 1);
  assert.ok(Math.abs(f[63]! - 1) < 1e-12, 'x[63] = L, so cos(4 pi) = 1');
  assert.ok(Math.abs(f[1]! - Math.cos((4 * Math.PI) / 63)) < 1e-15);
});

test('one control step = two solver steps with the actuator and mu forcing held constant', () => {
  const env = new KuramotoSivashinsky();
  env.reset({ parameters: [0.15] });
  const u = env.field();
  const a = [0.5, -1, 0.25, 0, 1, -0.75, 0.1, -0.2];
  env.step(a);
  const shapes = ksActuatorShapes();
  const f = ksParametricForcing(0.15);
  for (let j = 0; j < 8; j++) for (let i = 0; i < 64; i++) f[i] += a[j]! * shapes[j]![i]!;
  const solver = new KsSolver();
  solver.setForcing(f);
  solver.step(u);
  solver.step(u);
  assert.deepEqual(Array.from(env.field()), Array.from(u));
});

test('reward is -(mean u^2 before the step + 0.1 mean a^2) with the action clipped to [-1, 1]', () => {
  const env = new KuramotoSivashinsky({ episodeSteps: 50 });
  env.reset({ parameters: [-0.1], seed: 1 });
  fc.assert(
    fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 8, maxLength: 8 }), (a) => {
      if (env.stepCount >= 50) env.reset({ parameters: [-0.1] });
      const u = env.field();
      const clipped = a.map((x) => Math.min(1, Math.max(-1, x)));
      const r = env.step(a);
      const state = mean(u.map((x) => x * x));
      const action = 0.1 * mean(clipped.map((x) => x * x));
      assert.ok(Math.abs(r.reward + state + action) < 1e-14);
      assert.ok(Math.abs(r.stateCost - state) < 1e-15 && Math.abs(r.actionCost - action) < 1e-15);
      assert.equal(r.capped, false);
      assert.equal(r.terminated, false);
    }),
    { seed: FC_SEED, numRuns: 40 },
  );
  // Clipping: an action beyond the box acts exactly like the box's edge.
  const b = new KuramotoSivashinsky();
  const c = new KuramotoSivashinsky();
  b.reset({ parameters: [0] });
  c.reset({ parameters: [0] });
  assert.deepEqual(b.step([5, -5, 2, 0, 0, 0, 0, 0]), c.step([1, -1, 1, 0, 0, 0, 0, 0]));
});

test('the reward is capped at 0: a zero field with a zero action gives +0, not -0', () => {
  const env = new KuramotoSivashinsky();
  env.reset({ parameters: [0] });
  const s = env.getState();
  env.setState({ ...s, u: new Array(64).fill(0) });
  const r = env.step(new Float64Array(8));
  assert.ok(Object.is(r.reward, 0));
  assert.equal(r.capped, true);
  assert.ok(env.field().every((x) => x === 0), 'zero stays zero without forcing at mu = 0');
});

test('an episode is 999 control steps, then truncated (never terminated); stepping on is an error', () => {
  const env = new KuramotoSivashinsky();
  env.reset({ parameters: [0.2] });
  for (let t = 1; t <= 999; t++) {
    const r = env.step(new Float64Array(8));
    assert.equal(r.terminated, false);
    if (r.truncated !== (t === 999)) assert.fail(`truncated = ${r.truncated} at step ${t}`);
  }
  assert.throws(() => env.step(new Float64Array(8)), (e: unknown) => e instanceof SparselawError && /truncated after 999 steps/.test(e.message));
  const short = new KuramotoSivashinsky({ episodeSteps: 3 });
  short.reset();
  assert.deepEqual([1, 2, 3].map(() => short.step(new Float64Array(8)).truncated), [false, false, true]);
});

test('the start state is the bump after 1001 uncontrolled solver steps, computed once per mu', () => {
  const mu = 0.0731;
  const before = ksStartStateComputations();
  const a = new KuramotoSivashinsky();
  const b = new KuramotoSivashinsky({ seed: 9 });
  const oa = a.reset({ parameters: [mu] });
  const ob = b.reset({ parameters: [mu] });
  assert.equal(ksStartStateComputations(), before + 1);
  assert.deepEqual(oa, ob);
  assert.deepEqual(a.field(), b.field());
  a.step(new Float64Array(8).fill(1));
  assert.deepEqual(b.reset({ parameters: [mu] }), ob, 'a reset after stepping starts from the same cached state');
  assert.equal(ksStartStateComputations(), before + 1);
  const solver = new KsSolver();
  solver.setForcing(ksParametricForcing(mu));
  const u = ksInitialBump();
  for (let s = 0; s < 1001; s++) solver.step(u);
  assert.deepEqual(ksStartState(mu), u);
  assert.notDeepEqual(ksStartState(mu, 14), u);
  assert.equal(ksStartStateComputations(), before + 2);
});

test('reset draws mu from the training set with the env RNG, or takes it from parameters', () => {
  const env = new KuramotoSivashinsky({ seed: 5 });
  const seen = new Set<number>();
  for (let e = 0; e < 80; e++) {
    env.reset();
    seen.add(env.parameters()[0]!);
  }
  assert.deepEqual([...seen].sort((x, y) => x - y), [...KS_TRAIN_MUS].sort((x, y) => x - y));
  const draws = (seed: number) => {
    const e = new KuramotoSivashinsky();
    return [0, 1, 2, 3, 4, 5].map((i) => (e.reset(i === 0 ? { seed } : undefined), e.parameters()[0]));
  };
  assert.deepEqual(draws(11), draws(11));
  assert.notDeepEqual(draws(11), draws(12));
  env.reset({ parameters: [0.237] });
  assert.deepEqual(Array.from(env.parameters()), [0.237]);
  // the older reset(seed) form is the same as reset({ seed })
  const p = new KuramotoSivashinsky();
  const q = new KuramotoSivashinsky();
  assert.deepEqual(p.reset(4), q.reset({ seed: 4 }));
  assert.deepEqual(p.parameters(), q.parameters());
});

test('getState/setState resume bit-identically, through JSON, with sensor noise and its RNG', () => {
  const policy = (obs: Float64Array) => Array.from(obs, (m) => Math.tanh(-0.8 * m));
  const run = (env: KuramotoSivashinsky, obs: Float64Array, n: number) => {
    const out: number[] = [];
    for (let t = 0; t < n; t++) {
      const r = env.step(policy(obs));
      obs = r.observation;
      out.push(r.reward, ...obs);
    }
    return { out, obs };
  };
  const a = new KuramotoSivashinsky({ sensorNoise: 0.25, seed: 3 });
  let obs = a.reset();
  obs = run(a, obs, 25).obs;
  const saved = JSON.stringify(a.getState());
  const cont = run(a, obs, 25).out;
  const b = new KuramotoSivashinsky({ sensorNoise: 0.25, seed: 77 });
  b.setState(JSON.parse(saved));
  assert.deepEqual(run(b, obs, 25).out, cont);
  assert.deepEqual(b.field(), a.field());
  assert.equal(b.stepCount, 50);
  // the RNG moved on identically too: the next sampled episode is the same
  assert.deepEqual(a.reset(), b.reset());
});

test('sensor noise changes only the observations, never the field or the reward', () => {
  const noisy = new KuramotoSivashinsky({ sensorNoise: 0.25, seed: 1 });
  const clean = new KuramotoSivashinsky();
  const on = noisy.reset({ parameters: [-0.15] });
  const oc = clean.reset({ parameters: [-0.15] });
  const residuals: number[] = Array.from(on, (x, i) => x - oc[i]!);
  for (let t = 0; t < 200; t++) {
    const a = Array.from({ length: 8 }, (_, j) => Math.sin(0.1 * t + j));
    const rn = noisy.step(a);
    const rc = clean.step(a);
    assert.equal(rn.reward, rc.reward);
    for (let j = 0; j < 8; j++) residuals.push(rn.observation[j]! - rc.observation[j]!);
  }
  assert.deepEqual(noisy.field(), clean.field());
  const m = mean(residuals);
  const sd = Math.sqrt(mean(residuals.map((x) => (x - m) ** 2)));
  // 1608 draws: the sample std of N(0, 0.25) is within 0.25 +- 5 * 0.25 / sqrt(2 * 1608)
  assert.ok(Math.abs(sd - 0.25) < 0.022, `std ${sd}`);
  assert.ok(Math.abs(m) < 5 * (0.25 / Math.sqrt(residuals.length)), `mean ${m}`);
});

test('evaluateKsPolicy sums the two costs; return = -(state + action) when the cap does not bite', () => {
  const k = 0.7;
  const res = evaluateKsPolicy((obs) => Array.from(obs, (m) => -k * m), 0.1, { episodeSteps: 100 });
  assert.equal(res.steps, 100);
  assert.equal(res.cappedSteps, 0);
  assert.ok(Math.abs(res.return + res.stateCost + res.actionCost) < 1e-9);
  const env = new KuramotoSivashinsky({ episodeSteps: 100 });
  let obs = env.reset({ parameters: [0.1] });
  let ret = 0;
  for (let t = 0; t < 100; t++) {
    const r = env.step(Array.from(obs, (m) => -k * m));
    ret += r.reward;
    obs = r.observation;
  }
  assert.equal(res.return, ret);
  assert.ok(res.actionCost > 0 && res.stateCost > 0);
});

test('bad options, actions, parameters and states are clear SparselawErrors', () => {
  const isErr = (re: RegExp) => (e: unknown) => e instanceof SparselawError && re.test(e.message);
  assert.throws(() => new KuramotoSivashinsky({ sensorNoise: -1 }), isErr(/sensorNoise must be a finite number >= 0/));
  assert.throws(() => new KuramotoSivashinsky({ substeps: 1.5 }), isErr(/substeps must be a positive integer/));
  assert.throws(() => new KuramotoSivashinsky({ episodeSteps: 0 }), isErr(/episodeSteps must be a positive integer/));
  assert.throws(() => new KuramotoSivashinsky({ seed: 0.5 }), isErr(/seed must be a safe integer/));
  const env = new KuramotoSivashinsky();
  assert.throws(() => env.step(new Float64Array(8)), isErr(/step\(\) before reset\(\)/));
  assert.throws(() => env.reset({ parameters: [0.1, 0.2] }), isErr(/parameters must be \[mu\]/));
  assert.throws(() => env.reset({ parameters: [Number.NaN] }), isErr(/parameters must be \[mu\]/));
  assert.throws(() => env.reset({ seed: 1.5 }), isErr(/seed must be a safe integer/));
  env.reset({ parameters: [0] });
  assert.throws(() => env.step([0, 0, 0]), isErr(/action must have 8 values, got 3/));
  assert.throws(() => env.step([0, 0, Number.NaN, 0, 0, 0, 0, 0]), isErr(/action a3 must be finite/));
  assert.throws(() => env.step([0, 0, 0, 0, 0, 0, 0, Infinity]), isErr(/action a8 must be finite/));
  assert.throws(() => env.setState({ kind: 'Pendulum' }), isErr(/not a KS-v0 state/));
  const s = env.getState();
  assert.throws(() => env.setState({ ...s, u: [1, 2] }), isErr(/u must be null or 64 finite numbers/));
  assert.throws(() => env.setState({ ...s, substeps: 30 }), isErr(/saved with substeps 30/));
  assert.throws(() => env.setState({ ...s, steps: 1000 }), isErr(/steps must be an integer in \[0, 999\]/));
});

test('agrees with the NumPy implementation of the same numerics (skipped without python3 + numpy)', (t) => {
  const python = findNumpyPython();
  if (python === null) {
    t.skip('no python3 that imports numpy (apt-get install python3-numpy, or set SPARSELAW_PYTHON)');
    return;
  }
  const mu = 0.1;
  const gain = 1.3;
  const steps = 20;
  const ref = runNumpyKs(python, mu, steps, gain, 1);
  const env = new KuramotoSivashinsky();
  let obs = env.reset({ parameters: [mu] });
  const start = env.field();
  let ret = 0;
  for (let s = 0; s < steps; s++) {
    const r = env.step(Array.from(obs, (m) => Math.min(1, Math.max(-1, -gain * m))));
    obs = r.observation;
    ret += r.reward;
  }
  const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]!)));
  assert.ok(maxDiff(start, ref.start) < 1e-9, `start state differs by ${maxDiff(start, ref.start)}`);
  assert.ok(maxDiff(env.field(), ref.final) < 1e-9, `after ${steps} steps u differs by ${maxDiff(env.field(), ref.final)}`);
  assert.ok(Math.abs(ret - ref.return) < 1e-9);
});
