import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEnvModule } from '../../src/envs/module-env.js';
import { checkEnv } from '../../src/envs/check.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/bin.js');
const PY_MODULE = join(ROOT, 'examples/envs/double-integrator-python.mjs');
const JS_MODULE = join(ROOT, 'examples/envs/double-integrator.mjs');
const python = process.env.SPARSELAW_PYTHON ?? 'python3';
const skip = spawnSync(python, ['-c', 'import json, random'], { encoding: 'utf8' }).status === 0 ? false : `no ${python} on this machine`;

test('the Python process environment passes check-env and steps exactly like the same system in JavaScript', { skip }, async () => {
  const py = await loadEnvModule(PY_MODULE);
  assert.deepEqual(checkEnv(py, { envOptions: {}, episodes: 2 }), []);
  const js = await loadEnvModule(JS_MODULE);
  const a = py.create({});
  const b = js.create({});
  // Their random streams differ (Python's and mulberry32), so both start from one state: the dynamics must agree bit for bit.
  a.reset({ seed: 3 });
  const start = b.reset({ seed: 3 });
  (a as unknown as { setState(s: unknown): void }).setState({ process: { ...(a.getState!() as { process: { rng: unknown } }).process, x: start[0], v: start[1], t: 0 }, parameters: [] });
  for (let t = 0; t < 50; t++) {
    const u = [Math.sin(t) * 1.5];
    const ra = a.step(u);
    const rb = b.step(u);
    assert.deepEqual([...ra.observation, ra.reward], [...rb.observation, rb.reward], `step ${t + 1}`);
  }
  (a as unknown as { close(): void }).close();
});

test('a Python process environment trains, rolls out and reports from the CLI', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-process-'));
  try {
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir });
    const t = run('train', PY_MODULE, '--policy', 'poly:1:nobias', '--episodes', '3', '--warmup-episodes', '1', '--update-after', '1', '--updates-per-episode', '3', '--critic-width', '8', '--eval-every', '3', '--out', 'run');
    assert.equal(t.status, 0, t.stderr);
    const law = JSON.parse(readFileSync(join(dir, 'run', 'law.json'), 'utf8'));
    assert.equal(law.meta.environment, 'DoubleIntegratorPy-v0');
    assert.equal(law.meta.environmentModule.path, PY_MODULE);
    const r = run('rollout', 'run/law.json', '--episodes', '2');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /mean return -\d+(\.\d+)? over 2 episodes/);
    const rep = run('report', 'run');
    assert.equal(rep.status, 0, rep.stderr);
    assert.ok(existsSync(join(dir, 'run', 'report.html')));
    const sim = run('simulate', PY_MODULE, '--episodes', '2', '--out', 'sim.csv');
    assert.equal(sim.status, 0, sim.stderr);
    assert.equal(readFileSync(join(dir, 'sim.csv'), 'utf8').trim().split('\n').length, 401);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
