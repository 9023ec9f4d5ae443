import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNumericCsv } from '../../src/data/csv.js';

/** What a new user runs into: each case is one command and the one located line it must print. */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/bin.js');
const KS_LAW = join(ROOT, 'examples/laws/ks-poly3.json');
let dir: string;

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dir });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** One line on stderr, starting "sparselaw: ", with no stack trace. */
function oneLine(err: string): void {
  const lines = err.trim().split('\n');
  assert.equal(lines.length, 1, err);
  assert.match(lines[0]!, /^sparselaw: /);
  assert.doesNotMatch(err, /internal error|\n\s+at /);
}

const TINY_TRAIN = ['--policy', 'poly:1', '--episodes', '2', '--warmup-episodes', '1', '--update-after', '1', '--updates-per-episode', '2', '--critic-width', '8', '--eval-every', '1'];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sparselaw-reliability-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('train into a finished run refuses and names --overwrite; --overwrite replaces the run and its report', () => {
  const out = join(dir, 'run1');
  assert.equal(run('train', 'pendulum', ...TINY_TRAIN, '--out', out).code, 0);
  const law = readFileSync(join(out, 'law.json'), 'utf8');
  writeFileSync(join(out, 'report.html'), '<p>old report</p>');
  const again = run('train', 'pendulum', ...TINY_TRAIN, '--seed', '5', '--out', out);
  assert.equal(again.code, 1);
  oneLine(again.err);
  assert.match(again.err, /already holds a finished run \(law\.json, checkpoint\.bin, returns\.csv, summary\.json, report\.html\): choose another --out, or add --overwrite/);
  assert.equal(readFileSync(join(out, 'law.json'), 'utf8'), law);
  const replaced = run('train', 'pendulum', ...TINY_TRAIN, '--seed', '5', '--overwrite', '--out', out);
  assert.equal(replaced.code, 0, replaced.err);
  assert.notEqual(readFileSync(join(out, 'law.json'), 'utf8'), law);
  assert.equal(existsSync(join(out, 'report.html')), false, 'the old report describes a law that is gone');
});

test('train --resume without a checkpoint names what is missing and creates nothing', () => {
  const out = join(dir, 'never', 'run');
  const r = run('train', 'pendulum', ...TINY_TRAIN, '--resume', '--out', out);
  assert.equal(r.code, 1);
  oneLine(r.err);
  assert.match(r.err, /nothing to resume: .*checkpoint\.bin does not exist \(run without --resume to start a new run\)/);
  assert.equal(existsSync(join(dir, 'never')), false);
});

test('simulate --actions records the applied (clipped) action and says how many were clipped; discover then finds 0.15 * torque', () => {
  const actions = join(dir, 'actions.csv');
  // A fixed, dense spread of torques in [-4, 4]: half of them beyond the bounds.
  writeFileSync(actions, ['torque', ...Array.from({ length: 200 }, (_, i) => String(-4 + (8 * ((i * 37) % 200)) / 199))].join('\n') + '\n');
  const data = join(dir, 'clipped.csv');
  const r = run('simulate', 'pendulum', '--actions', actions, '--out', data);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /note: \d+ action values lay outside the bounds \(torque in \[-2, 2\]\) and were clipped; the file holds the applied actions/);
  const table = readNumericCsv(data);
  const torque = table.columns.get('torque')!;
  assert.ok(torque.every((u) => u >= -2 && u <= 2));
  assert.ok(torque.some((u) => u === 2) && torque.some((u) => u === -2));
  const law = join(dir, 'clipped.json');
  const d = run('discover', data, '--inputs', 'sin_theta,theta_dot,torque', '--targets', 'next_theta_dot', '--library', 'poly:1', '--out', law);
  assert.equal(d.code, 0, d.err);
  assert.match(d.out, /next_theta_dot = 0\.7357\d* \* sin_theta \+ theta_dot \+ 0\.15\d* \* torque/);
  // One episode: the last rows were held out, and the note says so (instead of refusing).
  assert.match(d.out + d.err, /note: the data holds one episode: its last 40 rows are held out for validation/);
});

test('simulate refuses an absurd --episodes before any work, and leaves no file', () => {
  const out = join(dir, 'huge.csv');
  const r = run('simulate', 'pendulum', '--episodes', '1000000000000', '--out', out);
  assert.equal(r.code, 1);
  oneLine(r.err);
  assert.match(r.err, /--episodes 1000000000000: up to 2\.00e\+14 rows \(about [\d.]+ PB\) would not fit in the .* free at .*; ask for fewer episodes/);
  assert.equal(existsSync(out), false);
});

