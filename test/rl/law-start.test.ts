import '../support/seed.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { initBackend } from '../../src/backend.js';
import { SparseActor } from '../../src/rl/sparse-actor.js';
import { lawStartWeights } from '../../src/rl/law-start.js';
import { trainTd3, defaultTrainConfig, selectionCases, type TrainConfig } from '../../src/rl/off-policy.js';
import { lawToJson, loadLaw } from '../../src/law/io.js';
import { mul, num } from '../../src/expr/ast.js';
import { Rng } from '../../src/util/rng.js';
import { evaluateCases } from '../../src/rl/evaluate.js';
import { getEnvEntry, resolveEnvOptions } from '../../src/envs/index.js';
import type { LawDocument } from '../../src/law/document.js';

const SPEC = { inputNames: ['cos_theta', 'sin_theta', 'theta_dot'], actionNames: ['torque'], inputScale: Float64Array.of(1, 1, 8), actionLow: Float64Array.of(-2), actionHigh: Float64Array.of(2), seed: 3 };

/** A hardened sparse actor with random coefficients and random open gates. */
function hardActor(seed: number, library: string, linearGain: number): SparseActor {
  const actor = new SparseActor({ ...SPEC, seed }, library, 5e-3, { linearGain });
  const rng = Rng.seeded(seed);
  const p = actor.library.terms.length;
  actor.setWeights([Float32Array.from({ length: p }, () => rng.normal() * 0.5), Float32Array.from({ length: p }, () => rng.range(-6, 6))]);
  actor.harden();
  return actor;
}

test('a law written by a sparse actor starts another with the same coefficients, gates and actions', async () => {
  await initBackend();
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom('poly:3', 'poly:3+fourier:1', 'poly:2'), fc.constantFrom(1, 4.5), (seed, library, linearGain) => {
      const source = hardActor(seed, library, linearGain);
      const copy = new SparseActor({ ...SPEC, seed: seed + 1 }, library, 5e-3, { linearGain: linearGain === 1 ? 4.5 : 1 });
      try {
        const law = source.toLaw();
        const weights = lawStartWeights(law, source.library, SPEC);
        const expected = source.coefficients();
        expected.forEach((w, i) => assert.ok(Math.abs(weights[i]! - w) <= 1e-9 * Math.max(1, Math.abs(w)), `weight ${i}: ${weights[i]} vs ${w}`));
        copy.startFromLaw(law);
        assert.deepEqual(Array.from(copy.frozenMask!), Array.from(expected, (w) => (w !== 0 ? 1 : 0)));
        assert.deepEqual(copy.sparsity(), source.sparsity());
        const rng = Rng.seeded(seed);
        for (let i = 0; i < 20; i++) {
          const th = rng.range(-Math.PI, Math.PI);
          const obs = Float64Array.of(Math.cos(th), Math.sin(th), rng.range(-8, 8));
          // xi is float32 in both actors, scaled by different linear gains: agreement to float32 rounding.
          assert.ok(Math.abs(copy.act(obs)[0]! - source.act(obs)[0]!) < 1e-4, `actions differ at ${Array.from(obs)}`);
        }
      } finally {
        source.dispose();
        copy.dispose();
      }
    }),
    { numRuns: 25 },
  );
});

