import { test, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../../support/seed.js';
import { MUJOCO_ENTRIES, MujocoEnv, type MujocoEntry, type MujocoState } from '../../../src/envs/mujoco/index.js';
import { getEnvEntry } from '../../../src/envs/index.js';
import { checkEnv } from '../../../src/envs/check.js';

/** Gymnasium v5's published facts: observation and action sizes, time per step, episode length, action bound. */
const V5: Record<string, { obs: number; act: number; dt: number; steps: number; bound: number }> = {
  'inverted-pendulum': { obs: 4, act: 1, dt: 0.04, steps: 1000, bound: 3 },
  'inverted-double-pendulum': { obs: 9, act: 1, dt: 0.05, steps: 1000, bound: 1 },
  reacher: { obs: 10, act: 2, dt: 0.02, steps: 50, bound: 1 },
  swimmer: { obs: 8, act: 2, dt: 0.04, steps: 1000, bound: 1 },
  hopper: { obs: 11, act: 3, dt: 0.008, steps: 1000, bound: 1 },
  'half-cheetah': { obs: 17, act: 6, dt: 0.05, steps: 1000, bound: 1 },
  walker2d: { obs: 17, act: 6, dt: 0.008, steps: 1000, bound: 1 },
};

before(async () => {
  for (const entry of MUJOCO_ENTRIES) await entry.prepare();
});

// Every environment owns an MjData in wasm memory: close them after each test rather than wait for GC.
const made: MujocoEnv[] = [];
const make = (entry: MujocoEntry) => {
  const env = entry.create({}) as MujocoEnv;
  made.push(env);
  return env;
};
afterEach(() => made.splice(0).forEach((env) => env.close()));
const entryOf = (id: string) => getEnvEntry(id) as MujocoEntry;
const bits = (xs: ArrayLike<number>) => Array.from(xs, (x) => (Object.is(x, -0) ? '-0' : x.toString()));

test('the seven tasks are registered under their ids and titles', () => {
  assert.deepEqual(MUJOCO_ENTRIES.map((e) => e.id), Object.keys(V5));
  for (const entry of MUJOCO_ENTRIES) {
    assert.equal(getEnvEntry(entry.id), entry);
    assert.equal(getEnvEntry(entry.title.toLowerCase()), entry);
    assert.deepEqual(entry.options, []);
  }
});

/** Body masses (kg, world excluded) of Gymnasium's v5 model files as MuJoCo compiles them. */
const GYMNASIUM_MASSES: Record<string, number[]> = {
  'inverted-pendulum': [10.471975512, 5.01859164136],
  'inverted-double-pendulum': [10.471975512, 4.19873858152, 4.19873858152],
  reacher: [0.0356047167407, 0.0356047167407, 0.00418879020479, 0.00305362805929],
  swimmer: [35.6047167407, 35.6047167407, 35.6047167407],
  hopper: [3.66519142919, 4.05789051089, 2.78135669598, 5.31557476987],
  'half-cheetah': [6.25020920502, 1.54351464435, 1.58744769874, 1.09539748954, 1.43807531381, 1.20083682008, 0.884518828452],
  walker2d: [3.66519142919, 4.05789051089, 2.78135669598, 3.16672539482, 4.05789051089, 2.78135669598, 3.16672539482],
};

test("the models compile to the masses of Gymnasium's model files", () => {
  for (const entry of MUJOCO_ENTRIES) {
    const env = make(entry);
    const masses = Array.from(env.model.body_mass as Float64Array).slice(1);
    const expected = GYMNASIUM_MASSES[entry.id]!;
    assert.equal(masses.length, expected.length, entry.id);
    masses.forEach((m, i) => assert.ok(Math.abs(m - expected[i]!) <= 1e-10 * expected[i]!, `${entry.id} body ${i + 1}: ${m} vs ${expected[i]}`));
  }
});

test("dimensions, bounds, time step and episode length are Gymnasium v5's", () => {
  for (const entry of MUJOCO_ENTRIES) {
    const facts = V5[entry.id]!;
    const env = make(entry);
    assert.equal(env.observationNames.length, facts.obs, entry.id);
    assert.equal(env.reset({ seed: 1 }).length, facts.obs, entry.id);
    assert.equal(new Set(env.observationNames).size, facts.obs, `${entry.id}: distinct names`);
    assert.equal(env.actionNames.length, facts.act, entry.id);
    assert.deepEqual(Array.from(env.actionLow), new Array(facts.act).fill(-facts.bound), entry.id);
    assert.deepEqual(Array.from(env.actionHigh), new Array(facts.act).fill(facts.bound), entry.id);
    assert.ok(Math.abs(env.dt - facts.dt) < 1e-12, `${entry.id}: dt ${env.dt}`);
    assert.equal(env.maxEpisodeSteps, facts.steps, entry.id);
    assert.deepEqual(env.parameterNames, []);
    assert.ok(env.observationLow.every((v) => v === -Infinity) && env.observationHigh.every((v) => v === Infinity), entry.id);
    for (const name of [...env.observationNames, ...env.actionNames]) assert.match(name, /^[A-Za-z_][A-Za-z0-9_]*$/);
    assert.equal(entry.inputScale(env).length, facts.obs);
  }
});

test('observations leave out the horizontal position (v5 default) and clip velocities where v5 does', () => {
  for (const id of ['hopper', 'walker2d', 'half-cheetah', 'swimmer']) {
    const env = make(getEnvEntry(id) as MujocoEntry);
    const obs = env.reset({ seed: 4 });
    const s = env.getState();
    const skip = id === 'swimmer' ? 2 : 1;
    assert.deepEqual(bits(obs.subarray(0, s.qpos.length - skip)), bits(s.qpos.slice(skip)), id);
    assert.deepEqual(bits(obs.subarray(s.qpos.length - skip)), bits(s.qvel), id);
  }
  const hopper = make(getEnvEntry('hopper') as MujocoEntry);
  hopper.reset({ seed: 1 });
  const state = hopper.getState();
  hopper.setState({ ...state, qvel: state.qvel.map((v, i) => (i === 2 ? 50 : v)) });
  // Velocities enter the observation clipped to [-10, 10] (Hopper, Walker2d), the state keeps them.
  const r = hopper.step([0, 0, 0]);
  assert.ok(Math.abs(r.observation[7]!) <= 10);
});

test('reset(seed) is deterministic, perturbs the rest state by the published noise, and rejects parameters', () => {
  const noise: Record<string, number> = { 'inverted-pendulum': 0.01, swimmer: 0.1, hopper: 5e-3, walker2d: 5e-3, 'half-cheetah': 0.1, 'inverted-double-pendulum': 0.1 };
  fc.assert(
    fc.property(fc.constantFrom(...MUJOCO_ENTRIES.map((e) => e.id)), fc.integer({ min: 0, max: 2 ** 31 }), (id, seed) => {
      const entry = entryOf(id);
      const a = make(entry);
      const b = make(entry);
      assert.deepEqual(bits(a.reset({ seed })), bits(b.reset({ seed })));
      const scale = noise[entry.id];
      const qpos = a.getState().qpos;
      const rest = make(entry).getState().qpos;
      if (scale !== undefined) for (let i = 0; i < qpos.length; i++) assert.ok(Math.abs(qpos[i]! - rest[i]!) <= scale, `${entry.id} qpos[${i}]`);
      assert.throws(() => a.reset({ parameters: [1] }), /has no parameters/);
    }),
    { numRuns: 20 },
  );
});

test('the same seed and actions give the same episode bit for bit', () => {
  for (const entry of MUJOCO_ENTRIES) {
    const run = () => {
      const env = make(entry);
      const out = [bits(env.reset({ seed: 11 }))];
      for (let t = 0; t < 30; t++) {
        const r = env.step(env.actionNames.map((_, k) => Math.sin(0.3 * t + k)));
        out.push(bits(r.observation), [String(r.reward), String(r.terminated)]);
      }
      return out;
    };
    assert.deepEqual(run(), run(), entry.id);
  }
});

test('getState/setState continue bit for bit, also through JSON and in a fresh environment', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...MUJOCO_ENTRIES.map((e) => e.id)),
      fc.integer({ min: 0, max: 1000 }),
      fc.integer({ min: 0, max: 40 }),
      fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 6, maxLength: 6 }),
      (id, seed, warmup, wave) => {
        const entry = entryOf(id);
        const env = make(entry);
        env.reset({ seed });
        const act = (t: number) => env.actionNames.map((_, k) => wave[k]! * Math.sin(0.2 * t + k));
        for (let t = 0; t < warmup; t++) env.step(act(t));
        const saved = JSON.parse(JSON.stringify(env.getState())) as MujocoState;
        const continueFrom = (e: MujocoEnv) => {
          const out: string[][] = [];
          for (let t = 0; t < 15; t++) {
            const r = e.step(act(warmup + t));
            out.push(bits(r.observation), [String(r.reward), String(r.terminated), String(r.truncated)]);
          }
          out.push(bits(e.reset())); // the environment's random stream is part of the state
          return out;
        };
        const original = continueFrom(env);
        env.setState(saved);
        assert.deepEqual(continueFrom(env), original, `${entry.id}: same environment`);
        const fresh = make(entry);
        fresh.setState(saved);
        assert.deepEqual(continueFrom(fresh), original, `${entry.id}: fresh environment`);
      },
    ),
    { numRuns: 14 },
  );
});

