import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend.js';
import { gramStats } from '../../src/l0/gram.js';
import { fitGram } from '../../src/l0/fit-gram.js';
import { fitMinibatch } from '../../src/l0/fit-minibatch.js';
import { Rng } from '../../src/util/rng.js';
import { close } from '../support/tolerance.js';

/**
 * 10 library columns (column 0 the constant), standard-normal otherwise; output 0 is
 * y = 2 x1 - 0.5 x3 + noise, output 1 is y = 3 - 1.5 x7 + noise.
 */
function problem(seed: number, n: number) {
  const p = 10;
  const m = 2;
  const rng = Rng.seeded(seed);
  const theta = Float64Array.from({ length: n * p }, () => rng.normal());
  const y = new Float64Array(n * m);
  for (let r = 0; r < n; r++) {
    theta[r * p] = 1;
    y[r * m] = 2 * theta[r * p + 1]! - 0.5 * theta[r * p + 3]! + 0.01 * rng.normal();
    y[r * m + 1] = 3 - 1.5 * theta[r * p + 7]! + 0.01 * rng.normal();
  }
  return { theta, y, n, p, m };
}

const supportOf = (support: Uint8Array, p: number, m: number, k: number): number[] => [...Array(p).keys()].filter((j) => support[j * m + k]);

test('the minibatch tfjs path and the Gram path find the same support and coefficients', async () => {
  await initBackend();
  const { theta, y, n, p, m } = problem(1, 4000);
  const before = tf.memory().numTensors;
  // Without polish the agreement is the gates' own; with it (the default) both end in the same search.
  for (const polish of [false, true]) {
    const mb = fitMinibatch(theta, y, n, p, m, { lambda: 1e-3, seed: 3, batchSize: 128, polish });
    const gram = fitGram(gramStats(theta, y, n, p, m), { lambda: 1e-3, seed: 3, polish });
    assert.deepEqual(supportOf(mb.support, p, m, 0), [1, 3], `polish=${polish}`);
    assert.deepEqual(supportOf(mb.support, p, m, 1), [0, 7], `polish=${polish}`);
    assert.deepEqual(Array.from(mb.support), Array.from(gram.support), `polish=${polish}`);
    mb.coefficients.forEach((c, i) => assert.ok(close(c, gram.coefficients[i]!, 1e-6, 0), `coefficient ${i}: ${c} vs ${gram.coefficients[i]}`));
    // Exactly zero off the support, and near the true law on it.
    mb.coefficients.forEach((c, i) => assert.equal(c !== 0, mb.support[i] === 1));
    assert.ok(Math.abs(mb.coefficients[1 * m]! - 2) < 2e-3 && Math.abs(mb.coefficients[3 * m]! + 0.5) < 2e-3);
    // Pruning during training: the active set shrinks, and the steps are at least fitGram's 1500.
    assert.ok(mb.activeHistory.at(-1)!.active < mb.activeHistory[0]!.active, 'terms are pruned during training');
    assert.ok(mb.steps >= 1500);
  }
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
});

test('without the refit, the gated coefficients themselves are close to the law', async () => {
  await initBackend();
  const { theta, y, n, p, m } = problem(5, 4000);
  const fit = fitMinibatch(theta, y, n, p, m, { lambda: 1e-3, seed: 1, batchSize: 128, refit: false });
  assert.deepEqual(supportOf(fit.support, p, m, 0), [1, 3]);
  // Minibatch noise with lr 0.02 leaves the raw coefficients a few percent off: the refit's job.
  assert.ok(Math.abs(fit.coefficients[1 * m]! - 2) < 0.1, `${fit.coefficients[1 * m]}`);
  assert.ok(Math.abs(fit.coefficients[3 * m]! + 0.5) < 0.1, `${fit.coefficients[3 * m]}`);
  fit.gates.forEach((g) => assert.ok(g >= 0 && g <= 1));
});

test('the minibatch path is deterministic for a seed', async () => {
  await initBackend();
  const { theta, y, n, p, m } = problem(2, 1000);
  const before = tf.memory().numTensors;
  const run = (seed: number) => fitMinibatch(theta, y, n, p, m, { lambda: 1e-2, seed, epochs: 2, batchSize: 100, polish: false, refit: false });
  const a = run(4);
  const b = run(4);
  const c = run(5);
  assert.deepEqual(Array.from(a.logAlpha), Array.from(b.logAlpha));
  assert.deepEqual(Array.from(a.xi), Array.from(b.xi));
  assert.deepEqual(Array.from(a.coefficients), Array.from(b.coefficients));
  assert.deepEqual(a.activeHistory, b.activeHistory);
  assert.notDeepEqual(Array.from(a.logAlpha), Array.from(c.logAlpha));
  assert.equal(a.steps, 20);
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
});

test('bad options are refused', () => {
  const { theta, y, n, p, m } = problem(3, 10);
  assert.throws(() => fitMinibatch(theta, y, n, p, m, { lambda: -1, seed: 1 }), RangeError);
  assert.throws(() => fitMinibatch(theta, y, n + 1, p, m, { lambda: 1e-3, seed: 1 }), RangeError);
  assert.throws(() => fitMinibatch(theta, y, n, p, m, { lambda: 1e-3, seed: 1, batchSize: 0 }), RangeError);
});
