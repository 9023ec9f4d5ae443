import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('expressions that start with a minus sign work as typed', () => {
  assert.deepEqual(run('eval', '-x^2', '--at', 'x=3'), { code: 0, out: '-9\n', err: '' });
  assert.deepEqual(run('eval', '--at', 'x=3', '-x^2'), { code: 0, out: '-9\n', err: '' });
  assert.equal(run('expr', '-2*x', '--to', 'text').out, '-2 * x\n');
  assert.equal(run('expr', '-x', '--simplify').out, '-x\n');
  const unknown = run('eval', '--frobnicate', 'x');
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /unknown option '--frobnicate'/);
  assert.match(run('eval', 'x', 'y', '--at', 'x=1').err, /expected one expression, got 2 arguments/);
});

test('eval names a variable whose value is missing, and needs no --at without variables', () => {
  const r = run('eval', 'x+y', '--at', 'x=1');
  assert.equal(r.code, 1);
  assert.equal(r.err, 'sparselaw: missing a value for variable "y"; give it with --at y=VALUE\n');
  assert.match(run('eval', 'x*y*z').err, /missing a value for variables "x", "y", "z"/);
  assert.deepEqual(run('eval', '2'), { code: 0, out: '2\n', err: '' });
  assert.equal(run('eval', 'atan2(1, 1) * 4').out, `${Math.atan2(1, 1) * 4}\n`);
});

test('simplify keeps a division by zero as written; LaTeX keeps a name whole in one subscript', () => {
  assert.equal(run('expr', '1/0', '--simplify').out, '1 / 0\n');
  assert.equal(run('expr', 'next_cos_theta + theta_dot', '--to', 'latex').out, '\\mathrm{next}_{\\cos\\theta} + \\theta_{\\mathrm{dot}}\n');
});

test('expr --to python prints a NumPy module', () => {
  const r = run('expr', 'clip(-u, -2, 2)', '--to', 'python');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^import numpy as np$/m);
  assert.match(r.out, /def law\(u\):/);
  assert.match(r.out, /np\.minimum\(np\.maximum\(\(-u\), \(-2\.0\)\), 2\.0\)/);
});
