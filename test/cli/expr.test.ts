import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('expr prints every form and simplifies', () => {
  assert.equal(run('expr', '2*x + 3*x - y*(y+1)', '--simplify').out, '5 * x - y - y^2\n');
  assert.equal(run('expr', '0.123456*x', '--digits', '2').out, '0.12 * x\n');
  assert.match(run('expr', 'x0^2', '--to', 'latex').out, /^x_\{0\}\^\{2\}\n$/);
  assert.match(run('expr', 'x0^2', '--to', 'c').out, /double law\(double x0\)/);
  assert.match(run('expr', 'x0^2', '--to', 'js').out, /export default function/);
  assert.match(run('expr', 'b + a', '--to', 'js', '--vars', 'a,b').out, /inputs: a, b/);
});

test('expr --from reads a JSON document written by --to json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-cli-'));
  try {
    const file = join(dir, 'e.json');
    writeFileSync(file, run('expr', 'sin(x) / 2', '--to', 'json').out);
    assert.equal(run('expr', '--from', file).out, 'sin(x) / 2\n');
    writeFileSync(file, '{"format": "sparselaw", "version": 1, "kind": "expression", "variables": ["x"], "expression": {"fn": "sinh", "arg": {"var": "x"}}}');
    const bad = run('expr', '--from', file);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /\$\.expression\.fn/);
    assert.doesNotMatch(bad.err, /at .*\.js:\d+/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval prints the value and rejects bad points and domains', () => {
  assert.equal(run('eval', '2*sin(x0) - x1^2', '--at', 'x0=1.5,x1=-2').out, `${2 * Math.sin(1.5) - 4}\n`);
  const undeclared = run('eval', 'x + y', '--at', 'x=1');
  assert.equal(undeclared.code, 1);
  assert.match(undeclared.err, /missing a value for variable "y"/);
  assert.match(run('eval', 'x', '--at', 'x=abc').err, /x=abc is not a finite number/);
  assert.match(run('eval', 'log(x)', '--at', 'x=-1').err, /NaN/);
});

test('syntax errors go to stderr with position, exit 1, no stack trace', () => {
  const r = run('expr', '1 +');
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.match(r.err, /line 1, column 4: unexpected end of input/);
  assert.doesNotMatch(r.err, /Error:|at .*\.js:\d+/);
  assert.notEqual(run('expr', 'x', '--to', 'pdf').code, 0);
  assert.equal(run('--help').code, 0);
});
