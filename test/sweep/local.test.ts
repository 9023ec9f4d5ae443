import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runResult, SHORT_TRAIN, startCli, waitFor } from './support.js';

function runDirs(out: string): string[] {
  return readdirSync(join(out, 'runs')).sort();
}

function record(out: string, run: string): { status: string; resumed: boolean; error?: string } {
  return JSON.parse(readFileSync(join(out, 'runs', run, 'run.json'), 'utf8'));
}

test('a local sweep runs the cross product, reports a failed run without stopping the rest, aggregates, and skips or resumes on a second call', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-sweep-'));
  try {
    const out = join(dir, 'sweep');
    const args = ['sweep', 'train', 'pendulum', '--policy', 'poly:2,poly:x', '--seed', '1..2', ...SHORT_TRAIN, '--jobs', '2', '--out', out];
    const first = await runCli(args);
    assert.equal(first.code, 1, first.err);
    assert.match(first.err, /2 of 4 runs failed/);
    assert.match(first.err, /002-policy=poly_x,seed=1: .*library spec "poly:x"/);
    assert.doesNotMatch(first.err, /at .*\.js:\d+/);
    assert.deepEqual(runDirs(out), ['000-policy=poly_2,seed=1', '001-policy=poly_2,seed=2', '002-policy=poly_x,seed=1', '003-policy=poly_x,seed=2']);
    assert.equal(record(out, '000-policy=poly_2,seed=1').status, 'done');
    assert.equal(record(out, '003-policy=poly_x,seed=2').status, 'failed');
    // The aggregate: one row per configuration, mean and std over the two seeds.
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const poly2 = summary.configurations.find((c: { key: string }) => c.key === 'policy=poly:2');
    assert.equal(poly2.finished, 2);
    const returns = poly2.runs.map((r: { metrics: { return: number } }) => r.metrics.return);
    assert.equal(poly2.stats.return.mean, (returns[0] + returns[1]) / 2);
    assert.ok(Math.abs(poly2.stats.return.std - Math.abs(returns[0] - returns[1]) / Math.SQRT2) < 1e-9 * Math.abs(returns[0]));
    assert.deepEqual(poly2.gatesBinary, { yes: 2, of: 2 });
    const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'policy,runs,failed,return_mean,return_std,terms_mean,terms_std,seconds_mean,seconds_std,gates_binary_runs');
    assert.match(csv[1]!, /^poly:2,2,0,-\d/);
    assert.match(csv[2]!, /^poly:x,0,2,/);
    assert.match(first.out, /\| policy=poly:2 \| +2\/2 \| -\d+\.\d ± \d+\.\d \|/);

    // A finished run whose result files are gone but whose checkpoint is there resumes from it and
    // gives the same result; the finished one is skipped.
    const before = runResult(join(out, 'runs', '001-policy=poly_2,seed=2'));
    unlinkSync(join(out, 'runs', '001-policy=poly_2,seed=2', 'summary.json'));
    unlinkSync(join(out, 'runs', '001-policy=poly_2,seed=2', 'law.json'));
    const second = await runCli(args);
    assert.equal(second.code, 1, second.err);
    assert.match(second.out, /2 of 4 runs done \(1 from before\), 2 failed/);
    assert.equal(record(out, '001-policy=poly_2,seed=2').resumed, true);
    assert.deepEqual(runResult(join(out, 'runs', '001-policy=poly_2,seed=2')), before);

    // The same directory with another grid is refused.
    const other = await runCli(['sweep', 'train', 'pendulum', '--policy', 'poly:2', '--seed', '1..3', ...SHORT_TRAIN, '--out', out]);
    assert.equal(other.code, 1);
    assert.match(other.err, /holds a different sweep \(spec\.options: keys/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Ctrl-C stops every run with a checkpoint; the same command resumes them to the results of an uninterrupted sweep', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-sweep-'));
  try {
    const base = ['train', 'pendulum', '--policy', 'poly:2', '--seed', '5..6', '--episodes', '20', '--update-after', '2', '--updates-per-episode', '10', '--critic-width', '8', '--jobs', '2'];
    const reference = await runCli(['sweep', ...base, '--out', join(dir, 'reference')]);
    assert.equal(reference.code, 0, reference.err);
    const out = join(dir, 'interrupted');
    const s = startCli(['sweep', ...base, '--out', out]);
    // Both runs have started training (their progress shows in their logs), then Ctrl-C.
    await waitFor('both runs to train', () => {
      if (!existsSync(join(out, 'runs'))) return false;
      const runs = readdirSync(join(out, 'runs'));
      return runs.length === 2 && runs.every((r) => existsSync(join(out, 'runs', r, 'stderr.log')) && /episodes \d+\/20/.test(readFileSync(join(out, 'runs', r, 'stderr.log'), 'utf8')));
    });
    s.child.kill('SIGINT');
    assert.equal(await s.exit, 130, s.err());
    const runs = runDirs(out);
    // A run may finish in the moment between the check above and the signal; the others stop with a checkpoint.
    const stopped = runs.filter((r) => record(out, r).status !== 'done');
    assert.ok(stopped.length > 0, 'no run was interrupted');
    for (const r of stopped) {
      assert.equal(record(out, r).status, 'interrupted');
      assert.ok(existsSync(join(out, 'runs', r, 'checkpoint.bin')));
      assert.ok(!existsSync(join(out, 'runs', r, 'summary.json')));
    }
    const resumed = await runCli(['sweep', ...base, '--out', out]);
    assert.equal(resumed.code, 0, resumed.err);
    for (const r of runs) {
      if (stopped.includes(r)) assert.equal(record(out, r).resumed, true);
      assert.deepEqual(runResult(join(out, 'runs', r)), runResult(join(dir, 'reference', 'runs', r)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
