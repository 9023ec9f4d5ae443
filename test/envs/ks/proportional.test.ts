import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateProportional, evaluateProportionalParallel, proportionalPolicy } from '../../../src/envs/ks/proportional.js';
import { SparselawError } from '../../../src/errors.js';

test('the proportional policy is clip(-k m, -1, 1) per co-located sensor', () => {
  const p = proportionalPolicy(2);
  assert.deepEqual(Array.from(p(Float64Array.of(0.1, -0.2, 0.6, -3, 0, 0.5, -0.5, 1))), [-0.2, 0.4, -1, 1, -0, -1, 1, -1]);
  assert.throws(() => proportionalPolicy(Number.NaN), SparselawError);
});

test('worker threads return the same results as the serial evaluation, in task order', async () => {
  const tasks = [
    { mu: 0.05, gain: 1, sensorNoise: 0.25, seed: 3 },
    { mu: 0.05, gain: 0, sensorNoise: 0, seed: 0 },
    { mu: 0.05, gain: 2, sensorNoise: 0, seed: 0 },
  ];
  const parallel = await evaluateProportionalParallel(tasks, 2);
  assert.deepEqual(parallel, tasks.map(evaluateProportional));
  assert.ok(parallel[2]!.return > parallel[1]!.return, 'feedback beats no control');
});
