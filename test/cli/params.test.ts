import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

test('--param NAME=VALUE fixes a parameter by name; --mu stays its alias; unknown names are named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-params-'));
  try {
    for (const flag of [['--param', 'mu=0.125'], ['--mu', '0.125']]) {
      const out = join(dir, `${flag[0]!.slice(2)}.csv`);
      const r = run('simulate', 'ks', ...flag, '--episodes', '1', '--env-option', 'episodeSteps=3', '--out', out);
      assert.equal(r.status, 0, r.stderr);
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      const mu = lines[0]!.split(',').indexOf('mu');
      assert.ok(lines.slice(1).every((l) => Number(l.split(',')[mu]) === 0.125));
    }
    const bad = run('simulate', 'ks', '--param', 'nu=1', '--out', join(dir, 'x.csv'));
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^sparselaw: --param nu: ks has no parameter nu \(its parameters: mu\)\n$/);
    const none = run('train', 'pendulum', '--no-params', '--out', join(dir, 'run'));
    assert.equal(none.status, 1);
    assert.match(none.stderr, /--no-params: pendulum has no parameters/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
