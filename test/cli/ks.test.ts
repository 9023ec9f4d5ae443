import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveLaw, type LawDocument } from '../../src/export/law.js';
import { parse } from '../../src/expr/parse.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const run = (...args: string[]): { code: number; out: string; err: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
};
const M = Array.from({ length: 8 }, (_, j) => `m${j + 1}`);
const A = Array.from({ length: 8 }, (_, j) => `a${j + 1}`);

/** a_j = tanh(-k m_j): a proportional law written as a law document. */
function proportionalLaw(k: number, inputs = [...M, 'mu']): LawDocument {
  return { inputs, outputs: A.map((name, j) => ({ name, expr: parse(`tanh(-${k} * m${j + 1})`), terms: [{ term: `m${j + 1}`, coefficient: -k }] })) };
}

test('simulate ks: actions from a file, one row per step, the documented columns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-ks-'));
  try {
    const actions = join(dir, 'a.csv');
    writeFileSync(actions, [A.join(','), ...Array.from({ length: 5 }, (_, t) => A.map((_, j) => ((t + j) % 3) / 2 - 0.5).join(','))].join('\n') + '\n');
    const out = join(dir, 's.csv');
    const r = run('simulate', 'ks', '--mu', '0.1', '--actions', actions, '--out', out);
    assert.equal(r.code, 0, r.err);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines[0], ['episode', 'step', ...M, 'mu', ...A, 'reward', ...M.map((m) => `next_${m}`), 'terminated', 'truncated'].join(','));
    assert.equal(lines.length, 6);
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    rows.forEach((row, t) => {
      assert.equal(row[1], t);
      assert.equal(row[10], 0.1);
      assert.equal(row[11], ((t + 0) % 3) / 2 - 0.5);
      assert.ok(row[19]! < 0);
    });
    // next_m of one step is m of the next.
    assert.deepEqual(rows[1]!.slice(2, 10), rows[0]!.slice(20, 28));
    assert.equal(rows.at(-1)!.at(-1), 1, 'the last row of an actions file ends the episode');
    // A random data set with a law as policy (mu drawn per episode) works too.
    const law = join(dir, 'p.json');
    saveLaw(law, proportionalLaw(0.5));
    const s = run('simulate', 'ks', '--policy', law, '--episodes', '2', '--env-option', 'episodeSteps=4', '--out', join(dir, 'p.csv'));
    assert.equal(s.code, 0, s.err);
    assert.equal(readFileSync(join(dir, 'p.csv'), 'utf8').trim().split('\n').length, 9);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rollout ks: a law in m1..m8 and mu, at a fixed mu, with sensor noise, and on an evaluation protocol', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-ks-'));
  try {
    const law = join(dir, 'p.json');
    saveLaw(law, proportionalLaw(1));
    const short = ['--env-option', 'episodeSteps=30'];
    const r = run('rollout', law, '--env', 'ks', '--mu', '0.225', '--episodes', '1', ...short);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /episode \|\s+mu \|\s+return \|\s+stateCost \|\s+actionCost/);
    assert.match(r.out, /0\.2250/);
    const noisy = run('rollout', law, '--env', 'ks', '--mu', '0.225', '--episodes', '1', '--sensor-noise', '0.25', ...short);
    assert.equal(noisy.code, 0, noisy.err);
    assert.notEqual(noisy.out, r.out);
    const out = run('rollout', law, '--env', 'ks', '--eval', 'out', ...short);
    assert.equal(out.code, 0, out.err);
    assert.match(out.out, /mean return -[\d.]+ over 8 episodes/);
    const mus = out.out.split('\n').filter((l) => /^\| \d/.test(l)).map((l) => Number(l.split('|')[2]));
    assert.equal(mus.length, 8);
    for (const mu of mus) assert.ok(Math.abs(mu) >= 0.2 && Math.abs(mu) <= 0.25, String(mu));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ks: bad input gets a clear error and no output file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-ks-'));
  try {
    const write = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const header = A.join(',');
    const row = A.map(() => '0.1').join(',');
    const pendulumLaw = join(dir, 'pend.json');
    saveLaw(pendulumLaw, { inputs: ['cos_theta', 'sin_theta', 'theta_dot'], outputs: [{ name: 'torque', expr: parse('-theta_dot'), terms: [] }] });
    const out = join(dir, 's.csv');
    const cases: [string[], RegExp][] = [
      [['simulate', 'ks', '--mu', 'abc', '--out', out], /--mu.*expected a finite number, got "abc"/],
      [['simulate', 'ks', '--env-option', 'viscosity=2', '--out', out], /ks has no option "viscosity"/],
      [['simulate', 'ks', '--env-option', 'substeps=0', '--out', out], /option substeps: must be a positive integer/],
      [['simulate', 'ks', '--actions', write('missing.csv', `${A.slice(0, 7).join(',')}\n${A.slice(0, 7).map(() => 0).join(',')}\n`), '--out', out], /missing\.csv: no column "a8"/],
      [['simulate', 'ks', '--actions', write('extra.csv', `${header},a9\n${row},0\n`), '--out', out], /extra\.csv: unexpected column "a9"/],
      [['simulate', 'ks', '--actions', write('ragged.csv', `${header}\n${row}\n0.1,0.2\n`), '--out', out], /ragged\.csv: line 3: 2 fields, but the header has 8/],
      [['simulate', 'ks', '--actions', write('nan.csv', `${header}\n${row.replace(/^0\.1/, 'NaN')}\n`), '--out', out], /nan\.csv: line 2, column "a1": "NaN" is not a finite number/],
      [['rollout', pendulumLaw, '--env', 'ks'], /the law.s input "cos_theta" is neither an observation of KS-v0/],
      [['rollout', pendulumLaw, '--env', 'ks', '--eval', 'sideways'], /ks has no evaluation protocol "sideways"/],
    ];
    for (const [args, pattern] of cases) {
      const r = run(...args);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.err, pattern);
      assert.doesNotMatch(r.err, /at .*\.js:\d+/);
      assert.ok(!existsSync(out), `${args.join(' ')} left an output file`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
