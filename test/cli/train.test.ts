import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const SCHEDULE_LAW = fileURLToPath(new URL('../../../examples/laws/ks-gain-schedule.json', import.meta.url));

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('train writes a run directory whose law exports as torque = 2 * tanh(...) and rolls out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-train-'));
  try {
    const out = join(dir, 'run');
    // Three short episodes with a few updates; exercises the whole pipeline quickly.
    const t = run('train', 'pendulum', '--policy', 'poly:2', '--episodes', '3', '--warmup-episodes', '1', '--update-after', '1', '--updates-per-episode', '3', '--seed', '4', '--critic-width', '8',
      '--n-step', '3', '--target-noise', '0', '--exploration-noise', '0.3', '--select-on', 'default', '--lambda-ramp', '0.5', '--out', out);
    assert.equal(t.code, 0, t.err);
    const { config } = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.deepEqual([config.nStep, config.td3.policyNoise, config.explorationNoise, config.selectOn, config.lambdaRamp], [3, 0, 0.3, 'default', 0.5]);
    assert.match(t.out, /kept the actor of episode 3 \(mean -\d+\.\d on "default"\); the last actor's evaluation: -\d+\.\d, \d+ terms/);
    assert.match(t.out, /torque = 2 \* tanh\(/);
    assert.match(t.out, /evaluation return over 10 episodes: mean -\d/);
    assert.deepEqual(readdirSync(out).sort(), ['checkpoint.bin', 'law.json', 'returns.csv', 'summary.json']);
    const law = JSON.parse(readFileSync(join(out, 'law.json'), 'utf8'));
    assert.deepEqual(law.inputs, ['cos_theta', 'sin_theta', 'theta_dot']);
    assert.equal(law.metrics.gatesBinary, true);
    const text = run('export', join(out, 'law.json'), '--to', 'text', '--digits', '3');
    assert.match(text.out, /^torque = 2 \* tanh\(.*\)\n$/);
    const r = run('rollout', join(out, 'law.json'), '--episodes', '3', '--seed', '1');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /mean return -\d+\.\d+ over 3 episodes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train --help names each environment\'s evaluation protocols and the per-environment selection default', () => {
  const h = run('train', '--help');
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, /protocol in: unseen mu inside the training range/);
  assert.match(h.out, /protocol default: 10 episodes from the reset distribution/);
  assert.match(h.out.replace(/\s+/g, ' '), /\(TD3's default: pendulum last, ks in(, [a-z0-9-]+ \w+)*\)/);
});

test('train and rollout reject bad options with a clear message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-train-'));
  try {
    const cases: [string[], RegExp][] = [
      [['train', 'cartpole', '--out', dir], /unknown environment "cartpole"/],
      [['train', 'pendulum', '--policy', 'poly:x', '--out', dir], /library spec "poly:x"/],
      [['train', 'pendulum', '--resume', '--out', join(dir, 'none')], /nothing to resume/],
      [['rollout', join(dir, 'missing.json')], /missing\.json/],
      [['rollout', join(dir, 'missing.json'), '--env', 'cartpole'], /unknown environment "cartpole"/],
      [['train', 'pendulum', '--episodes', '30', '--out', dir], /TD3 updates \(which start after episode 50\) would never run/],
      [['train', 'pendulum', '--env-option', 'gravity=3', '--out', dir], /pendulum has no option "gravity" \(its options: g\)/],
      [['train', 'pendulum', '--env-option', 'g=-1', '--out', dir], /option g: must be positive/],
      [['train', 'pendulum', '--mu', '0.1', '--out', dir], /pendulum has no parameter mu/],
      [['train', 'pendulum', '--actor-lr', '0', '--out', dir], /--actor-lr.*expected a positive number, got "0"/],
      [['train', 'pendulum', '--linear-gain', '-2', '--out', dir], /--linear-gain.*expected a positive number, got "-2"/],
      [['train', 'pendulum', '--policy', 'mlp', '--linear-gain', '2', '--out', dir], /--linear-gain applies to a sparse law, not to --policy mlp/],
      [['train', 'pendulum', '--target-noise', '-0.1', '--out', dir], /--target-noise.*expected a number >= 0, got "-0.1"/],
      [['train', 'pendulum', '--exploration-noise', 'x', '--out', dir], /--exploration-noise.*expected a finite number, got "x"/],
      [['train', 'pendulum', '--n-step', '0', '--out', dir], /--n-step.*expected a positive integer, got "0"/],
      [['train', 'ks', '--select-on', 'inside', '--out', dir], /--select-on: ks has no evaluation protocol "inside" \(it has: default, fixed, in, out, last\)/],
      [['train', 'ks', '--algo', 'es', '--select-on', 'inside', '--out', dir], /ks has no evaluation protocol "inside" \(it has: default, fixed, in, out, last\)/],
      [['train', 'pendulum', '--lambda-ramp', '1.5', '--out', dir], /--lambda-ramp: a fraction of the updates in \[0, 1\], got 1.5/],
      [['train', 'pendulum', '--prune-over', '5', '--out', dir], /TD3 does not use --prune-over \(options of --algo es\)/],
      [['train', 'pendulum', '--algo', 'es', '--iterations', '10', '--prune-over', '5', '--out', dir], /the pruning window \(5 iterations from the hardening iteration 7\) ends after the last iteration \(10\)/],
      [['train', 'pendulum', '--penalty', 'l2', '--out', dir], /--penalty: expected l0 or l1, got "l2"/],
      [['train', 'pendulum', '--algo', 'es', '--penalty', 'l2', '--out', dir], /--penalty: expected l0 or l1, got "l2"/],
      [['train', 'pendulum', '--algo', 'es', '--prune-below', '0.1', '--out', dir], /--prune-below applies with --penalty l1/],
      [['train', 'ks', '--algo', 'es', '--penalty', 'l0', '--prune-below', '0.1', '--out', dir], /--prune-below applies with --penalty l1/],
      [['simulate', 'pendulum', '--policy', 'greedy', '--out', join(dir, 's.csv')], /--policy: expected random, zero or a law document/],
      [['train', 'ks', '--policy', 'mlp', '--start-law', SCHEDULE_LAW, '--out', join(dir, 'start')], /--start-law applies to a sparse law, not to --policy mlp/],
      [['train', 'ks', '--policy', 'poly:1', '--start-law', SCHEDULE_LAW, '--out', join(dir, 'start')], /ks-gain-schedule\.json: a1, term "mu \* m1" is not a term of the library poly:1/],
      [['train', 'ks', '--no-mu', '--start-law', SCHEDULE_LAW, '--out', join(dir, 'start')], /ks-gain-schedule\.json: input "mu" is not an input of the agent \(m1, m2, m3, m4, m5, m6, m7, m8\)/],
      [['train', 'ks', '--start-law', join(dir, 'none.json'), '--out', join(dir, 'start')], /none\.json/],
    ];
    for (const [args, pattern] of cases) {
      const r = run(...args);
      assert.notEqual(r.code, 0);
      assert.match(r.err, pattern);
      assert.doesNotMatch(r.err, /at .*\.js:\d+/);
    }
    assert.ok(!existsSync(join(dir, 'start')), 'a refused start law leaves no run directory');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