test('setState refuses a state of another task or of the wrong shape', () => {
  const hopper = make(getEnvEntry('hopper') as MujocoEntry);
  const walker = make(getEnvEntry('walker2d') as MujocoEntry);
  hopper.reset({ seed: 1 });
  assert.throws(() => walker.setState(hopper.getState()), /not a Walker2d-v5 state/);
  assert.throws(() => hopper.setState({ ...hopper.getState(), qpos: [1, 2] }), /not a Hopper-v5 state/);
  assert.throws(() => hopper.setState(null), /not a Hopper-v5 state/);
});

test('the reward terms in info sum to the reward', () => {
  fc.assert(
    fc.property(fc.constantFrom(...MUJOCO_ENTRIES.map((e) => e.id)), fc.integer({ min: 0, max: 1000 }), (id, seed) => {
      const entry = entryOf(id);
      const env = make(entry);
      env.reset({ seed });
      for (let t = 0; t < 20; t++) {
        const r = env.step(env.actionNames.map((_, k) => Math.cos(0.4 * t * (k + 1))));
        const terms = Object.entries(r.info ?? {});
        assert.ok(terms.length > 0 && terms.every(([name]) => name.startsWith('reward_')), entry.id);
        assert.equal(terms.reduce((s, [, v]) => s + v, 0), r.reward, entry.id);
        assert.ok(Number.isFinite(r.reward));
      }
    }),
    { numRuns: 14 },
  );
});