test('simulate interrupted by SIGINT leaves neither the output nor a temporary file', async () => {
  const sub = join(dir, 'sigint');
  mkdirSync(sub);
  const child = spawn(process.execPath, [BIN, 'simulate', 'pendulum', '--episodes', '100000', '--out', join(sub, 'big.csv')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => {
    err += b.toString();
    if (/episodes \d+\//.test(err) && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 130, err);
  assert.match(err, /interrupted: nothing written to/);
  assert.deepEqual(readdirSync(sub), []);
});

test('--out equal to the command\'s input is refused, and the input is kept', () => {
  const data = join(dir, 'copy.csv');
  assert.equal(run('simulate', 'pendulum', '--episodes', '5', '--out', data).code, 0);
  const before = readFileSync(data, 'utf8');
  const d = run('discover', 'copy.csv', '--inputs', 'sin_theta,theta_dot,torque', '--targets', 'next_theta_dot', '--out', 'copy.csv');
  assert.equal(d.code, 1);
  oneLine(d.err);
  assert.match(d.err, /cannot write the law document copy\.csv: it is the command's input copy\.csv; choose another --out/);
  assert.equal(readFileSync(data, 'utf8'), before);
  const lawFile = join(dir, 'law-in.json');
  writeFileSync(lawFile, readFileSync(KS_LAW));
  const e = run('export', lawFile, '--to', 'text', '--out', lawFile);
  assert.equal(e.code, 1);
  oneLine(e.err);
  assert.match(e.err, /it is the command's input/);
  assert.equal(readFileSync(lawFile, 'utf8'), readFileSync(KS_LAW, 'utf8'));
});

test('rollout LAW takes the environment from the law; a mismatched --env names the right one', () => {
  const r = run('rollout', KS_LAW, '--episodes', '1', '--seed', '3');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /mean return -\d+\.\d+ over 1 episodes; mean stateCost/);
  const wrong = run('rollout', KS_LAW, '--env', 'pendulum');
  assert.equal(wrong.code, 1);
  oneLine(wrong.err);
  assert.match(wrong.err, /the law's input "m1" is not an observation of Pendulum-v1 .*\(the law was made for ks: drop --env or give --env ks\)/);
});

test('discover refuses an input that is also a target', () => {
  const data = join(dir, 'copy.csv');
  const r = run('discover', data, '--inputs', 'sin_theta,theta_dot', '--targets', 'next_theta_dot,theta_dot', '--out', join(dir, 'x.json'));
  assert.equal(r.code, 1);
  oneLine(r.err);
  assert.match(r.err, /"theta_dot" is both an input and a target .*: drop it from --inputs or --targets/);
});

test('a law whose terms table disagrees with its expression is refused on load, at the terms path', () => {
  const doc = JSON.parse(readFileSync(join(ROOT, 'examples/laws/pendulum-poly3.json'), 'utf8'));
  doc.outputs[0].terms[0].coefficient = 5;
  const bad = join(dir, 'disagree.json');
  writeFileSync(bad, JSON.stringify(doc));
  const r = run('export', bad);
  assert.equal(r.code, 1);
  oneLine(r.err);
  assert.match(r.err, /disagree\.json: \$\.outputs\[0\]\.terms: the terms table does not describe the expression \(at .* the expression gives .* and the terms table sums to .*\)/);
});

test('a huge bad CSV cell is quoted cut, with its length', () => {
  const data = join(dir, 'bigcell.csv');
  writeFileSync(data, `x,y\n1,2\n"${'a'.repeat(2_000_000)}",3\n`);
  const r = run('discover', data, '--inputs', 'x', '--targets', 'y', '--out', join(dir, 'b.json'));
  assert.equal(r.code, 1);
  oneLine(r.err);
  assert.ok(r.err.length < 300, `${r.err.length} characters`);
  assert.match(r.err, /line 3, column "x": "a{40}"\.\.\. \(2,000,000 characters\) is not a finite number/);
});

test('report --out an existing directory says so, and writes nothing', () => {
  const target = join(dir, 'a-dir');
  mkdirSync(target);
  const r = run('report', KS_LAW, '--out', target);
  assert.equal(r.code, 1);
  oneLine(r.err);
  assert.match(r.err, /cannot write the report .*a-dir: it is a directory/);
  assert.deepEqual(readdirSync(target), []);
});

test('report on an unfinished run says it is unfinished and how to resume', () => {
  const out = join(dir, 'unfinished');
  mkdirSync(out);
  writeFileSync(join(out, 'checkpoint.bin'), '');
  writeFileSync(join(out, 'returns.csv'), 'episode,return\n1,-100\n');
  const r = run('report', out);
  assert.equal(r.code, 1);
  oneLine(r.err);
  assert.match(r.err, /this run is unfinished \(it has a checkpoint but no law yet\): continue it with the same train command and --resume/);
});

test('train --policy: MLP in capitals is the MLP; an unknown kind names mlp among the choices', () => {
  const r = run('train', 'pendulum', '--policy', 'banana', '--out', join(dir, 'banana'));
  assert.equal(r.code, 1);
  oneLine(r.err);
  assert.match(r.err, /--policy: expected mlp \(a dense network\) or a library for a sparse law; library spec "banana"/);
  assert.equal(existsSync(join(dir, 'banana')), false);
  const mlp = run('train', 'pendulum', ...TINY_TRAIN.slice(2), '--policy', 'MLP', '--out', join(dir, 'mlp'));
  assert.equal(mlp.code, 0, mlp.err);
  assert.equal(JSON.parse(readFileSync(join(dir, 'mlp', 'summary.json'), 'utf8')).config.policy, 'mlp');
});

test('a semicolon-separated CSV gets a hint, and --delimiter reads it', () => {
  const data = join(dir, 'semi.csv');
  const rows = Array.from({ length: 60 }, (_, i) => `${i / 10};${(3 * i) / 10 + 1}`);
  writeFileSync(data, ['x;y', ...rows].join('\n') + '\n');
  const r = run('discover', data, '--inputs', 'x', '--targets', 'y', '--library', 'poly:1', '--out', join(dir, 'semi.json'));
  assert.equal(r.code, 1);
  oneLine(r.err);
  assert.match(r.err, /line 1 is a single column "x;y": the file looks semicolon-separated; give --delimiter ';'/);
  const ok = run('discover', data, '--inputs', 'x', '--targets', 'y', '--library', 'poly:1', '--delimiter', ';', '--out', join(dir, 'semi.json'));
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /y = 1 \+ 3 \* x|y = 3 \* x \+ 1/);
});
