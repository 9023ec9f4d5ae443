import { spawn, type ChildProcess } from 'node:child_process';
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
