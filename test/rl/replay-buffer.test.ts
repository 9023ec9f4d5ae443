import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ReplayBuffer } from '../../src/rl/replay-buffer.js';
import { Rng } from '../../src/util/rng.js';

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
