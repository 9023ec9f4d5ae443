import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainSearch, type SearchResult } from '../../src/rl/search/es.js';
import { defaultSearchConfig, type SearchConfig } from '../../src/rl/search/config.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

function config(overrides: Partial<SearchConfig> = {}): SearchConfig {
  return defaultSearchConfig('pendulum', {
    policy: 'poly:2',
    lambda: 1,
    iterations: 12,
    directions: 4,
    top: 2,
    step: 0.05,
    rollouts: 2,
    horizon: 50,
    hardenAfter: 8,
    maxTerms: 8,
    evalEvery: 6,
    seed: 3,
    ...overrides,
  });
}

test('the search gives the same law, history and weights for any number of rollout workers', async () => {
  const one = await trainSearch(config(), { workers: 1 });
  const two = await trainSearch(config(), { workers: 2 });
  assert.deepEqual(Array.from(two.weights), Array.from(one.weights));
  assert.deepEqual(two.history.map((h) => [h.return, h.terms, h.envSteps]), one.history.map((h) => [h.return, h.terms, h.envSteps]));
  assert.ok(one.law && one.terms !== undefined && one.terms <= 8);
  assert.equal(one.law.metrics?.kind, 'training');
});

async function resumedMatchesWhole(overrides: Partial<SearchConfig>, stopAt: number): Promise<SearchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-es-'));
  try {
    const whole = await trainSearch(config(overrides), { workers: 1, outDir: join(dir, 'whole') });
    const part = await trainSearch(config(overrides), { workers: 1, outDir: join(dir, 'part'), untilEpisode: stopAt });
    assert.equal(part.completed, false);
    const resumed = await trainSearch(config(overrides), { workers: 1, outDir: join(dir, 'part'), resume: true });
    assert.equal(resumed.completed, true);
    assert.deepEqual(Array.from(resumed.weights), Array.from(whole.weights));
    assert.deepEqual(resumed.history.map((h) => [h.return, h.terms]), whole.history.map((h) => [h.return, h.terms]));
    const law = (d: string) => JSON.parse(readFileSync(join(dir, d, 'law.json'), 'utf8')).outputs;
    assert.deepEqual(law('part'), law('whole'));
    return whole;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a search stopped at an iteration and resumed ends bit-for-bit where an uninterrupted one ends', async () => {
  await resumedMatchesWhole({}, 5);
});

test("a search stopped inside its pruning window resumes bit-for-bit, and the law shrinks to max terms by the window's end", async () => {
  const whole = await resumedMatchesWhole({ hardenAfter: 4, pruneOver: 5, maxTerms: 3 }, 6);
  const terms = whole.history.map((h) => h.terms!);
  for (let i = 4; i < terms.length; i++) assert.ok(terms[i]! <= terms[i - 1]!, `terms rose from ${terms[i - 1]} to ${terms[i]} at iteration ${i + 1}`);
  assert.ok(terms[3]! > 3, `the law had ${terms[3]} terms at hardening: the window had nothing to prune`);
  assert.ok(terms.slice(8).every((t) => t <= 3), `terms after the window: ${terms.slice(8)}`);
});

