import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
    assert.equal(run('simulate', 'pendulum', '--episodes', '50', '--seed', '1', '--g', '9.81', '--out', data).code, 0);
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
