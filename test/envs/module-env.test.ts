import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import '../support/seed.js';
import { envModuleForThreads, loadEnvModule, resolveEnvEntry } from '../../src/envs/module-env.js';
import { getEnvEntry, registerEnv } from '../../src/envs/index.js';
import type { Env } from '../../src/envs/env.js';
import { Pendulum } from '../../src/envs/pendulum/env.js';
import { trainTd3 } from '../../src/rl/off-policy.js';
import { train } from '../../src/rl/train.js';
import { defaultTrainConfig } from '../../src/rl/train-config.js';
import { writeReport } from '../../src/report/report.js';
import { lawStaysWithinBounds } from '../../src/verify/laws.js';
import { uniformArb } from '../../src/verify/laws.js';
import { saveLaw } from '../../src/law/io.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/bin.js');
const MODULE = join(ROOT, 'examples/envs/double-integrator.mjs');
const TINY = ['--episodes', '3', '--warmup-episodes', '1', '--update-after', '1', '--updates-per-episode', '3', '--critic-width', '8', '--eval-every', '1'];
const TINY_CONFIG = { episodes: 3, warmupEpisodes: 1, updateAfterEpisodes: 1, updatesPerEpisode: 2, evalEvery: 3, seed: 1 };
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function run(cwd: string, ...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** A scratch directory holding a copy of the example module, with no sparselaw installed beside it. */
function scratch(prefix: string): { dir: string; module: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const module = join(dir, 'di.mjs');
  copyFileSync(MODULE, module);
  return { dir, module };
}

test('a user module trains from the CLI, and its law rolls out and reports without --env; a changed module is named', () => {
  // The copy imports 'sparselaw' where no copy of the package is installed: it gets the one that loads it.
  const { dir, module } = scratch('sparselaw-module-');
  try {
    const t = run(dir, 'train', './di.mjs', ...TINY, '--seed', '2', '--out', 'run');
    assert.equal(t.code, 0, t.err);
    assert.match(t.out, /^u = tanh\(/m);
    const law = JSON.parse(readFileSync(join(dir, 'run', 'law.json'), 'utf8'));
    assert.equal(law.meta.environment, 'DoubleIntegrator-v0');
    assert.deepEqual(law.meta.environmentModule, { path: module, sha256: sha256(module) });
    const summary = JSON.parse(readFileSync(join(dir, 'run', 'summary.json'), 'utf8'));
    assert.equal(summary.config.env, 'double-integrator');
    assert.deepEqual(summary.config.envModule, { path: module, sha256: sha256(module) });
    const r = run(dir, 'rollout', 'run/law.json', '--episodes', '2');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /mean return -\d+(\.\d+)? over 2 episodes/);
    assert.equal(r.err, '');
    const withEnv = run(dir, 'rollout', 'run/law.json', '--episodes', '2', '--env', './di.mjs');
    assert.equal(withEnv.out, r.out);
    const rep = run(dir, 'report', 'run');
    assert.equal(rep.code, 0, rep.err);
    assert.match(readFileSync(join(dir, 'run', 'report.html'), 'utf8'), /One episode of DoubleIntegrator-v0 from the start state of seed 0/);
    appendFileSync(module, '// edited\n');
    const changed = run(dir, 'rollout', 'run/law.json', '--episodes', '1');
    assert.equal(changed.code, 0, changed.err);
    assert.match(changed.err, /^warning: the environment module .*di\.mjs changed since run\/law\.json was made \(its SHA-256 differs\): results may differ\n$/);
    const resumed = run(dir, 'train', './di.mjs', ...TINY, '--seed', '2', '--resume', '--out', 'run');
    assert.equal(resumed.code, 1);
    assert.match(resumed.err, /the checkpoint was written with different settings: envModule\.sha256/);
    rmSync(module);
    const gone = run(dir, 'report', 'run', '--out', 'again.html');
    assert.equal(gone.code, 1);
    assert.match(gone.err, /^sparselaw: run was made with the environment module .*di\.mjs, which no longer exists: restore it, or give --env\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the library takes an entry object, a module path or an id wherever it takes an environment', async () => {
  const entry = (await import(MODULE)).default;
  const config = defaultTrainConfig({ env: entry, ...TINY_CONFIG });
  assert.equal(config.env, 'double-integrator');
  assert.equal(getEnvEntry('double-integrator').create, entry.create, 'registered under its id, with its defaults filled in');
  config.td3.criticHidden = [8, 8];
  const byEntry = await trainTd3({ ...config, env: entry });
  assert.deepEqual(byEntry.law!.inputs, ['x', 'v']);
  assert.equal(byEntry.law!.meta!.environmentModule, undefined, 'an entry object comes from no module');
  // A path: loaded, registered, and recorded with its hash, as on the command line.
  const byPath = await train({ ...config, env: MODULE });
  assert.deepEqual(byPath.law!.meta!.environmentModule, { path: MODULE, sha256: sha256(MODULE) });
  assert.deepEqual(byPath.history.map((h) => h.return), byEntry.history.map((h) => h.return), 'the same environment either way');
  assert.equal(await resolveEnvEntry(MODULE), getEnvEntry('double-integrator'));
  assert.equal(await resolveEnvEntry('DoubleIntegrator-v0'), getEnvEntry('double-integrator'), 'the title names it too');
  assert.throws(() => getEnvEntry('./not-loaded.mjs'), /environment module \.\/not-loaded\.mjs is not loaded: pass it to resolveEnvEntry \(or loadEnvModule\) first, or pass its entry/);
  assert.throws(() => registerEnv({ ...entry }), /an environment with id "double-integrator" is already registered \(DoubleIntegrator-v0\); give yours another id/);
  assert.throws(() => registerEnv({ id: 'bare', title: 'Bare-v0' } as never), /the environment entry: create must be a function/);
  // The report and the verification helpers take the entry too.
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-module-lib-'));
  try {
    const lawFile = join(dir, 'law.json');
    saveLaw(lawFile, { ...byEntry.law!, meta: {} });
    const report = await writeReport({ input: lawFile, env: entry, out: join(dir, 'report.html') });
    assert.match(report.html, /One episode of DoubleIntegrator-v0/);
    const setState = (env: Env, s: { x: number; v: number }): Float64Array => {
      (env as unknown as { s: object }).s = { ...s, t: 0 };
      return Float64Array.of(s.x, s.v);
    };
    fc.assert(lawStaysWithinBounds(byEntry.law!, entry, fc.record({ x: uniformArb(-10, 10), v: uniformArb(-10, 10) }), setState), { numRuns: 50 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an entry needs only id, title and create; the rest takes its defaults', async () => {
  const entry = registerEnv({ id: 'bare-pendulum', title: 'BarePendulum-v0', create: () => new Pendulum() });
  assert.equal(entry.description, '');
  assert.deepEqual(entry.options, []);
  assert.deepEqual(Array.from(entry.inputScale(entry.create({}))), [1, 1, 8]);
  assert.deepEqual(entry.evaluation.default!.cases(5).map((c) => c.seed), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  assert.equal(registerEnv(entry), entry, 'registering again is a no-op');
  const result = await trainTd3({ ...defaultTrainConfig({ env: 'bare-pendulum', ...TINY_CONFIG, policy: 'poly:1' }), td3: { ...defaultTrainConfig().td3, criticHidden: [8, 8] } });
  assert.equal(result.finalEval!.returns.length, 10);
  assert.throws(() => envModuleForThreads(entry), /environment bare-pendulum was registered in this thread only \(an entry object or registerEnv\), so worker threads cannot create it: load it from its module/);
  assert.equal(envModuleForThreads(getEnvEntry('pendulum')), undefined, 'built-in environments need no module');
  assert.equal(envModuleForThreads(await loadEnvModule(MODULE)), MODULE);
});

test('an environment without state methods trains and checkpoints; resuming it says what it needs', async () => {
  const entry = registerEnv({ id: 'stateless-pendulum', title: 'StatelessPendulum-v0', create: () => Object.assign(new Pendulum(), { getState: undefined, setState: undefined }) });
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-stateless-'));
  try {
    const config = { ...defaultTrainConfig({ env: entry, ...TINY_CONFIG, episodes: 4, policy: 'poly:1' }), td3: { ...defaultTrainConfig().td3, criticHidden: [8, 8] } };
    const first = await trainTd3(config, { outDir: dir, untilEpisode: 2 });
    assert.equal(first.completed, false);
    assert.ok(existsSync(join(dir, 'checkpoint.bin')));
    await assert.rejects(trainTd3(config, { outDir: dir, resume: true }), /checkpoint\.bin: cannot resume: Pendulum-v1 has no getState\/setState, and a resume needs them to continue its episodes exactly; add both \(sparselaw check-env tests them\), or train again without --resume/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a sweep runs a user module (a relative path) in its child processes, and refuses to go on after the module changed', () => {
  const { dir, module } = scratch('sparselaw-module-sweep-');
  try {
    const r = run(dir, 'sweep', 'train', './di.mjs', '--seed', '1,2', ...TINY, '--out', 'sweep');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2 of 2 runs done \(0 from before\), 0 failed/);
    for (const d of ['000-seed=1', '001-seed=2']) assert.ok(existsSync(join(dir, 'sweep', 'runs', d, 'law.json')), d);
    const spec = JSON.parse(readFileSync(join(dir, 'sweep', 'sweep.json'), 'utf8'));
    assert.equal(spec.spec.arguments[0], module, 'the runs name the module by its absolute path (queue workers run elsewhere)');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'sweep', 'env-module.json'), 'utf8')), { path: module, sha256: sha256(module) });
    const again = run(dir, 'sweep', 'train', './di.mjs', '--seed', '1,2', ...TINY, '--out', 'sweep');
    assert.match(again.out, /2 of 2 runs done \(2 from before\)/);
    appendFileSync(module, '// edited\n');
    const changed = run(dir, 'sweep', 'train', './di.mjs', '--seed', '1,2', ...TINY, '--out', 'sweep');
    assert.equal(changed.code, 1);
    assert.match(changed.err, /^sparselaw: the environment module .*di\.mjs changed since this sweep started \(its SHA-256 differs from .*env-module\.json\): restore it, or start a new sweep with another --out\n$/);
    const missing = run(dir, 'sweep', 'train', './nope.mjs', '--seed', '1,2', ...TINY, '--out', 'sweep2');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^sparselaw: environment module .*nope\.mjs: no such file\n$/);
    assert.ok(!existsSync(join(dir, 'sweep2')), 'nothing started');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the derivative-free search runs a user module on worker threads, and a fresh process finds a run again', () => {
  const { dir, module } = scratch('sparselaw-module-es-');
  try {
    const t = run(dir, 'train', './di.mjs', '--algo', 'es', '--iterations', '2', '--directions', '2', '--top', '2', '--rollouts', '1', '--horizon', '20', '--workers', '2', '--out', 'es');
    assert.equal(t.code, 0, t.err);
    const law = JSON.parse(readFileSync(join(dir, 'es', 'law.json'), 'utf8'));
    assert.deepEqual(law.meta.environmentModule, { path: module, sha256: sha256(module) });
    const rep = run(dir, 'report', 'es');
    assert.equal(rep.code, 0, rep.err);
    // A TD3 run's agent, loaded by a process that has not seen the module.
    assert.equal(run(dir, 'train', './di.mjs', ...TINY, '--policy', 'mlp', '--out', 'mlp').code, 0);
    const script = `import { loadTrainedPolicy } from ${JSON.stringify(join(ROOT, 'dist/src/index.js'))};\nconst p = await loadTrainedPolicy('mlp');\nconsole.log(p.config.env, Array.from(p.act(Float64Array.of(0.5, 0))).length);\np.dispose();\n`;
    writeFileSync(join(dir, 'load.mjs'), script);
    const loaded = spawnSync(process.execPath, ['load.mjs'], { cwd: dir, encoding: 'utf8' });
    assert.equal(loaded.status, 0, loaded.stderr);
    assert.equal(loaded.stdout, 'double-integrator 1\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
