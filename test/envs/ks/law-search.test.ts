import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lawToJson, loadLaw } from '../../../src/export/law.js';
import { ksScheduleLaw, ksScheduleStart } from '../../../src/envs/ks/gain-schedule.js';
import { evaluateKsAgent } from '../../../src/envs/ks/agent-episodes.js';
import { saveLaw } from '../../../src/export/law.js';

const BIN = fileURLToPath(new URL('../../../src/cli/bin.js', import.meta.url));
const SEARCH = [BIN, 'search-law', 'ks'];
const POLY3 = fileURLToPath(new URL('../../../../examples/laws/ks-poly3.json', import.meta.url));
const QUICK = ['--population', '1', '--episode-steps', '10', '--noisy-episodes', '1', '--workers', '1'];

test('search-law ks: writes the best 56-term law with its provenance; the same seed gives the same law', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks-search-'));
  try {
    const run = (name: string, seed: string) => spawnSync(process.execPath, [...SEARCH, '--out', join(dir, name), '--iterations', '2', '--seed', seed, ...QUICK], { encoding: 'utf8' });
    const a = run('a.json', '5');
    assert.equal(a.status, 0, a.stderr);
    assert.match(a.stdout, /iteration 2\/2: centre [\d.]+, best [\d.]+ \(iteration \d\)/);
    assert.match(a.stdout, /objective \(mean log cost over the training cells\): start [\d.]+, best [\d.]+/);
    const law = loadLaw(join(dir, 'a.json'));
    assert.deepEqual(law.inputs, ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'mu']);
    assert.equal(law.outputs.reduce((s, o) => s + o.terms.length, 0), 56);
    assert.equal(law.meta?.seed, 5);
    assert.equal(law.meta?.iterationsDone, 2);
    assert.equal(run('b.json', '5').status, 0);
    const strip = (p: string) => JSON.parse(readFileSync(join(dir, p), 'utf8')).outputs;
    assert.deepEqual(strip('b.json'), strip('a.json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('search-law ks --family quartic --start: 64 terms, the start law as given (mu^4 terms at 0), never worse than it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks-search-'));
  try {
    saveLaw(join(dir, 'start.json'), ksScheduleLaw(ksScheduleStart().start.map((v, i) => v + 0.01 * (i % 7))));
    const run = (name: string, iterations: string) =>
      spawnSync(process.execPath, [...SEARCH, '--out', join(dir, name), '--iterations', iterations, '--family', 'quartic', '--start', join(dir, 'start.json'), ...QUICK], { encoding: 'utf8' });
    const zero = run('zero.json', '0');
    assert.equal(zero.status, 0, zero.stderr);
    assert.match(zero.stdout, /^64 coefficients \(quartic\);/);
    const start = loadLaw(join(dir, 'start.json'));
    const zeroLaw = loadLaw(join(dir, 'zero.json'));
    assert.equal(zeroLaw.meta?.family, 'quartic');
    zeroLaw.outputs.forEach((o, j) => {
      assert.deepEqual(o.terms.slice(0, 7), start.outputs[j]!.terms);
      assert.deepEqual(o.terms[7], { term: `mu^4 * m${j + 1}`, coefficient: 0 });
    });
    const two = run('two.json', '2');
    assert.equal(two.status, 0, two.stderr);
    const [, first, best] = /start ([\d.]+), best ([\d.]+)/.exec(two.stdout)!;
    assert.ok(Number(best) <= Number(first), `best ${best} above start ${first}`);
    assert.equal(loadLaw(join(dir, 'two.json')).outputs.reduce((s, o) => s + o.terms.length, 0), 64);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('search-law ks: a bad option is one located line and writes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks-search-'));
  try {
    for (const [flag, value, message] of [
      ['--iterations', '1.5', /--iterations: expected an integer >= 0, got "1.5"/],
      ['--sigma', 'x', /--sigma: expected a number > 0, got "x"/],
      ['--family', 'cubic', /unknown law family "cubic" \(known: gain-schedule, quartic\)/],
      ['--start', POLY3, /ks-poly3\.json: a1 has the term "m4", which is not one of the gain-schedule family's/],
    ] as const) {
      const r = spawnSync(process.execPath, [...SEARCH, '--out', join(dir, 'law.json'), flag, value], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
    const missing = spawnSync(process.execPath, SEARCH, { encoding: 'utf8' });
    assert.match(missing.stderr, /required option '--out <law\.json>' not specified/);
    assert.equal(existsSync(join(dir, 'law.json')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('search-law ks: interrupted by SIGINT, the law written so far stays whole and --resume ends where an uninterrupted search ends', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks-search-'));
  const out = join(dir, 'law.json');
  const run = (file: string, ...extra: string[]) => spawnSync(process.execPath, [...SEARCH, '--out', join(dir, file), '--iterations', '6', ...QUICK, ...extra], { encoding: 'utf8' });
  try {
    const child = spawn(process.execPath, [...SEARCH, '--out', out, '--iterations', '6', ...QUICK], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/iteration 3\//.test(stdout)) resolve();
      });
    });
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c, signal) => resolve(c ?? (signal === 'SIGINT' ? 130 : null)));
      child.kill('SIGINT');
    });
    assert.notEqual(code, 0);
    const law = loadLaw(out);
    assert.equal(law.outputs.length, 8);
    const done = Number(law.meta?.iterationsDone);
    assert.ok(done >= 1 && done < 6, `interrupted after ${done} iterations`);
    const resumed = run('law.json', '--resume');
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.equal(run('whole.json').status, 0);
    const outputs = (p: string) => JSON.parse(readFileSync(join(dir, p), 'utf8')).outputs;
    assert.deepEqual(outputs('law.json'), outputs('whole.json'));
    const state = (p: string) => JSON.parse(readFileSync(join(dir, p), 'utf8')).state;
    assert.deepEqual(state('law.search.json'), state('whole.search.json'));
    // The resumed law names the command that reproduces it, without --resume.
    const meta = (p: string) => JSON.parse(readFileSync(join(dir, p), 'utf8')).meta;
    assert.deepEqual({ ...meta('law.json'), command: meta('law.json').command.replace('law.json', 'whole.json') }, meta('whole.json'));

    const other = run('law.json', '--resume', '--seed', '9');
    assert.equal(other.status, 1);
    assert.match(other.stderr, /law\.search\.json was written with seed = 1, now 9; resume with the same options/);
    const none = run('none.json', '--resume');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /--resume: .*none\.search\.json does not exist \(nothing to resume\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a law sent inline to the KS workers acts exactly as the same law read from a file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks-search-'));
  try {
    const law = ksScheduleLaw(ksScheduleStart().start);
    const path = join(dir, 'law.json');
    saveLaw(path, law);
    const task = { mu: 0.15, sensorNoise: 0.25, seed: 3, episodeSteps: 30 };
    const fromFile = await evaluateKsAgent({ ...task, agent: { kind: 'law', path } });
    const inline = await evaluateKsAgent({ ...task, agent: { kind: 'document', law: lawToJson(law), label: 'start' } });
    assert.equal(inline.return, fromFile.return);
    assert.equal(inline.stateCost, fromFile.stateCost);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
