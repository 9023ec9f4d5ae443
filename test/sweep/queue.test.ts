import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseQueueUrl } from '../../src/sweep/queue.js';
import { freePort, runCli, runResult, SKIP_WITHOUT_REDIS as SKIP, startCli, startRedis, stop, waitFor, type Started } from './support.js';

test('an unreachable queue fails within seconds with a clear message, for the sweep and the worker', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-queue-'));
  try {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const sweep = await runCli(['sweep', 'train', 'pendulum', '--seed', '1..2', '--out', join(dir, 's'), '--queue', url], 30_000);
    assert.equal(sweep.code, 1, sweep.err);
    assert.match(sweep.err, new RegExp(`cannot reach the queue at ${url}: .*ECONNREFUSED`));
    const worker = await runCli(['worker', '--queue', url], 30_000);
    assert.equal(worker.code, 1, worker.err);
    assert.match(worker.err, /cannot reach the queue at .*ECONNREFUSED/);
    assert.throws(() => parseQueueUrl('http://127.0.0.1:1'), /--queue: "http:\/\/127\.0\.0\.1:1": expected a redis:\/\/ URL/);
    assert.throws(() => parseQueueUrl('127.0.0.1:6379'), /expected a redis:\/\/ URL|is not a URL/);
    assert.deepEqual(parseQueueUrl('redis://127.0.0.1:6390/2'), { host: '127.0.0.1', port: 6390, db: 2 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a queued sweep on two workers: a job whose worker is killed is retried by the other, each run completes once, results equal the local pool', { skip: SKIP }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-queue-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const { redis, redisExit } = await startRedis(port, dir);
  const workers: Started[] = [];
  let sweep: Started | undefined;
  try {
    const grid = ['train', 'pendulum', '--policy', 'poly:2', '--seed', '1..2', '--episodes', '10', '--update-after', '2', '--updates-per-episode', '5', '--critic-width', '8'];
    const local = await runCli(['sweep', ...grid, '--jobs', '2', '--out', join(dir, 'local')]);
    assert.equal(local.code, 0, local.err);

    const workerArgs = ['worker', '--queue', url, '--concurrency', '1', '--lock-seconds', '2', '--queue-name', 'test-sweep'];
    const a = startCli([...workerArgs, '--work-dir', join(dir, 'work-a')], { detached: true });
    workers.push(a);
    await waitFor('worker A to be ready', () => /ready/.test(a.out()), 30_000);
    sweep = startCli(['sweep', ...grid, '--out', join(dir, 'queued'), '--queue', url, '--queue-name', 'test-sweep']);
    await waitFor('worker A to start a job', () => /started /.test(a.out()), 30_000);
    const killed = /started (\S+)/.exec(a.out())![1]!;
    // Mid-job: its training process is running. Kill the worker with its run, as a lost machine would.
    await new Promise((r) => setTimeout(r, 500));
    process.kill(-a.child.pid!, 'SIGKILL');
    await a.exit;
    assert.doesNotMatch(a.out(), new RegExp(`completed ${killed}`));
    const b = startCli([...workerArgs, '--work-dir', join(dir, 'work-b')], { detached: true });
    workers.push(b);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([sweep.exit, new Promise((r) => (timer = setTimeout(() => r('timeout'), 120_000)))]);
    clearTimeout(timer);
    assert.equal(code, 0, `sweep: ${sweep.err()}\nworker A:\n${a.out()}\nworker B:\n${b.out()}`);
    assert.match(sweep.out(), /2 of 2 runs done \(0 from before\), 0 failed/);

    // The killed job was taken up again by B; every run completed exactly once.
    const completions = [...(a.out() + b.out()).matchAll(/completed (\S+)/g)].map((m) => m[1]);
    assert.deepEqual(completions.slice().sort(), readdirSync(join(dir, 'local', 'runs')).sort());
    assert.match(b.out(), new RegExp(`started ${killed} \\(job \\S+, attempt 2\\)`));
    const record = JSON.parse(readFileSync(join(dir, 'queued', 'runs', killed, 'run.json'), 'utf8'));
    assert.equal(record.attemptsStarted, 2);
    assert.match(record.ranBy, new RegExp(`:${b.child.pid}$`));
    for (const run of readdirSync(join(dir, 'local', 'runs'))) {
      assert.deepEqual(runResult(join(dir, 'queued', 'runs', run)), runResult(join(dir, 'local', 'runs', run)), run);
    }
  } finally {
    if (sweep) await stop(sweep.child, sweep.exit, 'SIGINT', false);
    for (const w of workers) await stop(w.child, w.exit, 'SIGINT', true);
    await stop(redis, redisExit, 'SIGTERM', false);
    rmSync(dir, { recursive: true, force: true });
  }
});
