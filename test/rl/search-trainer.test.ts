import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SearchTrainer } from '../../src/rl/search/search-trainer.js';
import { checkSearchConfig, defaultSearchConfig, type SearchConfig } from '../../src/rl/search/config.js';
import { rolloutRunner, type RolloutOutcome, type RolloutTask } from '../../src/rl/search/rollouts.js';
import type { RolloutPool } from '../../src/rl/search/pool.js';
import { deterministicGate } from '../../src/l0/hard-concrete.js';
import { Rng } from '../../src/util/rng.js';
import '../support/seed.js';

const SETUP = { env: 'pendulum', envOptions: { g: 9.81 }, policy: 'poly:2', observeParameters: true };

/** A pool whose episodes are made up from a seed: returns and term statistics of any size, without an environment. */
function syntheticPool(seed: number, p: number): RolloutPool {
  const rng = Rng.seeded(seed);
  return {
    workers: 1,
    run: async (_weights: Float64Array[], tasks: readonly RolloutTask[]): Promise<RolloutOutcome[]> =>
      tasks.map(() => {
        const steps = 5 + rng.int(20);
        const centre = Float64Array.from({ length: p }, () => 3 * rng.normal());
        const spread = Float64Array.from({ length: p }, () => 0.1 + 2 * rng.uniform());
        const values = Array.from({ length: steps }, () => Float64Array.from(centre, (c, j) => c + spread[j]! * rng.normal()));
        const sum = Float64Array.from(centre, (_, j) => values.reduce((t, v) => t + v[j]!, 0));
        const sumSq = Float64Array.from(centre, (_, j) => values.reduce((t, v) => t + v[j]! ** 2, 0));
        return { return: 10 * rng.normal(), steps, sum, sumSq };
      }),
    close: async () => {},
  };
}

function trainer(overrides: Partial<SearchConfig>, seed: number): SearchTrainer {
  const config = defaultSearchConfig('pendulum', { policy: 'poly:2', iterations: 50, hardenAfter: 50, directions: 4, top: 2, rollouts: 2, seed, ...overrides });
  const runner = rolloutRunner({ ...SETUP, policy: config.policy });
  return new SearchTrainer(config, runner.law, syntheticPool(seed, runner.law.p), []);
}

const counters = () => ({ seconds: 0, updateSeconds: 0, envSteps: 0 });

test('search: with centring, the law over the raw terms acts as the gated coefficients on the centred, scaled terms', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }), async (seed, iterations, input) => {
      const t = trainer({ center: true }, seed);
      for (let i = 0; i < iterations; i++) await t.iterate(i, () => {}, counters());
      const s = t.checkpointState();
      const law = t.dictionary;
      const theta = Float64Array.from(law.featuresOf(input));
      const w = t.centreWeights();
      const n = s.features.count;
      for (let k = 0; k < law.a; k++) {
        let raw = 0;
        let normalised = 0;
        for (let j = 0; j < law.p; j++) {
          raw += w[j * law.a + k]! * theta[j]!;
          const i = j * law.a + k;
          const g = deterministicGate(s.logAlpha[i]!);
          if (j === 0) {
            normalised += s.xi[i]! * g * theta[j]!;
            continue;
          }
          const mean = s.features.sum[j]! / n;
          const sd = Math.max(1e-2, Math.sqrt(Math.max(0, s.features.sumSq[j]! / n - mean ** 2)));
          normalised += (s.xi[i]! * g * (theta[j]! - mean)) / sd;
        }
        assert.ok(Math.abs(raw - normalised) <= 1e-9 * (1 + Math.abs(normalised)) + 1e-6 * law.p, `output ${k}: ${raw} vs ${normalised}`);
      }
    }),
    { numRuns: 30 },
  );
});

test('search: hardening keeps at most maxTerms terms of the law, counting the constants that centring adds', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 12 }), fc.boolean(), async (seed, maxTerms, center) => {
      const t = trainer({ center, maxTerms }, seed);
      for (let i = 0; i < 3; i++) await t.iterate(i, () => {}, counters());
      t.harden();
      const { terms, gatesBinary } = t.actor.sparsity();
      assert.ok(gatesBinary);
      assert.ok(terms <= maxTerms, `${terms} terms > ${maxTerms}`);
    }),
    { numRuns: 40 },
  );
});

