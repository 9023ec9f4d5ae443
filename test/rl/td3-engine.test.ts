import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../src/backend.js';
import { Td3, TD3_DEFAULTS, type Td3Options } from '../../src/rl/td3.js';
import { ReplayBuffer } from '../../src/rl/replay-buffer.js';
import type { ActorSpec } from '../../src/rl/actor.js';
import { Rng } from '../../src/util/rng.js';

const SEED = Number(process.env.SPARSELAW_TEST_SEED ?? 20240917);
const SPEC: ActorSpec = { inputNames: ['cos_theta', 'sin_theta', 'theta_dot'], actionNames: ['torque'], inputScale: Float64Array.of(1, 1, 8), actionLow: Float64Array.of(-2), actionHigh: Float64Array.of(2), seed: SEED % 1000 };
const OPTIONS = (policy: string): Td3Options => ({ ...TD3_DEFAULTS, criticHidden: [32, 32], actorHidden: [16, 16], policy, lambda: 5e-3 });

function buffer(): ReplayBuffer {
  const buf = new ReplayBuffer(500, 3, 1);
  const rng = Rng.seeded(SEED);
  for (let i = 0; i < 500; i++) {
    const th = rng.range(-Math.PI, Math.PI);
    const w = rng.range(-8, 8);
    buf.add([Math.cos(th), Math.sin(th), w], [rng.range(-2, 2)], -rng.uniform() * 10, [Math.cos(th + 0.05 * w), Math.sin(th + 0.05 * w), w], i % 97 === 0);
  }
  return buf;
}

/** Runs `updates` updates from a fresh sampling stream; returns every array of the agent. */
async function run(agent: Td3, buf: ReplayBuffer, rng: Rng, updates: number): Promise<{ losses: number[]; arrays: Map<string, Float32Array> }> {
  const losses: number[] = [];
  for (let i = 0; i < updates; i++) {
    const r = agent.update(buf.sample(64, rng), rng);
    losses.push(r.criticLoss, r.actorLoss ?? NaN);
  }
  return { losses, arrays: new Map((await agent.saveArrays()).map((a): [string, Float32Array] => [a.name, a.data])) };
}

for (const policy of ['poly:2', 'mlp']) {
  test(`TD3 engine (${policy}): one critic thread or two give bit-identical runs, and a checkpoint resumes bit-for-bit`, async () => {
    await initBackend();
    const buf = buffer();
    const results = [];
    for (const threads of [1, 2] as const) {
      const agent = await Td3.create(SPEC, OPTIONS(policy), undefined, { threads, maxBatch: 64 });
      try {
        results.push(await run(agent, buf, Rng.seeded(SEED + 1), 12));
      } finally {
        agent.dispose();
      }
    }
    assert.deepEqual(results[1]!.losses, results[0]!.losses);
    assert.deepEqual([...results[1]!.arrays.keys()], [...results[0]!.arrays.keys()]);
    for (const [name, data] of results[0]!.arrays) assert.deepEqual(results[1]!.arrays.get(name), data, `array ${name}`);
    assert.ok(results[0]!.losses.every((l, i) => (i % 2 === 1 && i % 4 !== 3 ? Number.isNaN(l) : Number.isFinite(l))), 'actor losses on every second update only');

    // 5 updates, checkpoint, 7 more in a fresh agent == 12 in one go.
    const rng = Rng.seeded(SEED + 1);
    const first = await Td3.create(SPEC, OPTIONS(policy), undefined, { threads: 2, maxBatch: 64 });
    await run(first, buf, rng, 5);
    const saved = await first.saveArrays();
    const updates = first.updates;
    first.dispose();
    const second = await Td3.create({ ...SPEC, seed: SPEC.seed + 1 }, OPTIONS(policy), undefined, { threads: 2, maxBatch: 64 });
    try {
      await second.loadArrays(new Map(saved.map((a): [string, (typeof saved)[number]] => [a.name, a])));
      second.updates = updates;
      second.actor.sync();
      second.actorTarget.sync();
      const resumed = await run(second, buf, rng, 7);
      assert.deepEqual(resumed.losses, results[0]!.losses.slice(10));
      for (const [name, data] of results[0]!.arrays) assert.deepEqual(resumed.arrays.get(name), data, `array ${name} after resume`);
    } finally {
      second.dispose();
    }
  });
}
