import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { MUJOCO_ENTRIES, type MujocoEntry, type MujocoEnv } from '../../../src/envs/mujoco/index.js';
import { getEnvEntry } from '../../../src/envs/index.js';
import { recordRollout } from '../../../src/report/trace.js';
import { renderChart } from '../../../src/report/charts.js';
import { countMarks } from '../../report/marks.js';

before(async () => {
  for (const entry of MUJOCO_ENTRIES) await entry.prepare();
});

/** A controlled and an uncontrolled trace of a task, recorded as the report records them. */
function traces(id: string, steps: number) {
  const entry = getEnvEntry(id) as MujocoEntry;
  const env = entry.create({}) as MujocoEnv;
  const field = (e: unknown) => (e as MujocoEnv).field();
  const act = (obs: Float64Array) => env.actionNames.map((_, k) => Math.sin(obs.length + k));
  const controlled = recordRollout(env, act, { seed: 1, steps, field });
  const uncontrolled = recordRollout(entry.create({}), null, { seed: 1, steps, field });
  return { entry, env, controlled, uncontrolled };
}

test('field() holds every drawn capsule as two end points and a radius in the picture plane, then the joint angles', () => {
  const entry = getEnvEntry('hopper') as MujocoEntry;
  const env = entry.create({}) as MujocoEnv;
  env.reset({ seed: 1 });
  const f = env.field();
  assert.equal(f[0], 4); // torso, thigh, leg, foot (the floor plane is not drawn)
  const seg = (i: number) => Array.from(f.subarray(1 + 5 * i, 6 + 5 * i));
  // Standing: the torso spans heights 1.05 to 1.45, the foot lies along x at height 0.1.
  const [x1, z1, x2, z2, r] = seg(0);
  assert.ok(Math.abs(Math.min(z1!, z2!) - 1.05) < 0.02 && Math.abs(Math.max(z1!, z2!) - 1.45) < 0.02 && r === 0.05);
  const foot = seg(3);
  assert.ok(Math.abs(foot[1]! - 0.1) < 0.02 && Math.abs(foot[3]! - 0.1) < 0.02 && Math.abs(Math.abs(foot[2]! - foot[0]!) - 0.39) < 0.02);
  assert.ok(Math.abs(x1! - x2!) < 0.02);
  // Joint angles: torso, thigh, leg, foot, equal to the state's qpos.
  assert.deepEqual(Array.from(f.subarray(21)), env.getState().qpos.slice(2));
});

test('the planar tasks draw a film strip with and without control, joint angles and actions, every mark accounted for', async () => {
  for (const id of ['hopper', 'walker2d', 'half-cheetah', 'swimmer', 'inverted-pendulum', 'inverted-double-pendulum', 'reacher']) {
    const { entry, controlled, uncontrolled } = traces(id, 60);
    assert.ok(entry.rolloutCharts, id);
    const charts = entry.rolloutCharts!(controlled, uncontrolled);
    assert.deepEqual(
      charts.map((c) => c.id),
      ['rollout-film', 'rollout-film-uncontrolled', 'rollout-joints', 'rollout-joints-uncontrolled', 'rollout-actions'],
      id,
    );
    const film = charts[0]!;
    const geoms = controlled.field![0]![0]!;
    const frames = Math.min(6, controlled.field!.length);
    const floor = entry.task.drawing!.floor !== undefined ? frames : 0;
    assert.equal(film.marks.rule, frames * geoms + floor, id);
    assert.equal(charts[2]!.marks.line, entry.task.drawing!.joints.length);
    for (const chart of charts) {
      const { svg } = await renderChart(chart);
      const counts = countMarks(svg);
      for (const [kind, n] of Object.entries(chart.marks)) assert.equal(counts[kind] ?? 0, n, `${id} ${chart.id}: ${kind}`);
    }
  }
});

test('the film strip keeps one length scale on both axes (capsules are not distorted)', () => {
  const { entry, controlled } = traces('hopper', 30);
  const film = entry.rolloutCharts!(controlled)[0]!;
  const spec = film.spec as { width: number; height: number; layer: { encoding: { x: { scale: { domain: number[] } }; y: { scale: { domain: number[] } } } }[] };
  const { x, y } = spec.layer[0]!.encoding;
  const perX = spec.width / (x.scale.domain[1]! - x.scale.domain[0]!);
  const perY = spec.height / (y.scale.domain[1]! - y.scale.domain[0]!);
  assert.ok(Math.abs(perX / perY - 1) < 0.02, `${perX} vs ${perY} pixels per metre`);
});
