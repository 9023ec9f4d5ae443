import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend.js';
import { MlpActor } from '../../src/rl/mlp-actor.js';
import { SparseActor } from '../../src/rl/sparse-actor.js';
import { trainTd3, defaultTrainConfig, type TrainConfig } from '../../src/rl/off-policy.js';
import { exportLaw } from '../../src/export/law.js';
import { compileRow } from '../../src/expr/compile.js';
import { Rng } from '../../src/util/rng.js';
import { Td3 } from '../../src/rl/td3.js';
import { readCheckpoint, writeCheckpoint } from '../../src/rl/checkpoint.js';
import { loadTrainedPolicy } from '../../src/rl/trained-policy.js';
import { evaluateCases } from '../../src/rl/evaluate.js';
import { evaluationCases } from '../../src/rl/off-policy.js';
import { selectionCases } from '../../src/rl/train-config.js';
import { getEnvEntry, resolveEnvOptions } from '../../src/envs/index.js';
import { loadLaw } from '../../src/law/io.js';

const SPEC = { inputNames: ['cos_theta', 'sin_theta', 'theta_dot'], actionNames: ['torque'], inputScale: Float64Array.of(1, 1, 8), actionLow: Float64Array.of(-2), actionHigh: Float64Array.of(2), seed: 3 };
const obsArb = fc.tuple(fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }), fc.double({ min: -8, max: 8, noNaN: true })).map(([th, w]) => Float64Array.of(Math.cos(th), Math.sin(th), w));

/** A sparse actor with random coefficients and gates, some closed, some open, some in between. */
function randomActor(seed: number, library = 'poly:3+fourier:1', linearGain = 1): SparseActor {
  const actor = new SparseActor({ ...SPEC, seed }, library, 5e-3, { linearGain });
  const rng = Rng.seeded(seed);
  const p = actor.library.terms.length;
  actor.setWeights([Float32Array.from({ length: p }, () => rng.normal() * 0.3), Float32Array.from({ length: p }, () => rng.range(-6, 6))]);
  return actor;
}

