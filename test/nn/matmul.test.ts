import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend.js';
import { matMulNT } from '../../src/nn/matmul.js';
import { Mlp } from '../../src/nn/mlp.js';
import { Rng } from '../../src/util/rng.js';

function randomMatrix(rng: Rng, r: number, c: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from({ length: r * c }, () => rng.normal()), [r, c]);
}

test('matMulNT has the value and gradients of tf.matMul on the wasm backend', async () => {
  const name = await initBackend('wasm');
  assert.ok(name === 'wasm' || name === 'cpu');
  const rng = Rng.seeded(3);
  const a = randomMatrix(rng, 7, 5);
  const b = randomMatrix(rng, 5, 3);
  const w = randomMatrix(rng, 7, 3);
  const f = (mm: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D) => (x: tf.Tensor, y: tf.Tensor) =>
    tf.sum(tf.mul(mm(x as tf.Tensor2D, y as tf.Tensor2D), w));
  const [ga, gb] = tf.grads(f(matMulNT))([a, b]);
  const [wa, wb] = tf.grads(f((x, y) => tf.matMul(x, y)))([a, b]);
  const near = (x: tf.Tensor, y: tf.Tensor): boolean => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]! < 1e-5;
  assert.ok(near(matMulNT(a, b), tf.matMul(a, b)));
  assert.ok(near(ga!, wa!));
  assert.ok(near(gb!, wb!));
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
