import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../support/seed.js';
import { centredRanks, randomSearch, type RandomSearchState } from '../../src/rl/random-search.js';
import { SparselawError } from '../../src/errors.js';

/** A badly scaled quadratic bowl: the scales given to the search make it round. */
const target = [3, -200, 0.05];
const scale = [1, 100, 0.01];
const bowl = async (thetas: Float64Array[]) => thetas.map((t) => t.reduce((s, x, i) => s + ((x - target[i]!) / scale[i]!) ** 2, 0));

test('random search: finds the minimum of a quadratic in units of the scales, and a seed fixes the run', async () => {
  const options = { iterations: 300, population: 4, sigma: 0.1, step: 0.05, seed: 3 };
  const a = await randomSearch([0, 0, 0], scale, bowl, options);
  assert.ok(a.initial > 13, `start value ${a.initial}`);
  assert.ok(a.best.value < 0.01, `best ${a.best.value}`);
  a.best.theta.forEach((x, i) => assert.ok(Math.abs(x - target[i]!) < 0.1 * scale[i]!, `coefficient ${i}: ${x}`));
  assert.equal(a.evaluations, 1 + 300 * 9);
  assert.equal(a.history.length, 300);
  // The best is the lowest value ever evaluated, so the recorded bests never increase.
  for (let i = 1; i < a.history.length; i++) assert.ok(a.history[i]!.best <= a.history[i - 1]!.best);
  const b = await randomSearch([0, 0, 0], scale, bowl, options);
  assert.deepEqual([...b.best.theta], [...a.best.theta]);
  const c = await randomSearch([0, 0, 0], scale, bowl, { ...options, seed: 4 });
  assert.notDeepEqual([...c.best.theta], [...a.best.theta]);
});

test('random search: reports every iteration and rejects bad settings and NaN objectives with a clear error', async () => {
  const seen: number[] = [];
  await randomSearch([1], [1], bowl, { iterations: 3, population: 2, sigma: 0.1, step: 0.1, seed: 1, onIteration: (p) => void seen.push(p.iteration) });
  assert.deepEqual(seen, [1, 2, 3]);
  const base = { iterations: 1, population: 1, sigma: 0.1, step: 0.1, seed: 1 };
  await assert.rejects(randomSearch([1, 2], [1], bowl, base), /2 start values but 1 scales/);
  await assert.rejects(randomSearch([1], [1], bowl, { ...base, population: 0 }), /population must be an integer >= 1/);
  await assert.rejects(randomSearch([1], [1], bowl, { ...base, sigma: 0 }), /sigma and step must be > 0/);
  await assert.rejects(randomSearch([1], [1], async (t) => t.map(() => NaN), base), (e: unknown) => e instanceof SparselawError && /objective is NaN at point 0 of 1/.test(e.message));
});

test('centred ranks: a permutation of evenly spaced values in [-0.5, 0.5] that keeps the order of the inputs', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 2, maxLength: 30 }), (values) => {
      const r = centredRanks(values);
      const sorted = [...r].sort((x, y) => x - y);
      sorted.forEach((x, i) => assert.ok(Math.abs(x - (i / (values.length - 1) - 0.5)) < 1e-12));
      for (let i = 0; i < values.length; i++) for (let j = 0; j < values.length; j++) if (values[i]! < values[j]!) assert.ok(r[i]! < r[j]!);
    }),
  );
});

test('random search: resuming from the state of iteration k (through JSON) ends exactly where the uninterrupted search ends', async () => {
  const options = { iterations: 40, population: 3, sigma: 0.1, step: 0.05, seed: 11 };
  const whole = await randomSearch([0, 0, 0], scale, bowl, options);
  let saved: unknown;
  await randomSearch([0, 0, 0], scale, bowl, { ...options, iterations: 17, onIteration: (p) => void (saved = JSON.parse(JSON.stringify(p.state))) });
  const resumed = await randomSearch([0, 0, 0], scale, bowl, { ...options, resume: saved as RandomSearchState });
  assert.deepEqual([...resumed.best.theta], [...whole.best.theta]);
  assert.equal(resumed.best.value, whole.best.value);
  assert.equal(resumed.evaluations, whole.evaluations);
  assert.equal(resumed.initial, whole.initial);
  assert.deepEqual(resumed.history, whole.history.slice(17));
  await assert.rejects(randomSearch([0, 0], [1, 1], bowl, { ...options, resume: saved as RandomSearchState }), /the state to resume has 3 coefficients, the search 2/);
});

test('random search: a stop request ends the search after the iteration it is asked at, and resuming from there ends where the whole search ends', async () => {
  const options = { iterations: 30, population: 2, sigma: 0.1, step: 0.05, seed: 5 };
  const whole = await randomSearch([0, 0, 0], scale, bowl, options);
  for (const at of [1, 9, 29]) {
    let saved: RandomSearchState | undefined;
    let last = 0;
    const stopped = await randomSearch([0, 0, 0], scale, bowl, {
      ...options,
      onIteration: (p) => {
        saved = JSON.parse(JSON.stringify(p.state));
        last = p.iteration;
      },
      stop: () => last >= at,
    });
    assert.equal(last, at);
    assert.equal(stopped.history.length, at);
    const resumed = await randomSearch([0, 0, 0], scale, bowl, { ...options, resume: saved });
    assert.deepEqual([...resumed.best.theta], [...whole.best.theta]);
    assert.equal(resumed.evaluations, whole.evaluations);
  }
});
