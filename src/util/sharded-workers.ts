import { availableParallelism } from 'node:os';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { SparselawError } from '../errors.js';

/** What a worker posts back: its results, or the one-line message of the error that stopped it. */
type Reply<R> = { results: R[] } | { error: string; badInput: boolean };

/**
 * Runs tasks on `workers` worker threads (default: one per core), each taking an interleaved share
 * of the task list; results come back in task order. The worker module calls serveShard. A
 * SparselawError in a worker (bad input) arrives as a SparselawError, anything else as an Error.
 */
export async function runSharded<T, R>(workerUrl: URL, tasks: readonly T[], workers = availableParallelism(), label = 'worker'): Promise<R[]> {
  if (!(Number.isInteger(workers) && workers >= 1)) throw new SparselawError(`workers must be a positive integer, got ${workers}`);
  const n = Math.min(workers, tasks.length);
  const results = new Array<R>(tasks.length);
  await Promise.all(
    Array.from({ length: n }, (_, w) => {
      const share = tasks.map((t, i) => ({ t, i })).filter(({ i }) => i % n === w);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerUrl, { workerData: share.map((s) => s.t) });
        let settled = false;
        worker.once('message', (reply: Reply<R>) => {
          settled = true;
          // tfjs may hold a worker's event loop open: its work is done once it has replied.
          void worker.terminate();
          if ('error' in reply) {
            reject(reply.badInput ? new SparselawError(reply.error) : new Error(reply.error));
            return;
          }
          reply.results.forEach((r, j) => (results[share[j]!.i] = r));
          resolve();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => {
          if (!settled) reject(new Error(`${label} ${w} exited with code ${code} before replying`));
        });
      });
    }),
  );
  return results;
}

/** The worker side of runSharded: evaluates this worker's share in order and posts the reply. */
export async function serveShard<T, R>(evaluate: (task: T) => R | Promise<R>): Promise<void> {
  const tasks = workerData as T[];
  let reply: Reply<R>;
  try {
    const results: R[] = [];
    for (const t of tasks) results.push(await evaluate(t));
    reply = { results };
  } catch (err) {
    reply = { error: err instanceof Error ? err.message : String(err), badInput: err instanceof SparselawError };
  }
  parentPort!.postMessage(reply);
}