test('actions are clipped into the control range (the control cost is charged on the applied action)', () => {
  fc.assert(
    fc.property(fc.constantFrom(...MUJOCO_ENTRIES.map((e) => e.id)), fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 6, maxLength: 6 }), (id, raw) => {
      const entry = entryOf(id);
      const a = make(entry);
      const b = make(entry);
      a.reset({ seed: 3 });
      b.reset({ seed: 3 });
      const action = raw.slice(0, a.actionNames.length);
      const clipped = action.map((v, k) => Math.min(a.actionHigh[k]!, Math.max(a.actionLow[k]!, v)));
      const ra = a.step(action);
      const rb = b.step(clipped);
      assert.deepEqual(bits(ra.observation), bits(rb.observation));
      assert.deepEqual(ra.info, rb.info);
    }),
    { numRuns: 14 },
  );
  const env = make(getEnvEntry('hopper') as MujocoEntry);
  env.reset({ seed: 1 });
  assert.throws(() => env.step([0, 0]), /Hopper-v5 takes 3 actions \(thigh_torque, leg_torque, foot_torque\), got 2/);
  assert.throws(() => env.step([0, Number.NaN, 0]), /action leg_torque must be a finite number, got NaN/);
});

test('episodes are truncated at the time limit: Reacher after 50 steps, HalfCheetah after 1000', () => {
  for (const id of ['reacher', 'half-cheetah']) {
    const env = make(getEnvEntry(id) as MujocoEntry);
    env.reset({ seed: 2 });
    for (let t = 1; t <= env.maxEpisodeSteps; t++) {
      const r = env.step(env.actionNames.map(() => 0));
      assert.equal(r.terminated, false);
      assert.equal(r.truncated, t === env.maxEpisodeSteps, `${id} step ${t}`);
    }
  }
});

test("sparselaw's environment checker finds no problem in any task", () => {
  for (const entry of MUJOCO_ENTRIES) assert.deepEqual(checkEnv(entry, { envOptions: {}, seed: 5, episodes: 2 }), [], entry.id);
});
