import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorLine } from './layout.js';

/** The built CLI: every run is a child process of it, so a sweep runs whatever train/discover accept. */
export const CLI_BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url));

/**
 * `train` runs its two critics in two threads on a two-core machine; when several runs share the
 * machine, one thread each keeps the pool from oversubscribing the cores. A run's numbers are the
 * same with one thread or two (the training engine's own guarantee), and a user's setting wins.
 */
export function childEnv(runsAtOnce: number): NodeJS.ProcessEnv {
  if (runsAtOnce <= 1 || process.env.SPARSELAW_THREADS !== undefined) return process.env;
  return { ...process.env, SPARSELAW_THREADS: '1' };
}

export interface ChildResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  /** The CLI's error line when it failed. */
  error?: string;
}

export interface RunningChild {
  process: ChildProcess;
  done: Promise<ChildResult>;
}

/**
 * Start `sparselaw ARGV` with stdout and stderr appended to LOGDIR/stdout.log and stderr.log.
 * `detached` puts the child in its own process group, so a Ctrl-C at the terminal reaches only the
 * parent, which forwards exactly one SIGINT (a second one makes `train` quit without its checkpoint).
 */
export function startChild(argv: readonly string[], logDir: string, detached: boolean, runsAtOnce = 1): RunningChild {
  mkdirSync(logDir, { recursive: true });
  const out = openSync(join(logDir, 'stdout.log'), 'a');
  const err = openSync(join(logDir, 'stderr.log'), 'a');
  const errStart = readFileSync(join(logDir, 'stderr.log'), 'utf8').length;
  const started = performance.now();
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [CLI_BIN, ...argv], { stdio: ['ignore', out, err], detached, env: childEnv(runsAtOnce) });
  } finally {
    closeSync(out);
    closeSync(err);
  }
  const done = new Promise<ChildResult>((resolveDone) => {
    let settled = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, spawnError?: Error): void => {
      if (settled) return;
      settled = true;
      const seconds = (performance.now() - started) / 1000;
      const result: ChildResult = { exitCode, signal, seconds };
      if (spawnError) result.error = `could not start ${process.execPath}: ${spawnError.message}`;
      else if (exitCode !== 0) {
        const stderr = readFileSync(join(logDir, 'stderr.log'), 'utf8').slice(errStart);
        result.error = signal ? `killed by ${signal}` : errorLine(stderr);
      }
      resolveDone(result);
    };
    child.once('error', (e) => finish(null, null, e));
    child.once('exit', (code, signal) => finish(code, signal));
  });
  return { process: child, done };
}
