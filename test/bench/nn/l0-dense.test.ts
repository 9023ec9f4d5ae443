import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/backend.js';
import { sampleGates, deterministicGates, probNonZeroTensor } from '../../../src/l0/hard-concrete-tfjs.js';
import { L0Dense, L0Mlp, Regressor, trainRegressor, predict } from '../../../bench/nn/l0-dense.js';
import { Mlp } from '../../../bench/nn/mlp.js';
import { sampleGate, deterministicGate, probNonZero } from '../../../src/l0/hard-concrete.js';
import { Rng } from '../../../src/util/rng.js';

const logAlpha = fc.double({ min: -30, max: 30, noNaN: true });
const uniform = fc.double({ min: 0, max: 1, noNaN: true });

test('tfjs gates lie in [0, 1] and match the scalar hard-concrete functions', async () => {
  await initBackend();
  fc.assert(
    fc.property(fc.array(fc.tuple(logAlpha, uniform), { minLength: 1, maxLength: 64 }), (pairs) => {
      const [z, d, pz] = tf.tidy(() => {
        const la = tf.tensor1d(pairs.map(([a]) => a));
        const u = tf.tensor1d(pairs.map(([, v]) => v));
        return [sampleGates(la, u).dataSync(), deterministicGates(la).dataSync(), probNonZeroTensor(la).dataSync()];
      });
      pairs.forEach(([a, u], i) => {
        assert.ok(z[i]! >= 0 && z[i]! <= 1, `sampled gate ${z[i]} for logAlpha ${a}, u ${u}`);
        assert.ok(d[i]! >= 0 && d[i]! <= 1, `deterministic gate ${d[i]} for logAlpha ${a}`);
        // float32 against float64: the logit of u near 0 or 1 loses a few digits.
        assert.ok(Math.abs(z[i]! - sampleGate(Math.fround(a), Math.fround(u))) < 1e-3, `sampled ${z[i]} vs ${sampleGate(a, u)}`);
        assert.ok(Math.abs(d[i]! - deterministicGate(Math.fround(a))) < 1e-5);
        assert.ok(Math.abs(pz[i]! - probNonZero(Math.fround(a))) < 1e-5);
      });
    }),
    { numRuns: 100 },
  );
});

test('deterministic gates: the count of open inputs, and a closed input changes nothing', async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const layer = new L0Dense(6, 3, { seed: 1 });
  tf.tidy(() => layer.logAlpha.assign(tf.tensor1d([-5, 5, -5, 5, 0, -2.5])));
  // sigmoid(0) * 1.2 - 0.1 = 0.5 is open; sigmoid(-2.5) * 1.2 - 0.1 < 0 is closed.
  assert.deepEqual(Array.from(layer.gates(), (g) => (g > 0 ? 1 : 0)), [0, 1, 0, 1, 1, 0]);
  assert.equal(layer.gates()[1], 1);
  const [a, b] = tf.tidy(() => {
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6]]);
    const x2 = tf.tensor2d([[9, 2, -7, 4, 5, 100]]);
    return [layer.apply(x).dataSync(), layer.apply(x2).dataSync()];
  });
  assert.deepEqual(Array.from(a), Array.from(b));
  const l0 = tf.tidy(() => layer.expectedL0().dataSync()[0]!);
  const expected = [-5, 5, -5, 5, 0, -2.5].reduce((s, v) => s + probNonZero(v), 0);
  assert.ok(Math.abs(l0 - expected) < 1e-5);
  layer.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
});

/** 6 standard-normal inputs, of which only x0 and x2 matter: y = x0 x2 + sin(x0) + 0.5 x2. */
function twoOfSix(seed: number, n: number) {
  const rng = Rng.seeded(seed);
  const x = Float64Array.from({ length: n * 6 }, () => rng.normal());
  const y = Float64Array.from({ length: n }, (_, r) => x[r * 6]! * x[r * 6 + 2]! + Math.sin(x[r * 6]!) + 0.5 * x[r * 6 + 2]!);
  return { x, y, n };
}

test('L0 regression keeps the 2 inputs that matter and prunes the other 4', async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const { x, y, n } = twoOfSix(1, 2000);
  const model = new L0Mlp([6, 32, 1], { seed: 2 });
  const losses = trainRegressor(model, x, y, { epochs: 15, batchSize: 64, lr: 3e-2, lambda: 3e-2, seed: 3 });
  assert.equal(losses.length, 15);
  assert.ok(losses.at(-1)! < losses[0]!, `loss ${losses[0]} -> ${losses.at(-1)}`);
  assert.deepEqual(Array.from(model.inputGates(), (g) => (g > 0 ? 1 : 0)), [1, 0, 1, 0, 0, 0]);
  assert.ok(model.expectedL0Value() < 2.5, `E[L0] = ${model.expectedL0Value()}`);
  // The fit is good on fresh data with only those inputs open.
  const test = twoOfSix(2, 500);
  const pred = predict(model, test.x);
  let mse = 0;
  let variance = 0;
  const mean = test.y.reduce((s, v) => s + v, 0) / test.n;
  for (let r = 0; r < test.n; r++) {
    mse += (pred[r]! - test.y[r]!) ** 2 / test.n;
    variance += (test.y[r]! - mean) ** 2 / test.n;
  }
  assert.ok(mse < 0.1 * variance, `test MSE ${mse}, variance ${variance}`);
  model.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
});

test('training is deterministic for a seed, for L0Mlp and Mlp', async () => {
  await initBackend();
  const { x, y } = twoOfSix(4, 300);
  const run = (seed: number, gated: boolean) => {
    const model = gated ? new L0Mlp([6, 8, 8, 1], { seed }) : new Mlp([6, 8, 1], { seed });
    const losses = trainRegressor(model, x, y, { epochs: 3, batchSize: 32, lr: 1e-2, lambda: 1e-2, seed });
    const weights = model.variables.map((v) => Array.from(v.dataSync()));
    model.dispose();
    return { losses, weights };
  };
  for (const gated of [true, false]) {
    const before = tf.memory().numTensors;
    const a = run(7, gated);
    const b = run(7, gated);
    const c = run(8, gated);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.losses, c.losses);
    assert.equal(tf.memory().numTensors, before, `no tensors leak (gated=${gated})`);
  }
});

test('the standardising Regressor predicts in the original units', async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const rng = Rng.seeded(9);
  const n = 1000;
  const x = Float64Array.from({ length: n * 2 }, () => 100 + 10 * rng.normal());
  const y = Float64Array.from({ length: n }, (_, r) => 1000 + 3 * x[r * 2]! - 2 * x[r * 2 + 1]!);
  for (const lambda of [0, 1e-3]) {
    const net = new Regressor(2, 1, { hidden: [16], lambda, seed: 1 });
    net.fit(x, y, n, { epochs: 20, batchSize: 50, lr: 1e-2 });
    const pred = net.predict(x, n);
    const rmse = Math.sqrt(pred.reduce((s, v, r) => s + (v - y[r]!) ** 2, 0) / n);
    // y has a mean of 1100 and a std of 36: without the scaling inside, 20 epochs would not get close.
    assert.ok(rmse < 4, `rmse ${rmse}, lambda ${lambda}`);
    assert.deepEqual(Array.from(net.inputGates(), (g) => g > 0), [true, true]);
    net.dispose();
  }
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
});
