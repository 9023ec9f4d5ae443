import { test, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { MUJOCO_ENTRIES, type MujocoEnv, type MujocoEntry } from '../../../src/envs/mujoco/index.js';
import { getEnvEntry } from '../../../src/envs/index.js';
import { hopperHealthy } from '../../../src/envs/mujoco/hopper.js';
import { walkerHealthy } from '../../../src/envs/mujoco/walker2d.js';

before(async () => {
  for (const entry of MUJOCO_ENTRIES) await entry.prepare();
});
const made: MujocoEnv[] = [];
const make = (id: string) => {
  const env = (getEnvEntry(id) as MujocoEntry).create({}) as MujocoEnv;
  made.push(env);
  return env;
};
afterEach(() => made.splice(0).forEach((env) => env.close()));

type Policy = (obs: Float64Array, t: number) => number[];

/** Runs until the episode ends or `steps` pass: steps taken, return, last result, x travelled. */
function episode(id: string, seed: number, policy: Policy, steps = Infinity) {
  const env = make(id);
  let obs = env.reset({ seed });
  const x0 = env.getState().qpos[0]!;
  let total = 0;
  let t = 0;
  let last;
  const terms: Record<string, number> = {};
  while (t < steps) {
    last = env.step(policy(obs, t));
    t++;
    total += last.reward;
    for (const [k, v] of Object.entries(last.info ?? {})) terms[k] = (terms[k] ?? 0) + v;
    obs = last.observation;
    if (last.terminated || last.truncated) break;
  }
  return { steps: t, total, terms, last: last!, dx: env.getState().qpos[0]! - x0, obs, dt: env.dt };
}

const zero = (n: number): Policy => () => new Array(n).fill(0);

test('InvertedPendulum: without force the pole falls past 0.2 rad; a PD law holds it for the whole episode', () => {
  for (const seed of [1, 2, 3]) {
    const fall = episode('inverted-pendulum', seed, zero(1));
    assert.ok(fall.last.terminated && fall.steps < 100, `seed ${seed}: ${fall.steps} steps`);
    assert.ok(Math.abs(fall.obs[1]!) > 0.2);
    // Every step before the last was upright and earned 1; the falling step earns 0.
    assert.equal(fall.total, fall.steps - 1);
    const held = episode('inverted-pendulum', seed, (o) => [5 * o[1]! + 0.5 * o[3]! + 0.1 * o[0]! + 0.2 * o[2]!]);
    assert.equal(held.steps, 1000);
    assert.ok(held.last.truncated && !held.last.terminated);
    assert.equal(held.total, 1000);
  }
});

test('InvertedDoublePendulum: without force the poles fall and the episode ends when the tip is at height 1', () => {
  for (const seed of [1, 2]) {
    const fall = episode('inverted-double-pendulum', seed, zero(1));
    assert.ok(fall.last.terminated && fall.steps < 100, `seed ${seed}: ${fall.steps} steps`);
    assert.equal(fall.last.info!.reward_survive, 0);
    // The tip height from the observed angles: two 0.6 m poles above the rail.
    const height = 0.6 * fall.obs[3]! + 0.6 * Math.cos(Math.atan2(fall.obs[2]!, fall.obs[4]!));
    assert.ok(height <= 1.0 + 0.05, `tip height ${height}`);
  }
  const first = make('inverted-double-pendulum');
  first.reset({ seed: 3 });
  const r = first.step([0]);
  // Upright: about 10 of survival minus a small distance penalty.
  assert.equal(r.info!.reward_survive, 10);
  assert.ok(r.reward > 9 && r.reward <= 10, `reward ${r.reward}`);
});

test('Reacher: a Jacobian-transpose law brings the fingertip to the target; doing nothing does not', () => {
  const jacobianTranspose: Policy = (o) => {
    const [c1, c2, s1, s2] = [o[0]!, o[1]!, o[2]!, o[3]!];
    const [dx, dy] = [o[8]!, o[9]!];
    const c12 = c1 * c2 - s1 * s2;
    const s12 = s1 * c2 + c1 * s2;
    // Fingertip 0.1 m + 0.11 m from the shoulder: J^T (target - tip), with a little damping.
    const j = [[-0.1 * s1 - 0.11 * s12, -0.11 * s12], [0.1 * c1 + 0.11 * c12, 0.11 * c12]];
    return [-20 * (j[0]![0]! * dx + j[1]![0]! * dy) - 0.05 * o[6]!, -20 * (j[0]![1]! * dx + j[1]![1]! * dy) - 0.05 * o[7]!];
  };
  let start = 0;
  let reached = 0;
  let idle = 0;
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const env = make('reacher');
    const obs = env.reset({ seed });
    start += Math.hypot(obs[8]!, obs[9]!);
    const run = episode('reacher', seed, jacobianTranspose);
    assert.equal(run.steps, 50);
    reached += Math.hypot(run.obs[8]!, run.obs[9]!);
    const still = episode('reacher', seed, zero(2));
    idle += Math.hypot(still.obs[8]!, still.obs[9]!);
    // The distance term is minus the fingertip's distance to the target.
    assert.ok(Math.abs(run.last.info!.reward_dist! + Math.hypot(run.obs[8]!, run.obs[9]!)) < 1e-12);
  }
  assert.ok(reached < 0.4 * start, `mean distance ${reached / 6} from ${start / 6}`);
  assert.ok(idle > 0.7 * start, `idle: mean distance ${idle / 6} from ${start / 6}`);
});