test('search: inside the pruning window the law only loses terms, the smallest coefficients first, under a cap that reaches maxTerms at its end', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), async (seed, maxTerms, window, center) => {
      const hardenAfter = 2;
      const t = trainer({ center, maxTerms, hardenAfter, pruneOver: window }, seed);
      for (let i = 0; i < hardenAfter; i++) await t.iterate(i, () => {}, counters());
      t.harden();
      const atHardening = t.actor.sparsity().terms;
      let previous = t.checkpointState();
      for (let k = 1; k <= window + 1; k++) {
        await t.iterate(hardenAfter + k - 1, () => {}, counters());
        const now = t.checkpointState();
        const terms = t.actor.sparsity().terms;
        const cap = maxTerms + Math.ceil(Math.max(0, atHardening - maxTerms) * (1 - Math.min(1, k / window)));
        assert.ok(terms <= cap, `iteration ${k} of the window: ${terms} terms > cap ${cap}`);
        // Dropped this iteration: none was larger than a survivor (both before this iteration's step).
        const dropped = previous.mask!.flatMap((m, i) => (m === 1 && now.mask![i] === 0 ? [Math.abs(previous.xi[i]!)] : []));
        const kept = now.mask!.flatMap((m, i) => (m === 1 ? [Math.abs(previous.xi[i]!)] : []));
        if (!center && dropped.length > 0) assert.ok(Math.max(...dropped) <= Math.min(...kept), `dropped ${Math.max(...dropped)} > kept ${Math.min(...kept)}`);
        now.mask!.forEach((m, i) => assert.ok(m <= previous.mask![i]!, `coefficient ${i} came back`));
        previous = now;
      }
      assert.ok(t.actor.sparsity().terms <= maxTerms);
    }),
    { numRuns: 40 },
  );
});

test('search: pruning windows, lambda ramps and selection protocols are checked before any rollout; a window or ramp of 0 is stored as none', () => {
  assert.equal(defaultSearchConfig('walker2d', { pruneOver: 0 }).pruneOver, undefined);
  assert.equal(defaultSearchConfig('walker2d', { lambdaRamp: 0 }).lambdaRamp, undefined);
  assert.ok(!('pruneOver' in defaultSearchConfig('pendulum')) && !('lambdaRamp' in defaultSearchConfig('pendulum')));
  const check = (o: Partial<SearchConfig>) => () => checkSearchConfig({ ...defaultSearchConfig('pendulum', { iterations: 50, hardenAfter: 40, maxTerms: 4 }), ...o });
  assert.throws(check({ pruneOver: 11 }), /pruning window \(11 iterations from the hardening iteration 40\) ends after the last iteration \(50\)/);
  assert.throws(check({ pruneOver: 5, maxTerms: undefined }), /shrinks the law to max terms/);
  assert.throws(check({ pruneOver: 5, hardenAfter: 0 }), /dense search/);
  assert.throws(check({ pruneOver: 1.5 }), /non-negative integer/);
  assert.doesNotThrow(check({ pruneOver: 10 }));
  assert.throws(check({ selectOn: 'beyond' }), /pendulum has no evaluation protocol "beyond" \(it has: default, last\)/);
  assert.doesNotThrow(check({ selectOn: 'default' }));
  assert.throws(check({ lambdaRamp: 1.5 }), /lambda ramp is a fraction of the iterations in \[0, 1\], got 1.5/);
  assert.doesNotThrow(check({ lambdaRamp: 1 }));
});

test('search: a reward shift takes shift x steps off a training episode and changes nothing else', () => {
  const runner = rolloutRunner(SETUP);
  const w = Float64Array.from({ length: runner.law.p * runner.law.a }, (_, i) => Math.sin(i + 1));
  const task = { candidate: 0, seed: 7, horizon: 60 };
  const [plain, shifted] = runner.run([w], [task, { ...task, rewardShift: 1.5 }]);
  assert.equal(shifted!.steps, plain!.steps);
  assert.equal(shifted!.return, plain!.return - 1.5 * plain!.steps);
  assert.deepEqual(Array.from(shifted!.sumSq), Array.from(plain!.sumSq));
});

