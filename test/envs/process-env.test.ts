import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEnvModule } from '../../src/envs/module-env.js';
import { checkEnv } from '../../src/envs/check.js';
import { processEnvEntry } from '../../src/envs/process-env.js';
import type { EnvEntry } from '../../src/envs/registry.js';
import type { Env } from '../../src/envs/env.js';
import { trainTd3 } from '../../src/rl/off-policy.js';
import { defaultTrainConfig } from '../../src/rl/train-config.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/bin.js');
const PY_MODULE = join(ROOT, 'examples/envs/double-integrator-python.mjs');
const JS_MODULE = join(ROOT, 'examples/envs/double-integrator.mjs');
const python = process.env.SPARSELAW_PYTHON ?? 'python3';
const skip = spawnSync(python, ['-c', 'import json, random'], { encoding: 'utf8' }).status === 0 ? false : `no ${python} on this machine`;
const TINY = ['--episodes', '3', '--warmup-episodes', '1', '--update-after', '1', '--updates-per-episode', '3', '--critic-width', '8', '--eval-every', '3'];

/** Process ids of this process's children running `python`. */
function pythonChildren(): string[] {
  const r = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => /python/.test(l)).map((l) => l.trim());
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('the Python process environment passes check-env and steps exactly like the same system in JavaScript', { skip }, async () => {
  const py = await loadEnvModule(PY_MODULE);
  assert.deepEqual(checkEnv(py, { episodes: 2 }), []);
  const js = await loadEnvModule(JS_MODULE);
  const a = py.create({});
  const b = js.create({});
  // Their random streams differ (Python's and sparselaw's), so both start from one state: the dynamics must agree bit for bit.
  a.reset({ seed: 3 });
  const start = b.reset({ seed: 3 });
  const saved = a.getState!() as { process: Record<string, unknown>; parameters: number[] };
  a.setState!({ ...saved, process: { ...saved.process, x: start[0], v: start[1], t: 0 } });
  for (let t = 0; t < 200; t++) {
    const u = [Math.sin(t) * 1.5];
    const ra = a.step(u);
    const rb = b.step(u);
    assert.deepEqual([...ra.observation, ra.reward, ra.truncated], [...rb.observation, rb.reward, rb.truncated], `step ${t + 1}`);
  }
  a.close!();
});

test('a Python process environment trains from the library; every process it started has ended', { skip }, async () => {
  const py = await loadEnvModule(PY_MODULE);
  let made = 0;
  let closed = 0;
  const counted: EnvEntry = {
    ...py,
    id: 'counted-python',
    create: (options) => {
      const env = py.create(options);
      made++;
      const close = env.close!.bind(env);
      return Object.assign(env, { close: () => (closed++, close()) });
    },
  };
  const config = { ...defaultTrainConfig({ env: counted, episodes: 4, warmupEpisodes: 1, updateAfterEpisodes: 1, updatesPerEpisode: 3, evalEvery: 2, seed: 1 }), td3: { ...defaultTrainConfig().td3, criticHidden: [8, 8] } };
  const result = await trainTd3(config);
  assert.ok(result.law);
  assert.deepEqual(result.law.inputs, ['x', 'v']);
  assert.ok(made >= 3, `made ${made}`);
  assert.equal(closed, made, 'every environment the training made was closed');
  for (let i = 0; i < 50 && pythonChildren().length > 0; i++) await settle(100);
  assert.deepEqual(pythonChildren(), [], 'no Python process outlives its environment');
});

