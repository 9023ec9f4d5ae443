import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../support/seed.js';
import { GramAccumulator, type GramStats } from '../../src/l0/gram.js';
import { standardise } from '../../src/l0/fit-gram.js';
import { fitLasso, lassoLambdaMax, lassoWeights } from '../../src/l0/lasso.js';
import { fitStlsq } from '../../src/l0/stlsq.js';
import { refitLeastSquares } from '../../src/l0/least-squares.js';
import { Rng } from '../../src/util/rng.js';
import { Pendulum } from '../../src/envs/pendulum/env.js';
import { collectRandomEpisodes } from '../../src/envs/collect.js';
import { discoverLaws } from '../../src/models/discover.js';
import { SPARSITY_METHODS } from '../../src/l0/methods.js';
import { fitSr3, sr3Prox } from '../../src/l0/sr3.js';
import { fitMagnitude } from '../../src/l0/magnitude.js';
import { fitGram } from '../../src/l0/fit-gram.js';
import { deterministicGate, probNonZero, sampleGate } from '../../src/l0/hard-concrete.js';

/** Gram statistics of a random regression: n rows, p columns (some correlated), m outputs from a sparse truth plus noise. */
function randomStats(seed: number, p: number, m: number): GramStats {
  const rng = Rng.seeded(seed);
  const n = 200;
  const acc = new GramAccumulator(p, m);
  const truth = Float64Array.from({ length: p * m }, () => (rng.uniform() < 0.4 ? rng.range(-3, 3) : 0));
  const theta = new Float64Array(n * p);
  const y = new Float64Array(n * m);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < p; j++) theta[r * p + j] = rng.normal() + (j > 0 ? 0.5 * theta[r * p + j - 1]! : 0);
    for (let k = 0; k < m; k++) {
      let s = 0.1 * rng.normal();
      for (let j = 0; j < p; j++) s += theta[r * p + j]! * truth[j * m + k]!;
      y[r * m + k] = s;
    }
  }
  acc.add(theta, y, n);
  return acc.stats();
}

test('the Lasso solution satisfies its optimality (KKT) conditions, plain and adaptive', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 8 }), fc.double({ min: 1e-4, max: 1, noNaN: true }), fc.boolean(), (seed, p, fraction, adaptive) => {
      const stats = randomStats(seed, p, 2);
      const lambda = fraction * lassoLambdaMax(stats, adaptive);
      const fit = fitLasso(stats, { lambda, adaptive, tolerance: 1e-13 });
      const st = standardise(stats);
      const w = lassoWeights(st, p, 2, adaptive);
      for (let k = 0; k < 2; k++)
        for (let j = 0; j < p; j++) {
          let g = -st.B[j * 2 + k]!;
          for (let i = 0; i < p; i++) g += st.G[j * p + i]! * fit.xi[i * 2 + k]!;
          const x = fit.xi[j * 2 + k]!;
          const t = lambda * w[j * 2 + k]!;
          if (x !== 0) assert.ok(Math.abs(g + t * Math.sign(x)) <= 1e-7 * Math.max(1, t), `output ${k}, term ${j}: gradient ${g}, penalty ${t}, coefficient ${x}`);
          else assert.ok(Math.abs(g) <= t + 1e-7, `output ${k}, term ${j}: |gradient| ${Math.abs(g)} above lambda ${t} at zero`);
        }
    }),
    { numRuns: 60 },
  );
});

test('at and above lambda_max the Lasso law is empty; just below it one term enters', () => {
  const stats = randomStats(3, 6, 1);
  const max = lassoLambdaMax(stats);
  assert.equal(fitLasso(stats, { lambda: max }).support.reduce((a, b) => a + b, 0), 0);
  assert.equal(fitLasso(stats, { lambda: max * 0.999 }).support.reduce((a, b) => a + b, 0), 1);
});

test('STLSQ ends at a fixed point: refitting its support keeps every coefficient above the threshold', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 8 }), fc.double({ min: 1e-3, max: 2, noNaN: true }), (seed, p, threshold) => {
      const stats = randomStats(seed, p, 2);
      const fit = fitStlsq(stats, threshold);
      const again = refitLeastSquares(stats, fit.support);
      const st = standardise(stats);
      for (let i = 0; i < p * 2; i++) {
        assert.ok(Math.abs(again[i]! - fit.coefficients[i]!) <= 1e-9 * Math.max(1, Math.abs(again[i]!)));
        if (fit.support[i]) assert.ok(Math.abs((fit.coefficients[i]! * st.colScale[Math.floor(i / 2)]!) / st.outScale[i % 2]!) >= threshold);
        else assert.equal(fit.coefficients[i], 0);
      }
    }),
    { numRuns: 60 },
  );
});

