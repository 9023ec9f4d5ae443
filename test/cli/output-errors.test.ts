import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.signal, null, `sparselaw ${args.join(' ')} did not finish`);
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function oneLineUserError(r: { code: number; err: string }, pattern: RegExp): void {
  assert.equal(r.code, 1, r.err);
  assert.doesNotMatch(r.err, /internal error|please report/);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err.trim(), pattern);
}

test('discover and export check --out before any work and name the path and the cause', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-outerr-'));
  try {
    const data = join(dir, 'data.csv');
    const rows = ['x,y'];
    for (let i = 0; i < 200; i++) rows.push(`${i / 10},${(3 * i) / 10 + 1}`);
    writeFileSync(data, rows.join('\n') + '\n');
    const underFile = join(data, 'law.json');
    const d = run('discover', data, '--inputs', 'x', '--targets', 'y', '--library', 'poly:1', '--out', underFile);
    oneLineUserError(d, new RegExp(`^sparselaw: cannot write the law document .*law\\.json: .*data\\.csv is not a directory \\(ENOTDIR\\)$`));
    // Before the work: no lambda path was printed.
    assert.equal(d.out, '');
    const law = join(dir, 'law.json');
    assert.equal(run('discover', data, '--inputs', 'x', '--targets', 'y', '--library', 'poly:1', '--out', law).code, 0);
    oneLineUserError(run('export', law, '--to', 'c', '--out', join(data, 'law.c')), /cannot write the exported law .*data\.csv is not a directory/);
    oneLineUserError(run('export', law, '--to', 'c', '--out', dir), /cannot write the exported law .*: it is a directory/);
    if (existsSync('/proc/self')) {
      oneLineUserError(run('discover', data, '--inputs', 'x', '--targets', 'y', '--out', '/proc/x'), /^sparselaw: cannot write the law document \/proc\/x: cannot create a file in \/proc: no such file or directory \(ENOENT\)$/);
      oneLineUserError(run('export', law, '--out', '/proc/x/law.txt'), /cannot create the directory \/proc\/x/);
    }
    assert.deepEqual(readdirSync(dir).sort(), ['data.csv', 'law.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unreadable inputs are one-line errors naming the path, not internal errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-inerr-'));
  try {
    const out = join(dir, 'law.json');
    oneLineUserError(run('discover', join(dir, 'none.csv'), '--inputs', 'x', '--targets', 'y', '--out', out), /cannot read .*none\.csv: no such file or directory \(ENOENT\)/);
    mkdirSync(join(dir, 'folder.csv'));
    oneLineUserError(run('discover', join(dir, 'folder.csv'), '--inputs', 'x', '--targets', 'y', '--out', out), /folder\.csv: is a directory \(EISDIR\)/);
    oneLineUserError(run('export', join(dir, 'folder.csv')), /folder\.csv/);
    oneLineUserError(run('export', join(dir, 'none.json')), /none\.json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train and simulate check their output before any work and name the path and the cause', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-outerr-'));
  try {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x\n');
    const train = run('train', 'pendulum', '--episodes', '60', '--out', join(file, 'run'));
    oneLineUserError(train, /^sparselaw: cannot write the run directory .*plain\.txt\/run: .*plain\.txt is not a directory \(ENOTDIR\)$/);
    // Before the work: no backend line, no progress.
    assert.equal(train.out, '');
    oneLineUserError(run('simulate', 'ks', '--episodes', '2', '--out', join(file, 's.csv')), /cannot write the data set .*plain\.txt is not a directory/);
    if (existsSync('/proc/self')) oneLineUserError(run('train', 'ks', '--out', '/proc/x'), /cannot write the run directory \/proc\/x/);
    assert.deepEqual(readdirSync(dir), ['plain.txt']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
