import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GramAccumulator, gramStats, mseFromStats } from '../../src/l0/gram.js';
import { refitLeastSquares } from '../../src/l0/least-squares.js';
import { Rng } from '../../src/util/rng.js';

function randomProblem(seed: number, n: number, p: number, m: number) {
  const rng = Rng.seeded(seed);
  const theta = Float64Array.from({ length: n * p }, () => rng.normal());
  const y = Float64Array.from({ length: n * m }, () => rng.normal());
  const W = Float64Array.from({ length: p * m }, () => (rng.uniform() < 0.5 ? 0 : rng.normal()));
  return { theta, y, W };
}

function directMse(theta: Float64Array, y: Float64Array, W: Float64Array, n: number, p: number, m: number): number[] {
  return Array.from({ length: m }, (_, k) => {
    let s = 0;
    for (let r = 0; r < n; r++) {
      let pred = 0;
      for (let j = 0; j < p; j++) pred += theta[r * p + j]! * W[j * m + k]!;
      s += (y[r * m + k]! - pred) ** 2;
    }
    return s / n;
  });
}

test('the MSE from Gram statistics equals the MSE computed row by row', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), (seed, n, p, m) => {
      const { theta, y, W } = randomProblem(seed, n, p, m);
      const fromStats = mseFromStats(gramStats(theta, y, n, p, m), W);
      directMse(theta, y, W, n, p, m).forEach((d, k) => assert.ok(Math.abs(fromStats[k]! - d) <= 1e-9 * Math.max(1, d), `${fromStats[k]} vs ${d}`));
    }),
    { numRuns: 200 },
  );
});

test('removing rows gives the statistics of the remaining rows, and chunking does not matter', () => {
  const n = 50;
  const p = 4;
  const m = 2;
  const { theta, y } = randomProblem(3, n, p, m);
  const all = new GramAccumulator(p, m);
  all.add(theta.subarray(0, 20 * p), y.subarray(0, 20 * m), 20);
  all.add(theta.subarray(20 * p), y.subarray(20 * m), 30);
  all.remove(theta.subarray(40 * p), y.subarray(40 * m), 10);
  const expected = gramStats(theta.subarray(0, 40 * p), y.subarray(0, 40 * m), 40, p, m);
  const got = all.stats();
  assert.equal(got.n, 40);
  for (const key of ['G', 'B', 'yy', 'yMean'] as const) {
    got[key].forEach((v, i) => assert.ok(Math.abs(v - expected[key][i]!) < 1e-12, `${key}[${i}]`));
  }
});

test('the least-squares refit on a support solves the normal equations and leaves zeros off it', () => {
  const n = 200;
  const p = 5;
  const m = 1;
  const { theta, y } = randomProblem(11, n, p, m);
  const stats = gramStats(theta, y, n, p, m);
  const support = Uint8Array.of(1, 0, 1, 1, 0);
  const W = refitLeastSquares(stats, support);
  assert.equal(W[1], 0);
  assert.equal(W[4], 0);
  // Gradient of the MSE restricted to the support vanishes.
  for (const i of [0, 2, 3]) {
    let g = -stats.B[i]!;
    for (let j = 0; j < p; j++) g += stats.G[i * p + j]! * W[j]!;
    assert.ok(Math.abs(g) < 1e-12, `gradient ${g} at ${i}`);
  }
});
