import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('simulate -> discover -> export: the pendulum velocity law, as text and as a runnable JS module', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-discover-'));
  try {
    const data = join(dir, 'pendulum.csv');
    const sim = run('simulate', 'pendulum', '--episodes', '40', '--seed', '3', '--out', data);
    assert.equal(sim.code, 0, sim.err);
    assert.match(readFileSync(data, 'utf8').split('\n')[0]!, /^episode,step,cos_theta,sin_theta,theta_dot,torque,reward,next_cos_theta,next_sin_theta,next_theta_dot,terminated,truncated$/);
    const law = join(dir, 'law.json');
    const res = run('discover', data, '--inputs', 'cos_theta,sin_theta,theta_dot,torque', '--targets', 'next_theta_dot', '--library', 'poly:3', '--seed', '1', '--out', law);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /next_theta_dot = 0\.735\d* \* sin_theta \+ (0\.99\d*|1(\.0\d*)?) \* theta_dot \+ 0\.1499?\d* \* torque\n/);
    assert.match(res.out, /sin_theta\^2 = 1 - cos_theta\^2/);
    assert.match(res.out, /\| lambda/);
    const text = run('export', law, '--to', 'text', '--digits', '3');
    assert.equal(text.out, 'next_theta_dot = 0.736 * sin_theta + theta_dot + 0.15 * torque\n');
    const js = join(dir, 'law.mjs');
    assert.equal(run('export', law, '--to', 'js', '--out', js).code, 0);
    const mod = (await import(pathToFileURL(js).href)) as { default: (x: Record<string, number>) => Record<string, number> };
    const y = mod.default({ cos_theta: 1, sin_theta: 0.5, theta_dot: 0.2, torque: -1 });
    assert.ok(Math.abs(y.next_theta_dot! - (0.2 + 0.73575 * 0.5 - 0.15)) < 2e-3, String(y.next_theta_dot));
    assert.match(run('export', law, '--to', 'latex').out, /\\sin\\theta/);
    assert.deepEqual(readdirSync(dir).sort(), ['law.json', 'law.mjs', 'pendulum.csv']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('discover rejects bad data and bad options before fitting, without a stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-discover-'));
  try {
    const data = join(dir, 'bad.csv');
    writeFileSync(data, 'x,y\n1,2\n2,oops\n');
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'x,y\n1,2\n2,3\n3,4\n');
    const out = join(dir, 'law.json');
    const cases: [string[], RegExp][] = [
      [[data, '--inputs', 'x', '--targets', 'y', '--out', out], /bad\.csv: line 3, column "y": "oops" is not a finite number/],
      [[data, '--inputs', 'x', '--targets', 'z', '--out', out], /no column "z"/],
      [[data, '--inputs', 'x', '--out', out], /exactly one of --targets .* and --time/],
      [[data, '--inputs', 'x', '--targets', 'y', '--lambda', '-1', '--out', out], /--lambda/],
      [[good, '--inputs', 'x', '--targets', 'y', '--library', 'poly:x', '--out', out], /library spec "poly:x", column 6/],
    ];
    for (const [args, pattern] of cases) {
      const r = run('discover', ...args);
      assert.notEqual(r.code, 0);
      assert.match(r.err, pattern);
      assert.doesNotMatch(r.err, /at .*\.js:\d+/);
    }
    assert.deepEqual(readdirSync(dir).sort(), ['bad.csv', 'good.csv']);
    const ex = run('export', join(dir, 'none.json'));
    assert.equal(ex.code, 1);
    assert.match(ex.err, /none\.json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
