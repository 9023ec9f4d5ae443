import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function coefficients(out: string, output: string): number[] {
  const line = out.split('\n').find((l) => l.startsWith(`${output} = `));
  assert.ok(line, out);
  return [...line.matchAll(/(\d+(?:\.\d+)?(?:e[-+]?\d+)?) \*/g)].map((m) => Number(m[1]));
}

test('discover --time on pendulum data: the dependency note, and no near-cancelling terms', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-notes-'));
  try {
    const data = join(dir, 'pendulum.csv');
    assert.equal(run('simulate', 'pendulum', '--episodes', '50', '--seed', '1', '--out', data).code, 0);
    for (const derivative of ['auto', 'weak']) {
      const r = run('discover', data, '--inputs', 'cos_theta,sin_theta,theta_dot', '--time', 'step', '--derivative', derivative, '--library', 'poly:3', '--out', join(dir, 'law.json'));
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /note: the library has \d+ exact linear dependencies on .*sin_theta\^2 = 1 - cos_theta\^2/);
      // Time in steps: theta_dot_dot = 0.73575 sin_theta per step; the bug gave 12.4 * (θ̇ - cos²·θ̇ - sin²·θ̇).
      for (const c of coefficients(r.out, 'theta_dot_dot')) assert.ok(c < 1, `${derivative}: ${r.out}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('too few rows: refused when they cannot determine the library, a note when they barely can', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-notes-'));
  try {
    const tiny = join(dir, 'tiny.csv');
    writeFileSync(tiny, 'x,y\n1,2\n2,3\n3,4\n');
    const out = join(dir, 'law.json');
    const r = run('discover', tiny, '--inputs', 'x', '--targets', 'y', '--library', 'poly:3', '--out', out);
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, /^sparselaw: 2 training rows \(of 3; the rest is held out for validation\) cannot determine a library of 4 terms: give at least 20 rows for training, or a smaller --library\n$/);
    assert.equal(existsSync(out), false);
    const small = join(dir, 'small.csv');
    writeFileSync(small, 'x,y\n' + Array.from({ length: 12 }, (_, i) => `${i},${2 * i + 1 + 0.01 * Math.sin(7 * i)}`).join('\n') + '\n');
    const w = run('discover', small, '--inputs', 'x', '--targets', 'y', '--library', 'poly:3', '--out', out);
    assert.equal(w.code, 0, w.err);
    assert.match(w.out, /note: only 9 training rows for a library of 4 terms \(fewer than 5 per term\): the law is weakly determined/);
    assert.match(w.out, /note: only 3 validation rows/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a law of 0 comes with the reason and what to try', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-notes-'));
  try {
    const data = join(dir, 'noise.csv');
    // y does not depend on x: a fixed pseudo-random sequence.
    let s = 7;
    const next = (): number => ((s = (s * 48271) % 2147483647) / 2147483647) - 0.5;
    writeFileSync(data, 'x,y\n' + Array.from({ length: 400 }, (_, i) => `${i / 100},${next()}`).join('\n') + '\n');
    const out = join(dir, 'law.json');
    const auto = run('discover', data, '--inputs', 'x', '--targets', 'y', '--library', 'poly:2:nobias', '--out', out);
    assert.equal(auto.code, 0, auto.err);
    assert.match(auto.out, /^y = 0\n/);
    assert.match(auto.out, /note: y = 0: no law on the lambda path explains enough of its held-out variance .*; try a richer --library/);
    const fixed = run('discover', data, '--inputs', 'x', '--targets', 'y', '--library', 'poly:2:nobias', '--lambda', '0.5', '--out', out);
    assert.equal(fixed.code, 0, fixed.err);
    assert.match(fixed.out, /note: y = 0: no term explains more than lambda = 0\.5 of its variance .*or a smaller --lambda/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the weak-form note says "weak form" once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-notes-'));
  try {
    const data = join(dir, 'decay.csv');
    writeFileSync(data, 't,x\n' + Array.from({ length: 400 }, (_, i) => `${i / 100},${Math.exp(-i / 100)}`).join('\n') + '\n');
    const r = run('discover', data, '--inputs', 'x', '--time', 't', '--derivative', 'weak', '--library', 'poly:2', '--out', join(dir, 'law.json'));
    assert.equal(r.code, 0, r.err);
    const note = r.out.split('\n').find((l) => l.startsWith('note: weak form'));
    assert.ok(note, r.out);
    assert.equal(note.match(/weak form/g)!.length, 1, note);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