test('a Python process environment trains, rolls out, reports, simulates and sweeps from the CLI', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-process-'));
  try {
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir });
    const t = run('train', PY_MODULE, ...TINY, '--out', 'run');
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
    const sweep = run('sweep', 'train', PY_MODULE, '--seed', '1,2', ...TINY, '--jobs', '2', '--out', 'sweep');
    assert.equal(sweep.status, 0, sweep.stderr);
    assert.match(sweep.stdout, /2 of 2 runs done \(0 from before\), 0 failed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A small program speaking the protocol, with one misbehaviour chosen by its argument. */
const FAULTY = String.raw`
import json, sys, time
mode = sys.argv[1]
spaces = {"observationNames": ["x"], "actionNames": ["u"], "observationLow": [None], "observationHigh": [None],
          "actionLow": [-1], "actionHigh": [1], "maxEpisodeSteps": 5}
if mode == "bad-spaces":
    del spaces["actionLow"]
x, t = 0.0, 0
for line in sys.stdin:
    req = json.loads(line)
    op = req["op"]
    if op == "close":
        break
    if op == "spaces":
        out = spaces
    elif op == "reset":
        x, t = 0.5, 0
        out = {"observation": [x]}
    else:
        t += 1
        x += 0.1 * max(-1, min(1, req["action"][0]))
        out = {"observation": [x], "reward": -x * x, "terminated": False, "truncated": t >= 5}
        if t == 2 and mode == "crash":
            print("about to divide", file=sys.stderr)
            1 / 0
        if t == 2 and mode == "split-crash":
            sys.stderr.write("Boom: in two ")
            sys.stderr.flush()
            time.sleep(0.2)
            sys.stderr.write("pieces\n")
            sys.exit(1)
        if t == 2 and mode == "print":
            print("debugging", x)
        if t == 2 and mode == "string-reward":
            out["reward"] = "high"
        if t == 2 and mode == "nan":
            out["reward"] = float("nan")
        if t == 2 and mode == "slow":
            time.sleep(3)
        if t == 2 and mode == "error":
            out = {"error": "the action is out of range"}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
`;

test('a misbehaving process is named in one line: crashes, missing programs, stray output, malformed answers, timeouts', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-faulty-'));
  try {
    const script = join(dir, 'faulty.py');
    writeFileSync(script, FAULTY);
    const entry = (mode: string, extra: { timeoutSeconds?: number; command?: string[] } = {}) =>
      processEnvEntry({ id: `faulty-${mode}`, title: 'Faulty-v0', command: extra.command ?? [python, script, mode], ...(extra.timeoutSeconds ? { timeoutSeconds: extra.timeoutSeconds } : {}) });
    const episode = (e: Env): void => {
      e.reset({ seed: 1 });
      for (let t = 0; t < 5; t++) e.step([0.5]);
    };
    const made: Env[] = [];
    const fails = (mode: string, pattern: RegExp, extra: { timeoutSeconds?: number; command?: string[] } = {}): Env | undefined => {
      let env: Env | undefined;
      assert.throws(() => {
        env = entry(mode, extra).create({});
        made.push(env);
        episode(env);
      }, pattern, mode);
      return env;
    };
    const healthy = entry('fine').create({});
    episode(healthy);
    assert.equal(healthy.getState, undefined, 'without "state": true in its spaces, the environment has no state methods');
    healthy.close!();
    assert.deepEqual(checkEnv(entry('fine')).map((p) => `${p.warning ? 'warning ' : ''}${p.check}`), ['warning state']);
    fails('crash', /: process environment faulty-crash \(.*\): step: the process exited \(code 1\); its last words on stderr: ZeroDivisionError: division by zero$/);
    // A last line written in pieces is reported whole.
    fails('split-crash', /: step: the process exited \(code 1\); its last words on stderr: Boom: in two pieces$/);
    fails('missing', /: process environment faulty-missing \(no-such-simulator-xyz\): spaces: cannot start no-such-simulator-xyz: no such program \(is it installed and on the PATH\?\)$/, { command: ['no-such-simulator-xyz'] });
    fails('bad-spaces', /: Faulty-v0: spaces: "actionLow" must be an array of 1 numbers, got undefined$/);
    fails('string-reward', /: Faulty-v0: step: "reward" must be a number, got "high"$/);
    fails('error', /: step: the action is out of range$/);
    const printing = fails('print', /: the answer to "step" is not a JSON object: "debugging [^"]*"$/);
    assert.throws(() => printing!.step([0]), /the process wrote a line to stdout that answers no request: .*\(logs belong on stderr\)$/);
    const slow = fails('slow', /: no answer to "step" within 1 s$/, { timeoutSeconds: 1 });
    assert.throws(() => slow!.step([0]), /: "step" after no answer to "step" within 1 s$/);
    for (const env of made) env.close!();
    // JSON has no NaN: Python's json module writes one anyway, and it arrives as NaN for check-env to find.
    assert.match(checkEnv(entry('nan')).find((p) => p.check === 'reward')!.message, /step 2: the reward is NaN, not a finite number$/);
    for (let i = 0; i < 50 && pythonChildren().length > 0; i++) await settle(100);
    assert.deepEqual(pythonChildren(), [], 'closed or failed, every process has ended');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Ctrl-C at the terminal reaches sparselaw but not the simulator: a Python run stops with a checkpoint and resumes exactly', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-process-sigint-'));
  const args = ['train', PY_MODULE, '--episodes', '8', '--warmup-episodes', '1', '--update-after', '1', '--updates-per-episode', '20', '--critic-width', '8', '--eval-every', '4', '--seed', '4'];
  const returns = (out: string): string[] => readFileSync(join(out, 'returns.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, 2).join(','));
  try {
    const full = spawnSync(process.execPath, [BIN, ...args, '--out', join(dir, 'full')], { encoding: 'utf8' });
    assert.equal(full.status, 0, full.stderr);
    const out = join(dir, 'split');
    // Its own process group, signalled as a whole, as a terminal's Ctrl-C is.
    const child = spawn(process.execPath, [BIN, ...args, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // One signal: a second one makes train quit at once, without its checkpoint.
      if (/updates\/s=/.test(stderr) && !sent) {
        sent = true;
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 130, stderr);
    assert.match(stdout, /stopped after episode (\d+); checkpoint in/);
    assert.doesNotMatch(stderr, /KeyboardInterrupt|process exited/);
    const resumed = spawnSync(process.execPath, [BIN, ...args, '--out', out, '--resume'], { encoding: 'utf8' });
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.deepEqual(returns(out), returns(join(dir, 'full')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