test('search: centring is refused for a library without a constant term, and without normalisation', () => {
  assert.throws(() => trainer({ center: true, policy: 'custom{sin_theta; theta_dot}' }, 1), /centring the terms needs a constant term/);
  assert.throws(() => checkSearchConfig(defaultSearchConfig('pendulum', { center: true, normalize: false })), /centring the terms \(center\) needs normalize/);
});

test('search, L1: hardening keeps exactly the largest coefficients at or above the threshold, at most maxTerms of them', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), async (seed, maxTerms, threshold) => {
      const t = trainer({ penalty: 'l1', pruneBelow: threshold, maxTerms, lambda: 0.5 }, seed);
      for (let i = 0; i < 3; i++) await t.iterate(i, () => {}, counters());
      const before = t.checkpointState();
      const rng = Rng.seeded(seed);
      const xi = before.xi.map(() => (rng.uniform() < 0.3 ? 0 : 2 * rng.normal()));
      await t.restore({ ...before, xi: [...xi] }, new Map(), 'test');
      t.harden();
      const after = t.checkpointState();
      const expected = xi.map((x, i) => ({ x, i })).filter(({ x }) => Math.abs(x) >= threshold && x !== 0).sort((a, b) => Math.abs(b.x) - Math.abs(a.x) || a.i - b.i).slice(0, maxTerms).map(({ i }) => i).sort((a, b) => a - b);
      const kept = after.mask!.flatMap((m, i) => (m === 1 ? [i] : []));
      assert.deepEqual(kept, expected.filter((i) => xi[i] !== 0));
      kept.forEach((i) => assert.equal(after.xi[i], xi[i]));
      assert.ok(t.actor.sparsity().terms <= maxTerms);
    }),
    { numRuns: 40 },
  );
});

test('search, L1: before pruning the penalty moves every coefficient toward zero by its sign', async () => {
  const t = trainer({ penalty: 'l1', lambda: 1e9 }, 11);
  await t.iterate(0, () => {}, counters());
  const s0 = t.checkpointState();
  await t.restore({ ...s0, xi: s0.xi.map((_, i) => (i % 2 === 0 ? 1 : -1)), adam: { m: s0.adam.m.map(() => 0), v: s0.adam.v.map(() => 0), t: 0 } }, new Map(), 'test');
  await t.iterate(1, () => {}, counters());
  const s1 = t.checkpointState();
  s1.xi.forEach((x, i) => assert.ok(i % 2 === 0 ? x < 1 : x > -1, `coefficient ${i}: ${x}`));
  assert.throws(() => checkSearchConfig(defaultSearchConfig('pendulum', { pruneBelow: 0.1 })), /pruning threshold applies to the L1 penalty only/);
  // An environment may default to L1 (ks); the gates stay one option away.
  assert.equal(defaultSearchConfig('pendulum').penalty, 'l0');
  assert.equal(defaultSearchConfig('ks').penalty, 'l1');
  assert.equal(defaultSearchConfig('ks', { penalty: 'l0' }).penalty, 'l0');
});

test('search: hardening at 0 searches the dense law, every coefficient moving and no gate, the same under either penalty', async () => {
  const t = trainer({ hardenAfter: 0, maxTerms: 3 }, 5);
  const l1 = trainer({ hardenAfter: 0, maxTerms: 3, penalty: 'l1', lambda: 50 }, 5);
  for (let i = 0; i < 3; i++) {
    await t.iterate(i, () => {}, counters());
    await l1.iterate(i, () => {}, counters());
  }
  const law = t.dictionary;
  assert.deepEqual(t.actor.sparsity(), { terms: law.p * law.a, gatesBinary: true });
  assert.ok(t.checkpointState().xi.every((x) => x !== 0));
  assert.deepEqual(l1.checkpointState().xi, t.checkpointState().xi);
});
