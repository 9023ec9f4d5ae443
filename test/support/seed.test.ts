import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TEST_SEED } from './seed.js';

test('property tests run with the suite seed and a failure names it', () => {
  assert.equal(fc.readConfigureGlobal().seed, TEST_SEED);
  assert.throws(
    () => fc.assert(fc.property(fc.integer(), (n) => n !== n)),
    (e: unknown) => e instanceof Error && e.message.includes(`SPARSELAW_TEST_SEED=${TEST_SEED}`),
  );
});

test('the same seed draws the same values', () => {
  const a = fc.sample(fc.integer(), { numRuns: 5, seed: TEST_SEED });
  const b = fc.sample(fc.integer(), { numRuns: 5, seed: TEST_SEED });
  assert.deepEqual(a, b);
});

test('async property failures name the seed too', async () => {
  await assert.rejects(
    fc.assert(fc.asyncProperty(fc.integer(), async (n) => n !== n)),
    (e: unknown) => e instanceof Error && e.message.includes(`SPARSELAW_TEST_SEED=${TEST_SEED}`),
  );
});