test('train --algo es stops on SIGINT with a checkpoint, and --resume finishes the run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-es-cli-'));
  try {
    const args = ['train', 'pendulum', '--algo', 'es', '--iterations', '400', '--workers', '1', '--seed', '2', '--out', join(dir, 'run')];
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      if (/iteration|iterations/.test(err) && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 130, err);
    assert.ok(existsSync(join(dir, 'run', 'checkpoint.bin')) || existsSync(join(dir, 'run', 'checkpoint.json')), 'a checkpoint is saved');
    const bad = spawn(process.execPath, [BIN, 'train', 'pendulum', '--algo', 'es', '--critic-width', '8', '--out', join(dir, 'x')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let badErr = '';
    bad.stderr.on('data', (b: Buffer) => (badErr += b.toString()));
    assert.equal(await new Promise<number | null>((resolve) => bad.on('exit', (c) => resolve(c))), 1);
    assert.match(badErr, /--algo es does not use --critic-width \(TD3 options\)/);
    const td3 = spawn(process.execPath, [BIN, 'train', 'pendulum', '--iterations', '5', '--no-normalize', '--out', join(dir, 'y')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let td3Err = '';
    td3.stderr.on('data', (b: Buffer) => (td3Err += b.toString()));
    assert.equal(await new Promise<number | null>((resolve) => td3.on('exit', (c) => resolve(c))), 1);
    assert.match(td3Err, /TD3 does not use --iterations, --no-normalize \(options of --algo es\)/);
    assert.ok(!existsSync(join(dir, 'y')), 'nothing is written');
    const centred = spawn(process.execPath, [BIN, 'train', 'pendulum', '--algo', 'es', '--center', '--policy', 'custom{sin_theta; theta_dot}', '--out', join(dir, 'z')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let centredErr = '';
    centred.stderr.on('data', (b: Buffer) => (centredErr += b.toString()));
    assert.equal(await new Promise<number | null>((resolve) => centred.on('exit', (c) => resolve(c))), 1);
    assert.match(centredErr, /--center needs a constant term in the library/);
    assert.ok(!existsSync(join(dir, 'z')), 'no run directory for a run that cannot start');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a search run's directory reads as iterations: summary.json names them, the report's charts count them", async () => {
  const { readTrainingRun } = await import('../../src/report/run-dir.js');
  const { learningCurveChart, activeTermsChart } = await import('../../src/report/training-charts.js');
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-es-report-'));
  try {
    await trainSearch(config(), { workers: 1, outDir: dir });
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    assert.equal(summary.config.iterations, 12);
    assert.equal(summary.config.episodes, undefined);
    assert.equal(summary.envSteps, summary.config.iterations * (2 * 4 + 1) * 2 * 50);
    const run = readTrainingRun(dir);
    assert.equal(run.config.iterations, 12);
    assert.equal(run.config.hardenAfter, 8);
    assert.equal(run.episodes.length, 12);
    const title = (spec: unknown) => JSON.stringify(spec).match(/"title":"(iteration|episode)"/)?.[1];
    assert.equal(title(learningCurveChart(run).spec), 'iteration');
    assert.equal(title(activeTermsChart(run)!.spec), 'iteration');
    assert.match(readFileSync(join(dir, 'returns.csv'), 'utf8'), /^episode,return,population_mean,eval_mean,eval_std,select_mean,terms,updates,env_steps,seconds\n1,/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with --select-on the search keeps its best settled law on the selection episodes, counts their steps, and resumes bit-for-bit', async () => {
  const selecting = { selectOn: 'default', evalEvery: 2, hardenAfter: 4, pruneOver: 2, maxTerms: 4, iterations: 14 };
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-es-select-'));
  try {
    const result = await resumedMatchesWhole(selecting, 7);
    const plain = await trainSearch(config({ ...selecting, selectOn: undefined }), { workers: 1 });
    const scored = result.history.filter((h) => h.selectionMean !== undefined);
    // Settled from the end of the window (iteration 6) on, at every evaluation.
    assert.deepEqual(scored.map((h) => h.episode), [6, 8, 10, 12, 14]);
    const best = scored.reduce((b, h) => (h.selectionMean! > b.selectionMean! ? h : b));
    assert.equal(result.selection?.episode, best.episode);
    assert.equal(result.selection?.mean, best.selectionMean);
    // Pendulum episodes last 200 steps: 10 selection episodes at each of 5 selections.
    assert.equal(result.envSteps - plain.envSteps, 5 * 10 * 200);
    assert.deepEqual(result.history.map((h) => h.return), plain.history.map((h) => h.return));
    if (best.episode !== 14) {
      assert.notDeepEqual(Array.from(result.weights), Array.from(plain.weights));
      const kept = await trainSearch(config({ ...selecting, selectOn: undefined, iterations: best.episode, hardenAfter: 4 }), { workers: 1, outDir: dir });
      assert.deepEqual(Array.from(result.weights), Array.from(kept.weights));
    } else {
      assert.deepEqual(Array.from(result.weights), Array.from(plain.weights));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with a lambda ramp the first update is the one without a penalty, and the next ones differ', async () => {
  const ramped = await trainSearch(config({ lambda: 50, lambdaRamp: 0.5, hardenAfter: 12 }), { workers: 1 });
  const free = await trainSearch(config({ lambda: 0, hardenAfter: 12 }), { workers: 1 });
  const whole = await trainSearch(config({ lambda: 50, hardenAfter: 12 }), { workers: 1 });
  // Iteration i's return is the centre law after i - 1 updates.
  assert.equal(ramped.history[1]!.return, free.history[1]!.return);
  assert.notEqual(ramped.history[1]!.return, whole.history[1]!.return);
  assert.ok(ramped.history.slice(2).some((h, i) => h.return !== free.history[i + 2]!.return), 'the ramped penalty never acted');
});
