import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/backend.js';
import { setTransposeFreeMatMulGradient } from '../../../bench/nn/matmul.js';
import { Mlp } from '../../../bench/nn/mlp.js';
import { Rng } from '../../../src/util/rng.js';

function randomTensor(rng: Rng, shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from({ length: shape.reduce((s, v) => s * v, 1) }, () => rng.normal()), shape);
}

test('the transpose-free matMul gradient equals tfjs\'s own, for every transpose flag and batched inputs', async () => {
  const name = await initBackend('wasm');
  assert.ok(name === 'wasm' || name === 'cpu');
  const rng = Rng.seeded(3);
  const near = (x: tf.Tensor, y: tf.Tensor): boolean => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]! < 1e-4;
  for (const [tA, tB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
    for (const batch of [[], [2]]) {
      const a = randomTensor(rng, [...batch, ...(tA ? [5, 7] : [7, 5])]);
      const b = randomTensor(rng, [...batch, ...(tB ? [3, 5] : [5, 3])]);
      const w = randomTensor(rng, [...batch, 7, 3]);
      const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, tA, tB), w));
      setTransposeFreeMatMulGradient(false);
      const [wa, wb] = tf.grads(f)([a, b]);
      setTransposeFreeMatMulGradient(true);
      const [ga, gb] = tf.grads(f)([a, b]);
      assert.ok(near(ga!, wa!), `da, transposeA=${tA} transposeB=${tB} batch=${batch}`);
      assert.ok(near(gb!, wb!), `db, transposeA=${tA} transposeB=${tB} batch=${batch}`);
    }
  }
});

test('Mlp initialisation is seeded and weights round-trip', async () => {
  await initBackend();
  const a = new Mlp([3, 8, 1], { seed: 5 });
  const b = new Mlp([3, 8, 1], { seed: 5 });
  const c = new Mlp([3, 8, 1], { seed: 6 });
  assert.deepEqual(a.getWeights(), b.getWeights());
  assert.notDeepEqual(a.getWeights(), c.getWeights());
  c.setWeights(a.getWeights());
  assert.deepEqual(c.getWeights(), a.getWeights());
  const t = new Mlp([3, 8, 1], { seed: 9 });
  t.polyakUpdate(a, 1);
  assert.deepEqual(t.getWeights(), a.getWeights());
  assert.throws(() => t.setWeights([]), /expected 4 weight arrays/);
});
