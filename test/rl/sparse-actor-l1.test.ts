import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend.js';
import { SparseActor } from '../../src/rl/sparse-actor.js';
import { Rng } from '../../src/util/rng.js';
import '../support/seed.js';

const SPEC = { inputNames: ['cos_theta', 'sin_theta', 'theta_dot'], actionNames: ['torque'], inputScale: Float64Array.of(1, 1, 8), actionLow: Float64Array.of(-2), actionHigh: Float64Array.of(2), seed: 3 };

await initBackend();

test('L1 sparse actor: no gates, a penalty of lambda times the sum of |xi| until pruning, none after', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 1e-3, max: 10, noNaN: true }), (seed, lambda) => {
      const actor = new SparseActor({ ...SPEC, seed }, 'poly:2', lambda, { penalty: 'l1', pruneBelow: 0.2 });
      try {
        assert.deepEqual(actor.sparsity(), { terms: 10, gatesBinary: true });
        const xi = Array.from(actor.xi.dataSync() as Float32Array);
        const expected = lambda * xi.reduce((t, v) => t + Math.abs(v), 0);
        const pen = actor.penalty()!;
        assert.ok(Math.abs(pen.dataSync()[0]! - expected) <= 1e-5 * (1 + expected));
        pen.dispose();
        actor.harden();
        assert.equal(actor.penalty(), undefined);
        const kept: number[] = xi.map((v) => (Math.abs(v) >= 0.2 ? 1 : 0));
        assert.deepEqual(Array.from(actor.frozenMask!), kept);
        assert.deepEqual(Array.from(actor.xi.dataSync()), xi.map((v, i) => Math.fround(v * kept[i]!)));
        assert.equal(actor.sparsity().terms, kept.reduce((a, b) => a + b, 0));
        // The pruned state survives a checkpoint: a fresh actor given the state keeps it.
        const copy = new SparseActor({ ...SPEC, seed }, 'poly:2', lambda, { penalty: 'l1', pruneBelow: 0.2 });
        copy.setWeights(actor.getWeights());
        copy.setState(JSON.parse(JSON.stringify(actor.getState())));
        assert.equal(copy.penalty(), undefined);
        assert.deepEqual(copy.sparsity(), actor.sparsity());
        copy.dispose();
      } finally {
        actor.dispose();
      }
    }),
    { numRuns: 20 },
  );
});

test('L1 sparse actor: the penalty alone pulls every coefficient further from zero than a few Adam steps toward it', () => {
  const actor = new SparseActor(SPEC, 'poly:2', 10, { penalty: 'l1', learningRate: 1e-2 });
  try {
    const before = Array.from(actor.xi.dataSync());
    const rng = Rng.seeded(1);
    const obs = Float32Array.from({ length: 3 * 8 }, () => rng.normal());
    for (let i = 0; i < 5; i++) tf.dispose(actor.step((a) => tf.mul(tf.sum(a), 0) as tf.Scalar, obs, 8, rng));
    const after = Array.from(actor.xi.dataSync());
    // Five Adam steps of 1e-2 move a coefficient by at most about 0.05; the ones further out shrink by that much.
    const far = before.map((v, i) => ({ v, i })).filter(({ v }) => Math.abs(v) > 0.06);
    assert.ok(far.length > 0);
    for (const { v, i } of far) assert.ok(Math.abs(after[i]!) <= Math.abs(v) - 0.04, `coefficient ${i}: ${v} -> ${after[i]}`);
  } finally {
    actor.dispose();
  }
});
