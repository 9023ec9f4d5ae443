import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import '../support/seed.js';
import { checkEnv } from '../../src/envs/check.js';
import { getEnvEntry } from '../../src/envs/index.js';
import type { Env, ResetOptions, StepResult } from '../../src/envs/env.js';
import type { EnvEntryInput } from '../../src/envs/entry-defaults.js';
import { Rng } from '../../src/util/rng.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/bin.js');

const DEFECTS = [
  'none',
  'nan-reward',
  'out-of-bounds',
  'random-reset',
  'lossy-state',
  'hidden-state',
  'no-clip',
  'no-clip-below',
  'fixed-parameters',
  'no-time-limit',
  'short-bounds',
  'reused-observation',
  'nan-info',
  'throws-in-step',
  'no-state',
  'nan-parameter',
] as const;
type Defect = (typeof DEFECTS)[number];

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
  declare getState?: () => unknown;
  declare setState?: (state: unknown) => void;
  private s = { x: 0, v: 0, t: 0, drag: 0.1 };
  private rng = Rng.seeded(1);
  /** Not in the state: a resumed environment would not have it ('hidden-state'). */
  private gain = 1;
  private readonly obsBuffer = new Float64Array(2);
  constructor(private readonly defect: Defect) {
    this.observationLow = defect === 'short-bounds' ? Float64Array.of(-100) : Float64Array.of(-100, -100);
    if (defect !== 'no-state') {
      this.getState = () => ({ ...this.s, rng: this.defect === 'lossy-state' ? undefined : this.rng.getState() });
      this.setState = (state: unknown) => {
        const { rng, ...s } = state as typeof this.s & { rng?: ReturnType<Rng['getState']> };
        this.s = { ...s };
        if (rng) this.rng = Rng.fromState(rng);
      };
    }
  }
  reset(options: ResetOptions = {}): Float64Array {
    if (options.seed !== undefined) this.rng = Rng.seeded(this.defect === 'random-reset' ? Math.floor(Math.random() * 1e9) : options.seed);
    this.s.drag = options.parameters && this.defect !== 'fixed-parameters' ? options.parameters[0]! : this.defect === 'nan-parameter' ? NaN : 0.1;
    this.s.x = this.rng.range(-1, 1);
    this.s.v = 0;
    this.s.t = 0;
    if (this.defect === 'hidden-state') this.gain = 2;
    return this.obs();
  }
  step(action: ArrayLike<number>): StepResult {
    const raw = action[0]!;
    const u = this.defect === 'no-clip' ? Math.max(-1, raw) : this.defect === 'no-clip-below' ? Math.min(1, raw) : Math.min(1, Math.max(-1, raw));
    this.s.v += 0.1 * (this.gain * u - this.s.drag * this.s.v) + 0.01 * this.rng.normal();
    this.s.x += 0.1 * this.s.v;
    this.s.t++;
    if (this.defect === 'out-of-bounds' && this.s.t === 4) this.s.x = 1000;
    if (this.defect === 'throws-in-step' && this.s.t === 2) throw new Error('the solver diverged');
    const reward = this.defect === 'nan-reward' && this.s.t === 3 ? NaN : -(this.s.x ** 2);
    const info = { cost: this.defect === 'nan-info' && this.s.t === 5 ? NaN : this.s.x ** 2 };
    return { observation: this.obs(), reward, info, terminated: false, truncated: this.defect !== 'no-time-limit' && this.s.t >= this.maxEpisodeSteps };
  }
  parameters(): Float64Array {
    return Float64Array.of(this.s.drag);
  }
  private obs(): Float64Array {
    if (this.defect !== 'reused-observation') return Float64Array.of(this.s.x, this.s.v);
    this.obsBuffer[0] = this.s.x;
    this.obsBuffer[1] = this.s.v;
    return this.obsBuffer;
  }
}

function entry(defect: Defect, extra: Partial<EnvEntryInput> = {}): EnvEntryInput {
  return { id: 'mass', title: 'Mass-v0', create: () => new Mass(defect), ...extra };
}

test('check-env passes the built-in environments and a sound user environment', () => {
  for (const id of ['pendulum', 'ks']) {
    const e = getEnvEntry(id);
    assert.deepEqual(checkEnv(e, { envOptions: id === 'ks' ? { sensorNoise: 0, substeps: 15, episodeSteps: 20 } : { g: 9.81 }, episodes: 1 }), []);
  }
  assert.deepEqual(checkEnv(entry('none')), []);
});

/** Each planted defect, the check that must name it, and what its line must say. */
const EXPECTED: [Defect, string, RegExp][] = [
  ['nan-reward', 'reward', /^episode 1 \(reset seed \d+\), step 3: the reward is NaN, not a finite number$/],
  ['out-of-bounds', 'bounds', /^episode 1 \(reset seed \d+\), step 4: x = 1000 is outside its bounds \[-100, 100\]$/],
  ['random-reset', 'determinism', /^two environments reset with seed \d+ and given the same actions differ at value 1 /],
  ['lossy-state', 'state', /^after setState\(JSON of getState\(\)\) on the same environment the next steps differ/],
  ['hidden-state', 'state', /^after setState\(JSON of getState\(\)\) on a fresh environment the next steps differ/],
  ['no-clip', 'action bounds', /^an action far above actionHigh gives another step than the bound itself \(x: /],
  ['no-clip-below', 'action bounds', /^an action far below actionLow gives another step than the bound itself/],
  ['fixed-parameters', 'parameters', /^reset\(\{ parameters: \[0\.11\] \}\) left parameters\(\) at \[0\.1\]$/],
  ['no-time-limit', 'time limit', /^episode 1 \(reset seed \d+\), step 30: the episode is neither terminated nor truncated after maxEpisodeSteps = 30 steps$/],
  ['short-bounds', 'spaces', /^observationLow\/observationHigh have 1\/2 entries for 2 observationNames$/],
  ['reused-observation', 'aliasing', /^step 1 \(reset seed \d+\) changed the array reset returned \(x: /],
  ['nan-info', 'info', /^episode 1 \(reset seed \d+\), step 5: info\.cost is NaN, not a finite number/],
  ['throws-in-step', 'step', /^episode 1 \(reset seed \d+\), step 2: step threw: the solver diverged$/],
  ['nan-parameter', 'parameters', /^after reset \(seed \d+\) drag = NaN, not a finite number$/],
];

test('check-env finds each planted defect, named by its check and located, whatever the seed', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
      for (const [defect, check, message] of EXPECTED) {
        const findings = checkEnv(entry(defect), { seed });
        const found = findings.find((p) => p.check === check);
        assert.ok(found, `${defect}: no "${check}" finding among ${JSON.stringify(findings)}`);
        assert.match(found.message, message, defect);
        assert.ok(!found.warning, `${defect} is a problem, not a warning`);
      }
    }),
    { numRuns: 8 },
  );
});

