import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkEnv } from '../../src/envs/check.js';
import { getEnvEntry } from '../../src/envs/index.js';
import type { Env, ResetOptions, StepResult } from '../../src/envs/env.js';
import type { EnvEntry } from '../../src/envs/registry.js';
import { Rng } from '../../src/util/rng.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/bin.js');

type Defect = 'none' | 'nan-reward' | 'out-of-bounds' | 'random-reset' | 'lossy-state' | 'no-clip' | 'fixed-parameters' | 'no-time-limit' | 'short-bounds';

/** A point mass with one parameter (its drag), and one planted defect at a time. */
class Mass implements Env {
  readonly id = 'Mass-v0';
  readonly observationNames = ['x', 'v'];
  readonly actionNames = ['u'];
  readonly parameterNames = ['drag'];
  readonly observationLow: Float64Array;
  readonly observationHigh = Float64Array.of(100, 100);
  readonly actionLow = Float64Array.of(-1);
  readonly actionHigh = Float64Array.of(1);
  readonly maxEpisodeSteps = 30;
  private s = { x: 0, v: 0, t: 0, drag: 0.1, rng: Rng.seeded(1).getState() };
  private rng = Rng.seeded(1);
  constructor(private readonly defect: Defect) {
    this.observationLow = defect === 'short-bounds' ? Float64Array.of(-100) : Float64Array.of(-100, -100);
  }
  reset(options: ResetOptions = {}): Float64Array {
    if (options.seed !== undefined) this.rng = Rng.seeded(this.defect === 'random-reset' ? Math.floor(Math.random() * 1e9) : options.seed);
    this.s.drag = options.parameters && this.defect !== 'fixed-parameters' ? options.parameters[0]! : 0.1;
    this.s.x = this.rng.range(-1, 1);
    this.s.v = 0;
    this.s.t = 0;
    return this.obs();
  }
  step(action: ArrayLike<number>): StepResult {
    const u = this.defect === 'no-clip' ? action[0]! : Math.min(1, Math.max(-1, action[0]!));
    this.s.v += 0.1 * (u - this.s.drag * this.s.v) + 0.01 * this.rng.normal();
    this.s.x += 0.1 * this.s.v;
    this.s.t++;
    if (this.defect === 'out-of-bounds' && this.s.t === 4) this.s.x = 1000;
    const reward = this.defect === 'nan-reward' && this.s.t === 3 ? NaN : -(this.s.x ** 2);
    return { observation: this.obs(), reward, terminated: false, truncated: this.defect !== 'no-time-limit' && this.s.t >= this.maxEpisodeSteps };
  }
  parameters(): Float64Array {
    return Float64Array.of(this.s.drag);
  }
  getState(): unknown {
    return { ...this.s, rng: this.defect === 'lossy-state' ? undefined : this.rng.getState() };
  }
  setState(state: unknown): void {
    const s = state as typeof this.s;
    this.s = { ...s };
    if (s.rng) this.rng = Rng.fromState(s.rng);
  }
  private obs(): Float64Array {
    return Float64Array.of(this.s.x, this.s.v);
  }
}

function entry(defect: Defect): EnvEntry {
  return {
    id: 'mass',
    title: 'Mass-v0',
    description: 'a point mass',
    options: [],
    create: () => new Mass(defect),
    inputScale: () => Float64Array.of(1, 1, 1),
    evaluation: { default: { description: '3 episodes', cases: (seed) => [0, 1, 2].map((i) => ({ seed: seed + i })) } },
  };
}

test('check-env passes the built-in environments and a sound user environment', () => {
  for (const id of ['pendulum', 'ks']) {
    const e = getEnvEntry(id);
    assert.deepEqual(checkEnv(e, { envOptions: id === 'ks' ? { sensorNoise: 0, substeps: 15, episodeSteps: 20 } : { g: 9.81 }, episodes: 1 }), []);
  }
  assert.deepEqual(checkEnv(entry('none'), { envOptions: {} }), []);
});

test('check-env finds each planted defect, named by its check and located', () => {
  const cases: [Defect, string, RegExp][] = [
    ['nan-reward', 'reward', /episode 1 \(reset seed 0\), step 3: the reward is NaN/],
    ['out-of-bounds', 'bounds', /step 4: x = 1000 is outside its bounds \[-100, 100\]/],
    ['random-reset', 'determinism', /reset with seed 0 and given the same actions differ/],
    ['lossy-state', 'state', /after setState\(JSON of getState\(\)\) the next steps differ/],
    ['no-clip', 'action bounds', /an action far above actionHigh gives another step than actionHigh itself/],
    ['fixed-parameters', 'parameters', /reset\(\{ parameters: \[0\.11\] \}\) left parameters\(\) at \[0\.1\]/],
    ['no-time-limit', 'time limit', /neither terminated nor truncated after maxEpisodeSteps = 30 steps/],
    ['short-bounds', 'spaces', /observationLow\/observationHigh have 1\/2 entries for 2 observationNames/],
  ];
  for (const [defect, check, message] of cases) {
    const problems = checkEnv(entry(defect), { envOptions: {} });
    const found = problems.find((p) => p.check === check);
    assert.ok(found, `${defect}: no "${check}" problem among ${JSON.stringify(problems)}`);
    assert.match(found.message, message, defect);
  }
});

test('sparselaw check-env loads a module, prints one line per problem and exits 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-check-'));
  try {
    const good = spawnSync(process.execPath, [BIN, 'check-env', join(ROOT, 'examples/envs/double-integrator.mjs')], { encoding: 'utf8' });
    assert.equal(good.status, 0, good.stderr);
    assert.equal(good.stdout, 'double-integrator: every check passed\n');
    const bad = join(dir, 'bad-env.mjs');
    writeFileSync(bad, `import base from ${JSON.stringify(join(ROOT, 'examples/envs/double-integrator.mjs'))};\nexport default { ...base, id: 'bad-integrator', create: () => { const e = base.create(); const step = e.step.bind(e); e.step = (a) => ({ ...step(a), reward: NaN }); return e; } };\n`);
    const r = spawnSync(process.execPath, [BIN, 'check-env', bad], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^bad-integrator: reward: episode 1 \(reset seed 0\), step 1: the reward is NaN, not a finite number\n1 problem found\n$/);
    const missing = spawnSync(process.execPath, [BIN, 'check-env', join(dir, 'nope.mjs')], { encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^sparselaw: environment module .*nope\.mjs: no such file\n$/);
    const noDefault = join(dir, 'no-default.mjs');
    writeFileSync(noDefault, 'export const x = 1;\n');
    const nd = spawnSync(process.execPath, [BIN, 'check-env', noDefault], { encoding: 'utf8' });
    assert.match(nd.stderr, /no-default\.mjs: it has no default export/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
