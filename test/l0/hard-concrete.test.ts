import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { probNonZero, deterministicGate, sampleGate, sampleGateWithGrad } from '../../src/l0/hard-concrete.js';
import { Rng } from '../../src/util/rng.js';

const logAlpha = fc.double({ min: -30, max: 30, noNaN: true });
const uniform = fc.double({ min: 0, max: 1, noNaN: true });

test('sampled and deterministic gates stay in [0, 1] and P(z != 0) in (0, 1]', () => {
  fc.assert(
    fc.property(logAlpha, uniform, (a, u) => {
      const z = sampleGate(a, u);
      const g = deterministicGate(a);
      const p = probNonZero(a);
      return z >= 0 && z <= 1 && g >= 0 && g <= 1 && p >= 0 && p <= 1 && Number.isFinite(sampleGateWithGrad(a, u).dz);
    }),
    { numRuns: 500 },
  );
});

test('sampleGateWithGrad matches sampleGate and a finite difference of it', () => {
  fc.assert(
    fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (a, u) => {
      const { z, dz } = sampleGateWithGrad(a, u);
      assert.equal(z, sampleGate(a, u));
      const h = 1e-6;
      const up = sampleGate(a + h, u);
      const down = sampleGate(a - h, u);
      // Skip points where the clamp switches inside the difference stencil.
      if ((up === 0 || up === 1 || down === 0 || down === 1) && up !== down) return;
      assert.ok(Math.abs((up - down) / (2 * h) - dz) < 1e-5 * Math.max(1, Math.abs(dz)), `dz ${dz} vs fd ${(up - down) / (2 * h)}`);
    }),
    { numRuns: 300 },
  );
});

test('P(z != 0) agrees with Monte Carlo sampling', () => {
  const rng = Rng.seeded(7);
  for (const a of [-4, -1, 0, 1.5, 4]) {
    const draws = 40000;
    let nonZero = 0;
    for (let i = 0; i < draws; i++) if (sampleGate(a, rng.uniform()) > 0) nonZero++;
    const p = probNonZero(a);
    const se = Math.sqrt((p * (1 - p)) / draws);
    assert.ok(Math.abs(nonZero / draws - p) < 5 * se + 1e-4, `logAlpha ${a}: MC ${nonZero / draws} vs ${p}`);
  }
});

test('gates are exactly 0 or 1 far from the origin, and the deterministic gate is monotone', () => {
  assert.equal(deterministicGate(-10), 0);
  assert.equal(deterministicGate(10), 1);
  assert.equal(sampleGate(-40, 0.5), 0);
  assert.equal(sampleGate(40, 0.5), 1);
  fc.assert(fc.property(logAlpha, logAlpha, (a, b) => (a <= b ? deterministicGate(a) <= deterministicGate(b) : true)));
});
