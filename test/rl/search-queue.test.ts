import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainSearch } from '../../src/rl/search/es.js';
import { defaultSearchConfig } from '../../src/rl/search/config.js';
import { freePort, runCli, SKIP_WITHOUT_REDIS, startCli, startRedis, stop, waitFor, type Started } from '../sweep/support.js';

const CONFIG = defaultSearchConfig('pendulum', { policy: 'poly:2', iterations: 30, directions: 8, top: 4, rollouts: 2, horizon: 200, hardenAfter: 20, maxTerms: 6, evalEvery: 10, seed: 4 });

test('the search on a Redis queue: a worker killed mid-run has its rollouts redone by another, and the law equals the one from local threads', { skip: SKIP_WITHOUT_REDIS }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-es-queue-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const { redis, redisExit } = await startRedis(port, dir);
  const workers: Started[] = [];
  try {
    const local = await trainSearch(CONFIG, { workers: 2 });
    const workerArgs = ['worker', '--queue', url, '--concurrency', '1', '--lock-seconds', '2', '--queue-name', 'test-es'];
    const a = startCli(workerArgs, { detached: true });
    workers.push(a);
    await waitFor('worker A to be ready', () => /ready/.test(a.out()), 30_000);
    const queued = trainSearch(CONFIG, { queue: { url, name: 'test-es' } });
    await waitFor('worker A to serve rollouts', () => /serving search rollouts: pendulum, law poly:2/.test(a.out()), 30_000);
    process.kill(-a.child.pid!, 'SIGKILL');
    await a.exit;
    const b = startCli(workerArgs, { detached: true });
    workers.push(b);
    const result = await queued;
    assert.ok(/serving search rollouts/.test(b.out()), `worker B took over:\n${b.out()}`);
    assert.deepEqual(Array.from(result.weights), Array.from(local.weights));
    assert.deepEqual(result.history.map((h) => [h.return, h.evalMean, h.terms, h.envSteps]), local.history.map((h) => [h.return, h.evalMean, h.terms, h.envSteps]));
    assert.deepEqual(result.law?.outputs, local.law?.outputs);
    // The CLI refuses a malformed queue and the queue's options for TD3, before any work.
    const bad = await runCli(['train', 'pendulum', '--algo', 'es', '--queue', 'http://x:1', '--out', join(dir, 'x')]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /--queue: "http:\/\/x:1": expected a redis:\/\/ URL/);
    const td3 = await runCli(['train', 'pendulum', '--queue', url, '--out', join(dir, 'y')]);
    assert.match(td3.err, /TD3 does not use --queue \(options of --algo es\)/);
  } finally {
    for (const w of workers) await stop(w.child, w.exit, 'SIGINT', true);
    await stop(redis, redisExit, 'SIGTERM', false);
    rmSync(dir, { recursive: true, force: true });
  }
});