for (const linearGain of [1, 3.5]) test(`sparse actor (linear gain ${linearGain}): the JS action, the tfjs action and the exported law agree`, async () => {
  await initBackend();
  const actor = randomActor(1, 'poly:3+fourier:1', linearGain);
  const law = actor.toLaw();
  assert.equal(law.outputs[0]!.name, 'torque');
  const lawFn = compileRow([law.outputs[0]!.expr], law.inputs);
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-actor-'));
  try {
    const file = join(dir, 'law.mjs');
    writeFileSync(file, exportLaw(law, 'js'));
    const mod = (await import(pathToFileURL(file).href)) as { default: (x: Record<string, number>) => Record<string, number> };
    const points = fc.sample(obsArb, { seed: 2, numRuns: 200 });
    const batch = Float32Array.from(points.flatMap((p) => Array.from(p)));
    const viaTf = tf.tidy(() => actor.forward(batch, points.length, 'deterministic').dataSync());
    points.forEach((obs, r) => {
      // The batch went through float32; compare the JS paths on the same rounded observation.
      const o32 = Float64Array.from(obs, Math.fround);
      const js = actor.act(o32)[0]!;
      const out = new Float64Array(1);
      lawFn(o32, out);
      const exported = mod.default({ cos_theta: o32[0]!, sin_theta: o32[1]!, theta_dot: o32[2]! }).torque!;
      assert.ok(Math.abs(js) <= 2);
      assert.ok(Math.abs(out[0]! - js) < 1e-9, `law ${out[0]} vs actor ${js}`);
      assert.ok(Math.abs(exported - js) < 1e-9, `exported ${exported} vs actor ${js}`);
      assert.ok(Math.abs(viaTf[r]! - js) < 1e-4, `tfjs ${viaTf[r]} vs actor ${js}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sparse actor: sampled gates stay in [0, 1], hardening makes them exactly 0 or 1 without changing the action', async () => {
  await initBackend();
  const actor = randomActor(2, 'poly:3');
  const before = fc.sample(obsArb, { seed: 3, numRuns: 50 }).map((o) => [o, actor.act(o)[0]!] as const);
  const { gate } = actor.gateValues();
  assert.ok(gate.some((g) => g > 0 && g < 1), 'the fixture should have fractional gates');
  actor.harden();
  const after = actor.gateValues().gate;
  assert.ok(after.every((g) => g === 0 || g === 1));
  for (const [o, a] of before) assert.ok(Math.abs(actor.act(o)[0]! - a) < 1e-6);
  const rng = Rng.seeded(1);
  const unfrozen = randomActor(3, 'poly:2');
  for (let i = 0; i < 20; i++) {
    const z = tf.tidy(() => {
      const w = unfrozen.forward(Float32Array.of(1, 0, 0), 1, 'sample', rng);
      return w.dataSync()[0]!;
    });
    assert.ok(Math.abs(z) <= 2 + 1e-6);
  }
});

test('mlp actor: the plain-JS forward pass equals the tfjs one', async () => {
  await initBackend();
  const actor = new MlpActor(SPEC, [16, 16]);
  const points = fc.sample(obsArb, { seed: 5, numRuns: 30 });
  const batch = Float32Array.from(points.flatMap((p) => Array.from(p)));
  const viaTf = tf.tidy(() => actor.forward(batch, points.length).dataSync());
  points.forEach((obs, r) => assert.ok(Math.abs(actor.act(Float64Array.from(obs, Math.fround))[0]! - viaTf[r]!) < 1e-5));
  actor.dispose();
});

function tinyConfig(policy: string): TrainConfig {
  const c = defaultTrainConfig({ policy, episodes: 6, warmupEpisodes: 2, updateAfterEpisodes: 2, updatesPerEpisode: 6, batchSize: 32, evalEvery: 3, evalEpisodes: 2, hardenAfter: 5, seed: 7 });
  c.td3.criticHidden = [16, 16];
  c.td3.actorHidden = [16, 16];
  return c;
}

for (const policy of ['poly:2', 'mlp']) {
  test(`TD3 (${policy}): a run resumed from its checkpoint ends exactly where the uninterrupted run ends`, async () => {
    await initBackend();
    const dir = mkdtempSync(join(tmpdir(), 'sparselaw-td3-'));
    try {
      const full = await trainTd3(tinyConfig(policy), { outDir: join(dir, 'full') });
      const first = await trainTd3(tinyConfig(policy), { outDir: join(dir, 'split'), untilEpisode: 4 });
      assert.equal(first.completed, false);
      assert.ok(!existsSync(join(dir, 'split', 'summary.json')));
      const resumed = await trainTd3(tinyConfig(policy), { outDir: join(dir, 'split'), resume: true });
      assert.ok(resumed.completed);
      assert.deepEqual(resumed.history.map((h) => h.return), full.history.map((h) => h.return));
      assert.deepEqual(resumed.finalEval, full.finalEval);
      if (policy !== 'mlp') {
        assert.equal(readFileSync(join(dir, 'split', 'law.json'), 'utf8').replace(/"seconds": [\d.e-]+/g, ''), readFileSync(join(dir, 'full', 'law.json'), 'utf8').replace(/"seconds": [\d.e-]+/g, ''));
        assert.equal(full.law!.metrics!.gatesBinary, true);
      }
      assert.match(readFileSync(join(dir, 'full', 'returns.csv'), 'utf8'), /^episode,return,eval_mean,eval_std,select_mean,terms,updates,env_steps,seconds\n1,/);
      await assert.rejects(trainTd3({ ...tinyConfig(policy), seed: 8 }, { outDir: join(dir, 'split'), resume: true }), /different settings: seed \(checkpoint: 7, now: 8\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('TD3: with criticWarmupUpdates the actor first moves on the first delayed step after the warm-up', async () => {
  await initBackend();
  const rng = Rng.seeded(5);
  const n = 32;
  const batch = {
    obs: Float32Array.from({ length: n * 3 }, () => rng.range(-1, 1)),
    action: Float32Array.from({ length: n }, () => rng.range(-2, 2)),
    reward: Float32Array.from({ length: n }, () => rng.range(-10, 0)),
    nextObs: Float32Array.from({ length: n * 3 }, () => rng.range(-1, 1)),
    terminal: new Float32Array(n),
    steps: new Float32Array(n).fill(1),
    size: n,
  };
  const options = { ...defaultTrainConfig({ policy: 'poly:2' }).td3, policy: 'poly:2', lambda: 1e-3, criticHidden: [8, 8], criticWarmupUpdates: 4 };
  const agent = await Td3.create(SPEC, options, 0.5, { threads: 1, maxBatch: n });
  try {
    const weights = (): string => JSON.stringify(agent.actor.getWeights().map((w) => Array.from(w)));
    const start = weights();
    for (let i = 0; i < 4; i++) assert.equal(agent.update(batch, rng).actorLoss, undefined);
    assert.equal(weights(), start, 'the actor must not move during the warm-up');
    assert.equal(agent.update(batch, rng).actorLoss, undefined);
    assert.notEqual(agent.update(batch, rng).actorLoss, undefined);
    assert.notEqual(weights(), start);
  } finally {
    agent.dispose();
  }
});

test('TD3: a checkpoint written before a setting existed resumes with that setting at its default', async () => {
  await initBackend();
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-td3-old-'));
  try {
    const path = join(dir, 'checkpoint.bin');
    await trainTd3(tinyConfig('poly:2'), { outDir: dir, untilEpisode: 4 });
    const { state, arrays } = readCheckpoint<{ config: { td3: Record<string, unknown> } }>(path);
    delete state.config.td3.criticWarmupUpdates;
    delete state.config.td3.sparseLinearGain;
    writeCheckpoint(path, state, [...arrays.values()]);
    // Selection is a top-level setting whose absence means "keep the last actor": the message names the option.
    await assert.rejects(trainTd3({ ...tinyConfig('poly:2'), selectOn: 'default' }, { outDir: dir, resume: true }), /different settings: selectOn .*resume with the same options \(this run keeps its last actor: add --select-on last\)$/);
    const resumed = await trainTd3(tinyConfig('poly:2'), { outDir: dir, resume: true });
    assert.ok(resumed.completed);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const policy of ['poly:2', 'mlp']) {
  test(`TD3 (${policy}) with selection: keeps the best candidate, resumes exactly, and the saved run acts with the kept actor`, async () => {
    await initBackend();
    const dir = mkdtempSync(join(tmpdir(), 'sparselaw-select-'));
    const config = (): TrainConfig => ({ ...tinyConfig(policy), episodes: 10, evalEvery: 1, selectOn: 'default' });
    try {
      const full = await trainTd3(config(), { outDir: join(dir, 'full') });
      const rows = readFileSync(join(dir, 'full', 'returns.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
      const candidates = rows.filter((r) => r[4] !== '').map((r) => ({ episode: Number(r[0]), score: Number(r[4]) }));
      // Candidates: the actor acts (after warm-up and the first updates) and, for a law, its gates are hard.
      const first = policy === 'mlp' ? 3 : 5;
      assert.deepEqual(candidates.map((c) => c.episode), Array.from({ length: 10 - first + 1 }, (_, i) => first + i));
      const best = candidates.reduce((a, b) => (b.score > a.score ? b : a));
      const s = full.selection!;
      assert.notEqual(s.episode, 10, 'seed 7 keeps an earlier actor, so the swap to the kept weights is exercised');
      assert.equal(s.episode, best.episode);
      assert.equal(s.mean, best.score);
      // Selection's episodes (200 steps each on the Pendulum) count with the 10 training episodes.
      assert.equal(full.envSteps, (10 + candidates.length * selectionCases(getEnvEntry('pendulum'), config())!.length) * 200);
      assert.equal(s.last.mean, full.history.at(-1)!.evalMean);
      // The final evaluation is the kept actor's, the one recorded at its episode.
      assert.equal(full.finalEval!.mean, full.history[s.episode - 1]!.evalMean);
      assert.equal(existsSync(join(dir, 'full', 'law-last.json')), policy !== 'mlp' && s.episode !== 10);
      if (policy !== 'mlp') assert.equal(loadLaw(join(dir, 'full', 'law.json')).metrics!.kind === 'training' && (loadLaw(join(dir, 'full', 'law.json')).metrics as { evaluationMean: number }).evaluationMean, full.finalEval!.mean);
      const trained = await loadTrainedPolicy(join(dir, 'full'));
      const entry = getEnvEntry('pendulum');
      const returns = evaluateCases(trained.act, entry.create(resolveEnvOptions(entry)), evaluationCases(entry, config())).map((r) => r.return);
      trained.dispose();
      assert.deepEqual(returns, full.finalEval!.returns);

      const split = await trainTd3(config(), { outDir: join(dir, 'split'), untilEpisode: 7 });
      assert.equal(split.completed, false);
      const resumed = await trainTd3(config(), { outDir: join(dir, 'split'), resume: true });
      assert.deepEqual(resumed.selection, full.selection);
      assert.deepEqual(resumed.finalEval, full.finalEval);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
