import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bootstrapDiscount, NStepWriter, ReplayBuffer } from '../../src/rl/replay-buffer.js';
import { Rng } from '../../src/util/rng.js';
import '../support/seed.js';

test('the ring keeps the last `capacity` transitions and terminated apart from truncated', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 60 }), (capacity, count) => {
      const buf = new ReplayBuffer(capacity, 2, 1);
      for (let i = 0; i < count; i++) buf.add([i, -i], [i / 10], i, [i + 1, -i - 1], i % 3 === 0);
      assert.equal(buf.size, Math.min(capacity, count));
      if (count === 0) return;
      const kept = new Set<number>();
      for (let j = 0; j < buf.size; j++) kept.add(buf.reward[j]!);
      for (let i = Math.max(0, count - capacity); i < count; i++) assert.ok(kept.has(i), `transition ${i} should be kept`);
      const batch = buf.sample(50, Rng.seeded(count));
      for (let r = 0; r < 50; r++) {
        const i = batch.reward[r]!;
        assert.deepEqual(Array.from(batch.obs.subarray(2 * r, 2 * r + 2)), [i, -i]);
        assert.equal(batch.nextObs[2 * r], i + 1);
        assert.equal(batch.terminal[r], i % 3 === 0 ? 1 : 0);
      }
    }),
  );
});

test('sampling is seeded and the state round-trips', () => {
  const buf = new ReplayBuffer(100, 1, 1);
  for (let i = 0; i < 70; i++) buf.add([i], [0], i, [i], false);
  assert.deepEqual(buf.sample(10, Rng.seeded(4)).reward, buf.sample(10, Rng.seeded(4)).reward);
  const copy = new ReplayBuffer(100, 1, 1);
  copy.arrays().forEach((a, i) => a.set(buf.arrays()[i]!));
  copy.setState(buf.getState());
  assert.deepEqual(copy.sample(10, Rng.seeded(5)).reward, buf.sample(10, Rng.seeded(5)).reward);
  assert.throws(() => copy.setState({ position: 100, count: 3 }), /does not fit capacity 100/);
  assert.throws(() => new ReplayBuffer(10, 1, 1).sample(1, Rng.seeded(1)), /empty/);
});

test('n-step writer: each stored transition is the discounted sum of the next n rewards, cut at the episode end', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.record({ length: fc.integer({ min: 1, max: 12 }), terminated: fc.boolean() }), { minLength: 1, maxLength: 5 }),
      fc.double({ min: 0.5, max: 1, noNaN: true }),
      (n, episodes, gamma) => {
        const buf = new ReplayBuffer(1000, 1, 1);
        const writer = new NStepWriter(buf, n, gamma);
        // Every step t of episode e has reward 100 e + t and observation 1000 e + t.
        const expected: { obs: number; reward: number; next: number; terminal: number; steps: number }[] = [];
        episodes.forEach(({ length, terminated }, e) => {
          for (let t = 0; t < length; t++) {
            const last = t === length - 1;
            writer.push([1000 * e + t], [t], 100 * e + t, [1000 * e + t + 1], last && terminated, last);
          }
          for (let t = 0; t < length; t++) {
            const k = Math.min(n, length - t);
            let reward = 0;
            for (let i = 0; i < k; i++) reward += gamma ** i * (100 * e + t + i);
            expected.push({ obs: 1000 * e + t, reward, next: 1000 * e + t + k, terminal: terminated && t + k === length ? 1 : 0, steps: k });
          }
        });
        assert.equal(buf.size, expected.length);
        const stored = Array.from({ length: buf.size }, (_, i) => ({ obs: buf.obs[i]!, reward: buf.reward[i]!, next: buf.nextObs[i]!, terminal: buf.terminal[i]!, steps: buf.steps[i]! }));
        stored.sort((x, y) => x.obs - y.obs);
        stored.forEach((s, i) => {
          const x = expected[i]!;
          assert.deepEqual([s.obs, s.next, s.terminal, s.steps], [x.obs, x.next, x.terminal, x.steps]);
          assert.ok(Math.abs(s.reward - x.reward) <= 1e-6 * Math.max(1, Math.abs(x.reward)), `reward ${s.reward} vs ${x.reward}`);
        });
      },
    ),
  );
});

test('n-step writer with n = 1 stores what add() stores; the target discount is gamma^steps, 0 after termination', () => {
  const a = new ReplayBuffer(50, 1, 1);
  const b = new ReplayBuffer(50, 1, 1);
  const writer = new NStepWriter(b, 1, 0.99);
  for (let i = 0; i < 20; i++) {
    a.add([i], [-i], i / 3, [i + 1], i % 7 === 6);
    writer.push([i], [-i], i / 3, [i + 1], i % 7 === 6, i % 7 === 6 || i === 19);
  }
  a.arrays().forEach((arr, i) => assert.deepEqual(arr, b.arrays()[i]));
  const batch = { obs: new Float32Array(3), action: new Float32Array(3), reward: new Float32Array(3), nextObs: new Float32Array(3), terminal: Float32Array.of(0, 1, 0), steps: Float32Array.of(1, 3, 3), size: 3 };
  assert.deepEqual(Array.from(bootstrapDiscount(batch, 0.9, new Float32Array(3))), [Math.fround(0.9), 0, Math.fround(0.729)]);
  assert.throws(() => new NStepWriter(a, 0, 0.99), /positive integer/);
});

test('a checkpoint from before n-step returns loads as one-step transitions', () => {
  const buf = new ReplayBuffer(10, 1, 1);
  for (let i = 0; i < 4; i++) buf.add([i], [0], i, [i + 1], false);
  const saved = new Map(buf.savedArrays().filter((s) => s.name !== 'replay.5').map((s) => [s.name, s] as const));
  const copy = new ReplayBuffer(10, 1, 1);
  copy.loadArrays(saved, 'old.bin');
  assert.deepEqual(Array.from(copy.steps.subarray(0, 4)), [1, 1, 1, 1]);
});
