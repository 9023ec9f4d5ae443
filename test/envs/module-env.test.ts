import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { loadEnvModule } from '../../src/envs/module-env.js';
import { getEnvEntry } from '../../src/envs/index.js';
import { trainTd3 } from '../../src/rl/off-policy.js';
import { defaultTrainConfig } from '../../src/rl/train-config.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/bin.js');
const MODULE = join(ROOT, 'examples/envs/double-integrator.mjs');
const TINY = ['--episodes', '3', '--warmup-episodes', '1', '--update-after', '1', '--updates-per-episode', '3', '--critic-width', '8', '--eval-every', '1'];

function run(cwd: string, ...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('a user module trains, and its law rolls out and reports without --env; a changed module is named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-module-'));
  try {
    const module = join(dir, 'di.mjs');
    copyFileSync(MODULE, module);
    // The copy imports 'sparselaw' by name: give it the package through a link in its node_modules.
    spawnSync('mkdir', ['-p', join(dir, 'node_modules')]);
    spawnSync('ln', ['-s', ROOT, join(dir, 'node_modules', 'sparselaw')]);
    const t = run(dir, 'train', './di.mjs', ...TINY, '--seed', '2', '--out', 'run');
    assert.equal(t.code, 0, t.err);
    assert.match(t.out, /^u = tanh\(/m);
    const law = JSON.parse(readFileSync(join(dir, 'run', 'law.json'), 'utf8'));
    assert.equal(law.meta.environment, 'DoubleIntegrator-v0');
    assert.deepEqual(law.meta.environmentModule, { path: module, sha256: createHash('sha256').update(readFileSync(module)).digest('hex') });
    const summary = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'));
    assert.equal(summary.config.env, 'double-integrator');
    const r = run(dir, 'rollout', 'run/law.json', '--episodes', '2');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /mean return -\d+(\.\d+)? over 2 episodes/);
    assert.equal(r.err, '');
    const rep = run(dir, 'report', 'run');
    assert.equal(rep.code, 0, rep.err);
    assert.ok(existsSync(join(dir, 'run', 'report.html')));
    appendFileSync(module, '// edited\n');
    const changed = run(dir, 'rollout', 'run/law.json', '--episodes', '1');
    assert.equal(changed.code, 0, changed.err);
    assert.match(changed.err, /warning: the environment module .*di\.mjs changed since run\/law\.json was made \(its SHA-256 differs\)/);
    const resumed = run(dir, 'train', './di.mjs', ...TINY, '--seed', '2', '--resume', '--out', 'run');
    assert.equal(resumed.code, 1);
    assert.match(resumed.err, /the checkpoint was written with different settings: envModule\.sha256/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the library takes an environment entry object as well as an id', async () => {
  const entry = (await import(MODULE)).default;
  const config = defaultTrainConfig({ env: entry, episodes: 3, warmupEpisodes: 1, updateAfterEpisodes: 1, updatesPerEpisode: 2, evalEvery: 3, seed: 1 });
  assert.equal(config.env, 'double-integrator');
  assert.equal(getEnvEntry('double-integrator'), entry);
  config.td3.criticHidden = [8, 8];
  const result = await trainTd3(config);
  assert.ok(result.law);
  assert.deepEqual(result.law.inputs, ['x', 'v']);
  assert.equal(await loadEnvModule(MODULE), entry, 'loading the registered module again gives the same entry');
});

test('a sweep runs a user module in its child processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-module-sweep-'));
  try {
    const r = run(dir, 'sweep', 'train', MODULE, '--seed', '1,2', ...TINY, '--out', 'sweep');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2 of 2 runs done \(0 from before\), 0 failed/);
    for (const d of ['000-seed=1', '001-seed=2']) assert.ok(existsSync(join(dir, 'sweep', 'runs', d, 'law.json')), d);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
