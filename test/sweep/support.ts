import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { checkQueue } from '../../src/sweep/queue.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

/** Small but real trainings: TD3 updates start after episode 2. */
export const SHORT_TRAIN = ['--episodes', '4', '--update-after', '2', '--updates-per-episode', '5', '--critic-width', '8'];

export interface Started {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

/** Start the CLI; `detached` gives it its own process group (so the test can kill it with its children). */
export function startCli(args: readonly string[], options: { detached?: boolean } = {}): Started {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  return { child, out: () => out, err: () => err, exit };
}

export async function runCli(args: readonly string[], timeoutMs = 120_000): Promise<{ code: number | null; out: string; err: string }> {
  const s = startCli(args);
  const timer = setTimeout(() => s.child.kill('SIGKILL'), timeoutMs);
  const code = await s.exit;
  clearTimeout(timer);
  return { code, out: s.out(), err: s.err() };
}

export async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What must be equal between two executions of the same run: the law (less its wall time) and the final evaluation. */
export function runResult(dir: string): { finalEval: unknown; law?: unknown } {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { finalEval: unknown };
  const lawPath = join(dir, 'law.json');
  if (!existsSync(lawPath)) return { finalEval: summary.finalEval };
  const law = JSON.parse(readFileSync(lawPath, 'utf8')) as { metrics?: Record<string, unknown> };
  delete law.metrics?.seconds;
  return { finalEval: summary.finalEval, law };
}

const redisMissing = spawnSync('redis-server', ['--version']).status !== 0;
/** The skip reason of a test that needs a real Redis, or false. */
export const SKIP_WITHOUT_REDIS = redisMissing ? 'redis-server is not installed (apt-get install redis-server; .ci/run installs it): the queue test needs a real Redis' : false;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway Redis on a port, answering before this returns. */
export async function startRedis(port: number, dir: string): Promise<{ redis: ChildProcess; redisExit: Promise<unknown> }> {
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const redisExit = new Promise((r) => redis.once('exit', r));
  for (let i = 0; ; i++) {
    try {
      await checkQueue(`redis://127.0.0.1:${port}`, 1000);
      return { redis, redisExit };
    } catch (err) {
      if (i >= 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Stops a child (or its process group) with a signal, and with SIGKILL if it is still there after 10 s. */
export async function stop(child: ChildProcess, exit: Promise<unknown>, signal: NodeJS.Signals, group: boolean): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (group) process.kill(-child.pid!, signal);
    else child.kill(signal);
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      if (group) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }, 10_000);
  await exit;
  clearTimeout(timer);
}
