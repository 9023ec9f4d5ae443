import { Worker } from 'node:worker_threads';
import { SparselawError } from '../../errors.js';
import { closeEnv } from '../../envs/env-state.js';
import { rolloutRunner, type RolloutOutcome, type RolloutRunner, type RolloutSetup, type RolloutTask } from './rollouts.js';

export interface PoolRequest {
  id: number;
  weights: Float64Array[];
  tasks: RolloutTask[];
}

export type PoolReply = { id: number; outcomes: RolloutOutcome[] } | { id: number; error: string; badInput: boolean };

/** Runs batches of rollouts, in this thread (1 worker) or on long-lived worker threads; outcomes come back in task order. */
export interface RolloutPool {
  readonly workers: number;
  run(weights: Float64Array[], tasks: readonly RolloutTask[]): Promise<RolloutOutcome[]>;
  close(): Promise<void>;
}

/**
 * Worker threads live for the whole search (starting one costs far more than a Pendulum episode).
 * Tasks are dealt round-robin; every task's outcome depends on the task alone, so the results are
 * identical for any number of workers.
 */
export function rolloutPool(setup: RolloutSetup, workers: number): RolloutPool {
  if (!(Number.isInteger(workers) && workers >= 1)) throw new SparselawError(`workers must be a positive integer, got ${workers}`);
  if (workers === 1) {
    const runner: RolloutRunner = rolloutRunner(setup);
    return { workers, run: async (weights, tasks) => runner.run(weights, tasks), close: async () => closeEnv(runner.env) };
  }
  const threads = Array.from({ length: workers }, () => new Worker(new URL('./rollout-worker.js', import.meta.url), { workerData: setup }));
  let nextId = 0;
  const ask = (w: Worker, weights: Float64Array[], tasks: RolloutTask[]): Promise<RolloutOutcome[]> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const onMessage = (reply: PoolReply): void => {
        if (reply.id !== id) return;
        cleanup();
        if ('error' in reply) reject(reply.badInput ? new SparselawError(reply.error) : new Error(reply.error));
        else resolve(reply.outcomes);
      };
      const onError = (err: Error): void => {
        cleanup();
        reject(err);
      };
      const onExit = (code: number): void => {
        cleanup();
        reject(new Error(`rollout worker exited with code ${code}`));
      };
      const cleanup = (): void => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.postMessage({ id, weights, tasks } satisfies PoolRequest);
    });
  return {
    workers,
    async run(weights, tasks) {
      const n = Math.min(workers, tasks.length);
      const shares = Array.from({ length: n }, (_, w) => tasks.map((t, i) => ({ t, i })).filter(({ i }) => i % n === w));
      const parts = await Promise.all(shares.map((share, w) => ask(threads[w]!, weights, share.map((s) => s.t))));
      const out = new Array<RolloutOutcome>(tasks.length);
      parts.forEach((outcomes, w) => outcomes.forEach((o, j) => (out[shares[w]![j]!.i] = o)));
      return out;
    },
    async close() {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