test('Swimmer: a travelling wave from head to tail swims forward, the reversed wave backward, no action drifts little', () => {
  const wave = (phase: number): Policy => (_, t) => [Math.sin((2 * Math.PI * t) / 40), Math.sin((2 * Math.PI * t) / 40 + phase)];
  for (const seed of [1, 2]) {
    const forward = episode('swimmer', seed, wave(-1), 300);
    const backward = episode('swimmer', seed, wave(1), 300);
    const idle = episode('swimmer', seed, zero(2), 300);
    assert.ok(forward.dx > 1, `forward ${forward.dx}`);
    assert.ok(backward.dx < -1, `backward ${backward.dx}`);
    assert.ok(Math.abs(idle.dx) < 0.5, `idle ${idle.dx}`);
    assert.ok(forward.total > 0 && backward.total < 0);
  }
});

test('Hopper and Walker2d: without torque they fall, and the step that leaves the healthy range terminates', () => {
  for (const id of ['hopper', 'walker2d']) {
    for (const seed of [1, 2]) {
      const fall = episode(id, seed, zero(id === 'hopper' ? 3 : 6));
      assert.ok(fall.last.terminated && fall.steps < 1000, `${id} seed ${seed}: ${fall.steps} steps`);
      assert.equal(fall.last.info!.reward_survive, 0);
      // One point of survival for every step before the fall.
      assert.equal(fall.terms.reward_survive, fall.steps - 1);
      const [z, angle] = [fall.obs[0]!, fall.obs[1]!];
      if (id === 'hopper') assert.ok(z <= 0.7 || Math.abs(angle) >= 0.2, `hopper z ${z} angle ${angle}`);
      else assert.ok(z <= 0.8 || z >= 2 || Math.abs(angle) >= 1, `walker z ${z} angle ${angle}`);
    }
  }
});

test('the healthy rules are the published ranges', () => {
  const q = (z: number, angle: number, joints = [0, 0, 0]) => Float64Array.of(0, z, angle, ...joints);
  const still = new Float64Array(6);
  assert.equal(hopperHealthy(q(1.25, 0), still), true);
  assert.equal(hopperHealthy(q(0.7, 0), still), false);
  assert.equal(hopperHealthy(q(1.25, 0.2), still), false);
  assert.equal(hopperHealthy(q(1.25, -0.19), still), true);
  assert.equal(hopperHealthy(q(1.25, 0, [0, 100, 0]), still), false);
  assert.equal(hopperHealthy(q(1.25, 0), Float64Array.of(0, 0, 0, 0, 0, -100)), false);
  // x and z themselves are outside the state-range check (Gymnasium's state_vector()[2:]).
  assert.equal(hopperHealthy(Float64Array.of(500, 150, 0, 0, 0, 0), still), true);
  assert.equal(hopperHealthy(q(Number.NaN, 0), still), false);
  const w = (z: number, angle: number) => Float64Array.of(0, z, angle, 0, 0, 0, 0, 0, 0);
  assert.equal(walkerHealthy(w(1.25, 0)), true);
  assert.equal(walkerHealthy(w(0.8, 0)), false);
  assert.equal(walkerHealthy(w(2, 0)), false);
  assert.equal(walkerHealthy(w(1.25, -1)), false);
  assert.equal(walkerHealthy(w(1.25, 0.99)), true);
});

test('HalfCheetah: with zero action it settles where it stands and never terminates', () => {
  for (const seed of [1, 2]) {
    const idle = episode('half-cheetah', seed, zero(6), 200);
    assert.equal(idle.steps, 200);
    assert.equal(idle.last.terminated, false);
    assert.ok(Math.abs(idle.dx) < 0.2, `dx ${idle.dx}`);
    assert.ok(Math.abs(idle.obs[1]!) < 0.5, `torso angle ${idle.obs[1]}`);
  }
  // A periodic torque pattern moves it, and the forward term is its speed: summed over the
  // episode and multiplied by dt, it is the distance travelled.
  const gallop = episode('half-cheetah', 1, (_, t) => [0, 1, 2, 3, 4, 5].map((k) => Math.sin(0.8 * t + (k < 3 ? 0 : Math.PI) + 0.5 * k)), 200);
  assert.ok(Math.abs(gallop.dx) > 1, `dx ${gallop.dx}`);
  assert.ok(Math.abs(gallop.terms.reward_forward! * gallop.dt - gallop.dx) < 1e-9);
  assert.ok(gallop.terms.reward_ctrl! < 0);
});