test('a start law is refused, with the output and term named, unless it is tanh of a sum of library terms', async () => {
  await initBackend();
  const actor = hardActor(11, 'poly:3', 1);
  const law = actor.toLaw();
  actor.dispose();
  assert.ok(law.outputs[0]!.terms.some((t) => /\^/.test(t.term)), 'seed 11 keeps a term of degree above 1');
  const poly1 = new SparseActor(SPEC, 'poly:1', 5e-3);
  try {
    assert.throws(() => lawStartWeights(law, poly1.library, SPEC, 'law.json'), /^SparselawError: law\.json: torque, term "[^"]*\^[^"]*" is not a term of the library poly:1$/);
  } finally {
    poly1.dispose();
  }
  const lib = new SparseActor(SPEC, 'poly:3', 5e-3);
  try {
    const scaled: LawDocument = { ...law, outputs: [{ ...law.outputs[0]!, expr: mul(num(0.5), law.outputs[0]!.expr) }] };
    assert.throws(() => lawStartWeights(scaled, lib.library, SPEC, 'law.json'), /^SparselawError: law\.json: torque's expression is not 2 \* tanh\(sum of its terms table\) \(at cos_theta = /);
    const repeated: LawDocument = { ...law, outputs: [{ ...law.outputs[0]!, terms: [...law.outputs[0]!.terms, law.outputs[0]!.terms[0]!] }] };
    assert.throws(() => lawStartWeights(repeated, lib.library, SPEC, 'law.json'), /repeats a term listed before it/);
    assert.throws(() => lawStartWeights({ ...law, inputs: [...law.inputs, 'omega'] }, lib.library, SPEC, 'law.json'), /^SparselawError: law\.json: input "omega" is not an input of the agent \(cos_theta, sin_theta, theta_dot\)$/);
    assert.throws(() => lawStartWeights({ ...law, outputs: [{ ...law.outputs[0]!, name: 'force' }] }, lib.library, SPEC, 'law.json'), /^SparselawError: law\.json: no output "torque"/);
    const bad: LawDocument = { ...law, outputs: [{ ...law.outputs[0]!, terms: [{ term: 'theta_dot +* 2', coefficient: 1 }] }] };
    assert.throws(() => lawStartWeights(bad, lib.library, SPEC, 'law.json'), /^SparselawError: law\.json: torque, term "theta_dot \+\* 2": /);
  } finally {
    lib.dispose();
  }
});

function tinyConfig(startLaw: LawDocument): TrainConfig {
  const c = defaultTrainConfig({ policy: 'poly:3', episodes: 8, warmupEpisodes: 2, updateAfterEpisodes: 2, updatesPerEpisode: 6, batchSize: 32, evalEvery: 2, evalEpisodes: 2, hardenAfter: 5, seed: 7, selectOn: 'default' });
  c.td3.criticHidden = [16, 16];
  c.startLaw = { source: 'start.json', law: lawToJson(startLaw) };
  return c;
}

test('TD3 from a start law: the law is candidate 0, its terms stay, and a resumed run ends where the uninterrupted one does', async () => {
  await initBackend();
  const start = hardActor(5, 'poly:3', 1);
  const law = start.toLaw();
  const entry = getEnvEntry('pendulum');
  const config = tinyConfig(law);
  const startScore = evaluateCases((x) => start.act(x), entry.create(resolveEnvOptions(entry)), selectionCases(entry, config)!).map((r) => r.return);
  const startMean = startScore.reduce((s, v) => s + v, 0) / startScore.length;
  start.dispose();
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-start-'));
  try {
    const full = await trainTd3(config, { outDir: join(dir, 'full') });
    const kept = loadLaw(join(dir, 'full', 'law.json'));
    assert.equal(kept.meta?.startLaw, 'start.json');
    assert.deepEqual(kept.outputs[0]!.terms.map((t) => t.term), law.outputs[0]!.terms.map((t) => t.term));
    const s = full.selection!;
    assert.ok(s.mean >= startMean - 1e-6 * Math.abs(startMean), `the kept actor (${s.mean}) is not worse on selection than the start law (${startMean})`);
    const split = await trainTd3(config, { outDir: join(dir, 'split'), untilEpisode: 3 });
    assert.equal(split.completed, false);
    const resumed = await trainTd3(config, { outDir: join(dir, 'split'), resume: true });
    assert.deepEqual(resumed.history.map((h) => h.return), full.history.map((h) => h.return));
    assert.deepEqual(resumed.selection, full.selection);
    assert.deepEqual(resumed.finalEval, full.finalEval);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