test('missing state methods are a warning, not a problem; the entry and its protocols are checked too', () => {
  assert.deepEqual(checkEnv(entry('no-state')), [{ check: 'state', message: 'getState and setState missing: everything works but resuming an interrupted run (--resume)', warning: true }]);
  const planted: [Partial<EnvEntryInput>, string, RegExp][] = [
    [{ inputScale: () => Float64Array.of(1, 0, 1) }, 'input scale', /^inputScale\(env\) for v is 0: the agent's inputs are divided by it/],
    [{ inputScale: () => Float64Array.of(1) }, 'input scale', /^inputScale\(env\) has 1 entries for 3 observations and parameters$/],
    [{ evaluation: { default: { description: 'none', cases: () => [] } } }, 'evaluation', /^protocol "default" gives no episodes$/],
    [{ evaluation: { default: { description: 'p', cases: (s) => [{ seed: s, parameters: [1, 2] }] } } }, 'evaluation', /^protocol "default": episode 1 sets 2 parameters, the environment has 1$/],
    [{ options: [{ name: 'dt', description: 'step', default: -1, check: (v) => (v > 0 ? undefined : 'must be positive') }] }, 'options', /^option dt: its default -1 fails its own check \(must be positive\)$/],
    [{ create: 3 as unknown as EnvEntryInput['create'] }, 'entry', /^create must be a function/],
    [{ create: () => { throw new Error('no licence'); } }, 'create', /^create\(options\) threw: no licence$/],
  ];
  for (const [extra, check, message] of planted) {
    const findings = checkEnv(entry('none', extra));
    const found = findings.find((p) => p.check === check);
    assert.ok(found, `${check}: not found among ${JSON.stringify(findings)}`);
    assert.match(found.message, message);
  }
});

test('check-env closes every environment it makes', () => {
  let made = 0;
  let closed = 0;
  const closing: EnvEntryInput = {
    id: 'mass',
    title: 'Mass-v0',
    create: () => {
      made++;
      return Object.assign(new Mass('none'), { close: () => void closed++ });
    },
  };
  assert.deepEqual(checkEnv(closing), []);
  assert.ok(made >= 3, `made ${made}`);
  assert.equal(closed, made);
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
    const stateless = join(dir, 'stateless.mjs');
    writeFileSync(stateless, `import base from ${JSON.stringify(join(ROOT, 'examples/envs/double-integrator.mjs'))};\nexport default { ...base, id: 'stateless', create: () => Object.assign(base.create(), { getState: undefined, setState: undefined }) };\n`);
    const w = spawnSync(process.execPath, [BIN, 'check-env', stateless], { encoding: 'utf8' });
    assert.equal(w.status, 0, w.stderr);
    assert.equal(w.stdout, 'stateless: warning: state: getState and setState missing: everything works but resuming an interrupted run (--resume)\nstateless: every check passed (see the warnings above)\n');
    const missing = spawnSync(process.execPath, [BIN, 'check-env', join(dir, 'nope.mjs')], { encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^sparselaw: environment module .*nope\.mjs: no such file\n$/);
    const noDefault = join(dir, 'no-default.mjs');
    writeFileSync(noDefault, 'export const x = 1;\n');
    const nd = spawnSync(process.execPath, [BIN, 'check-env', noDefault], { encoding: 'utf8' });
    assert.match(nd.stderr, /^sparselaw: environment module .*no-default\.mjs: it has no default export/);
    const throwing = join(dir, 'throwing.mjs');
    writeFileSync(throwing, 'const a = 1;\nthrow new Error("half written");\n');
    const th = spawnSync(process.execPath, [BIN, 'check-env', throwing], { encoding: 'utf8' });
    assert.match(th.stderr, /^sparselaw: environment module .*throwing\.mjs:2:7: cannot be imported: half written\n$/);
    const syntax = join(dir, 'syntax.mjs');
    writeFileSync(syntax, "export default {\n  id: 'x',,\n};\n");
    const sy = spawnSync(process.execPath, [BIN, 'check-env', syntax], { encoding: 'utf8' });
    assert.match(sy.stderr, /^sparselaw: environment module .*syntax\.mjs:2:11: cannot be imported: Unexpected token ','\n$/);
    const badField = join(dir, 'bad-field.mjs');
    writeFileSync(badField, "export default { id: 'Bad Id', title: 'x', create: () => null };\n");
    const bf = spawnSync(process.execPath, [BIN, 'check-env', badField], { encoding: 'utf8' });
    assert.match(bf.stderr, /^sparselaw: environment module .*bad-field\.mjs: id must be a lower-case name such as "double-integrator", got "Bad Id"\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
