import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend.js';
import { Mlp } from '../../bench/nn/mlp.js';
import { FlatMlp } from '../../src/nn/flat-mlp.js';
import { XnnKernels } from '../../src/nn/xnn.js';
import { Rng } from '../../src/util/rng.js';

const SEED = Number(process.env.SPARSELAW_TEST_SEED ?? 20240917);

/** Largest |a - b| relative to the largest |b| (float32 sums in a different order). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1e-12;
  let worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / scale;
}

test('FlatMlp: forward, input and weight gradients, and Adam steps agree with the tfjs Mlp', async () => {
  await initBackend();
  const k = await XnnKernels.load();
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        // Hidden layers of at least 4 units: with one or two, a relu whose input sits within rounding
        // of 0 after a step switches on in one implementation and off in the other, and the whole
        // output changes (a kink, not a disagreement); input and output widths go down to 1.
        sizes: fc
          .tuple(fc.integer({ min: 1, max: 40 }), fc.array(fc.integer({ min: 4, max: 40 }), { minLength: 0, maxLength: 2 }), fc.integer({ min: 1, max: 40 }))
          .map(([i, hidden, o]) => [i, ...hidden, o]),
        rows: fc.integer({ min: 1, max: 33 }),
        seed: fc.integer({ min: 0, max: 1e6 }),
        output: fc.constantFrom('linear' as const, 'tanh' as const),
      }),
      async ({ sizes, rows, seed, output }) => {
        const ref = new Mlp(sizes, { seed, output });
        const flat = new FlatMlp(k, sizes, { seed, output, maxRows: 40 });
        assert.deepEqual(flat.getWeights(), ref.getWeights(), 'same initial weights for the same seed');
        const rng = Rng.seeded(seed + 1);
        const x = Float32Array.from({ length: rows * sizes[0]! }, () => rng.normal());
        const dy = Float32Array.from({ length: rows * sizes.at(-1)! }, () => rng.normal());
        const opt = tf.train.adam(1e-2);
        // Adam divides by sqrt(v) + eps: a gradient at rounding level gets a full-size step of either
        // sign, so such weights may differ by up to lr per step; for small gradients the step still
        // amplifies their rounding, so the rest agree to 1e-3 of the largest weight, not 1e-4.
        const noisy = ref.variables.map((v) => new Uint8Array(v.size));
        for (let step = 0; step < 3; step++) {
          // Each step starts from the same weights, so every comparison is of one network; Adam's
          // moments carry over (and are compared through the weights they produce).
          flat.setWeights(ref.getWeights());
          const xt = tf.tensor2d(x, [rows, sizes[0]!]);
          // loss = sum(y ⊙ dy): its gradient with respect to y is dy.
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(ref.apply(xt), tf.tensor2d(dy, [rows, sizes.at(-1)!]))) as tf.Scalar, ref.variables);
          const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(ref.apply(xx as tf.Tensor2D), tf.tensor2d(dy, [rows, sizes.at(-1)!]))))(xt);
          const yRef = tf.tidy(() => ref.apply(xt).dataSync());
          flat.input(rows).set(x);
          const y = flat.forward(rows);
          assert.ok(relErr(y, yRef) < 1e-5, `forward differs by ${relErr(y, yRef)}`);
          flat.outputGrad(rows).set(dy);
          const dxFlat = flat.backward({ weights: true, input: true })!;
          assert.ok(relErr(dxFlat, dx.dataSync()) < 1e-4, `input gradient differs by ${relErr(dxFlat, dx.dataSync())}`);
          const gFlat = k.view(flat.grads);
          let off = 0;
          ref.variables.forEach((v, vi) => {
            const g = Float32Array.from(grads[v.name]!.dataSync());
            const mine = gFlat.subarray(off, off + g.length);
            assert.ok(relErr(mine, g) < 1e-4, `gradient of ${v.name} differs by ${relErr(mine, g)}`);
            const scale = g.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
            g.forEach((x, i) => {
              if (Math.abs(x) <= 1e-4 * scale || Math.abs(mine[i]! - x) > 1e-3 * Math.abs(x)) noisy[vi]![i] = 1;
            });
            off += g.length;
          });
          opt.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
          flat.adam({ lr: 1e-2 });
          const w = flat.getWeights();
          ref.getWeights().forEach((r, i) => {
            const steady = r.filter((_, j) => !noisy[i]![j]);
            const mineSteady = w[i]!.filter((_, j) => !noisy[i]![j]);
            assert.ok(relErr(mineSteady, steady) < 1e-3, `weights ${i} after Adam step ${step + 1} differ by ${relErr(mineSteady, steady)}`);
            r.forEach((x, j) => {
              if (noisy[i]![j]) assert.ok(Math.abs(w[i]![j]! - x) <= 2e-2 * (step + 1) + 1e-6, `weight ${i}[${j}] moved more than Adam's steps allow`);
            });
          });
          tf.dispose([value, dx, xt]);
          tf.dispose(grads);
        }
        opt.dispose();
        ref.dispose();
      },
    ),
    { seed: SEED, numRuns: 15 },
  );
});

test('FlatMlp: Polyak averaging, copies and optimizer state round-trip exactly', async () => {
  const k = await XnnKernels.load();
  const a = new FlatMlp(k, [3, 5, 1], { seed: 1, maxRows: 4 });
  const b = new FlatMlp(k, [3, 5, 1], { seed: 2, maxRows: 4 });
  const wa = a.getWeights();
  const wb = b.getWeights();
  b.polyakFrom(a, 0.25);
  b.getWeights().forEach((w, i) => w.forEach((v, j) => assert.equal(v, Math.fround(0.25 * wa[i]![j]! + 0.75 * wb[i]![j]!))));
  b.copyFrom(a);
  assert.deepEqual(b.getWeights(), wa);
  a.input(2).set([1, 2, 3, 4, 5, 6]);
  a.forward(2);
  a.outputGrad(2).set([1, -1]);
  a.backward({ weights: true, input: false });
  a.adam({ lr: 1e-3 });
  const state = a.getOptimizerState();
  b.setWeights(a.getWeights());
  b.setOptimizerState(state);
  for (const net of [a, b]) {
    net.input(2).set([1, 2, 3, 4, 5, 6]);
    net.forward(2);
    net.outputGrad(2).set([0.5, 2]);
    net.backward({ weights: true, input: false });
    net.adam({ lr: 1e-3 });
  }
  assert.deepEqual(b.getWeights(), a.getWeights());
});

test('MlpActor.step moves the weights as tf.train.adam on the same objective through a tfjs Mlp does', async () => {
  await initBackend();
  const { MlpActor } = await import('../../src/rl/mlp-actor.js');
  const spec = { inputNames: ['x', 'y', 'z'], actionNames: ['u', 'v'], inputScale: Float64Array.of(1, 2, 8), actionLow: Float64Array.of(-2, 0), actionHigh: Float64Array.of(2, 1), seed: 5 };
  const actor = new MlpActor(spec, [12, 12], 1e-2);
  const ref = new Mlp([3, 12, 12, 2], { seed: 5, output: 'tanh' });
  const opt = tf.train.adam(1e-2);
  const rng = Rng.seeded(SEED);
  const rows = 9;
  const obs = Float32Array.from({ length: rows * 3 }, () => rng.normal() * 3);
  const c = tf.tensor2d(Float32Array.from({ length: rows * 2 }, () => rng.normal()), [rows, 2]);
  // A nonlinear objective of the action, so the gradient depends on the action itself.
  const objective = (a: tf.Tensor2D): tf.Scalar => tf.sum(tf.mul(tf.square(a), c)) as tf.Scalar;
  const scale = tf.tensor2d(Float32Array.of(1, 1 / 2, 1 / 8), [1, 3]);
  for (let step = 0; step < 3; step++) {
    const v = actor.step(objective, obs, rows, rng);
    const w = opt.minimize(() => {
      const y = ref.apply(tf.mul(tf.tensor2d(obs, [rows, 3]), scale) as tf.Tensor2D);
      return objective(tf.add(tf.mul(y, tf.tensor2d(Float32Array.of(2, 0.5), [1, 2])), tf.tensor2d(Float32Array.of(0, 0.5), [1, 2])) as tf.Tensor2D);
    }, true)!;
    assert.ok(Math.abs(v.dataSync()[0]! - w.dataSync()[0]!) < 1e-4 * Math.max(1, Math.abs(w.dataSync()[0]!)), `loss ${v.dataSync()[0]} vs ${w.dataSync()[0]}`);
    tf.dispose([v, w]);
    const mine = actor.getWeights();
    ref.getWeights().forEach((r, i) => assert.ok(relErr(mine[i]!, r) < 1e-4, `weights ${i} after step ${step + 1} differ by ${relErr(mine[i]!, r)}`));
  }
  tf.dispose([c, scale]);
  actor.dispose();
  ref.dispose();
  opt.dispose();
});