test('every method finds the pendulum velocity law on clean data, with the same selection rule', () => {
  const data = collectRandomEpisodes(new Pendulum({ g: 9.81 }), { episodes: 60, seed: 2 });
  for (const method of SPARSITY_METHODS) {
    const { law } = discoverLaws({ columns: data.columns, n: data.n, inputs: ['sin_theta', 'theta_dot', 'torque'], targets: ['next_theta_dot'], library: 'poly:1', lambda: 'auto', seed: 1, method });
    assert.deepEqual(law.outputs[0]!.terms.map((t) => t.term).sort(), ['sin_theta', 'theta_dot', 'torque'], method);
    const torque = law.outputs[0]!.terms.find((t) => t.term === 'torque')!.coefficient;
    assert.ok(Math.abs(torque - 0.15) < 0.01, `${method}: torque coefficient ${torque}`);
  }
});

test('SR3 ends at a fixed point of its relaxed problem: w = prox(xi) and xi = (G + I/nu)^-1 (B + w/nu)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 7 }), fc.double({ min: 1e-4, max: 0.3, noNaN: true }), fc.constantFrom<'l0' | 'l1'>('l0', 'l1'), (seed, p, lambda, penalty) => {
      const stats = randomStats(seed, p, 1);
      const fit = fitSr3(stats, { lambda, penalty });
      const st = standardise(stats);
      for (let j = 0; j < p; j++) {
        assert.equal(fit.w[j], sr3Prox(fit.xi[j]!, lambda, 1, penalty));
        let r = st.B[j]! + fit.w[j]!;
        for (let i = 0; i < p; i++) r -= (st.G[j * p + i]! + (i === j ? 1 : 0)) * fit.xi[i]!;
        assert.ok(Math.abs(r) <= 1e-8, `term ${j}: residual ${r}`);
      }
    }),
    { numRuns: 40 },
  );
});

test('magnitude pruning keeps the largest standardised coefficients of the dense fit', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 8 }), fc.double({ min: 1e-3, max: 2, noNaN: true }), (seed, p, threshold) => {
      const stats = randomStats(seed, p, 1);
      const st = standardise(stats);
      const dense = refitLeastSquares(stats, new Uint8Array(p).fill(1));
      const size = (j: number) => Math.abs((dense[j]! * st.colScale[j]!) / st.outScale[0]!);
      const fit = fitMagnitude(stats, threshold);
      const kept = [...Array(p).keys()].filter((j) => fit.support[j]);
      const dropped = [...Array(p).keys()].filter((j) => !fit.support[j]);
      for (const a of kept) for (const b of dropped) assert.ok(size(a) >= size(b));
      for (const a of kept) assert.ok(size(a) >= threshold);
    }),
    { numRuns: 60 },
  );
});

test('the L0 engine with the default gate shape given explicitly is the engine as it was, bit for bit', () => {
  const stats = randomStats(11, 6, 2);
  const a = fitGram(stats, { lambda: 1e-3, seed: 4 });
  const b = fitGram(stats, { lambda: 1e-3, seed: 4, gate: { beta: 2 / 3, gamma: -0.1, zeta: 1.1 } });
  assert.deepEqual(Array.from(b.coefficients), Array.from(a.coefficients));
  assert.deepEqual(Array.from(b.logAlpha), Array.from(a.logAlpha));
});

test('gates and their probabilities stay in [0, 1] for any temperature and stretch; a bad stretch is refused', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.05, max: 5, noNaN: true }),
      fc.double({ min: -1, max: -1e-3, noNaN: true }),
      fc.double({ min: 1.001, max: 2, noNaN: true }),
      fc.double({ min: -8, max: 8, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (beta, gamma, zeta, logAlpha, u) => {
        const g = { beta, gamma, zeta };
        const z = sampleGate(logAlpha, u, g);
        const d = deterministicGate(logAlpha, g);
        const p = probNonZero(logAlpha, g);
        assert.ok(z >= 0 && z <= 1 && d >= 0 && d <= 1 && p >= 0 && p <= 1);
      },
    ),
  );
  assert.throws(() => fitGram(randomStats(1, 3, 1), { lambda: 1e-3, seed: 1, gate: { beta: 2 / 3, gamma: 0.1, zeta: 1.1 } }), /gamma < 0 and zeta > 1/);
});
