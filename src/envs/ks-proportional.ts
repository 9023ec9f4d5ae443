import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SparselawError } from '../errors.js';
import { evaluateKsPolicy, type KsEpisodeCosts } from './ks.js';

/** One evaluation episode of the proportional controller. */
export interface ProportionalTask {
  mu: number;
  gain: number;
  /** Std of the sensor noise (0 for none). */
  sensorNoise: number;
  /** Seed of the sensor noise. */
  seed: number;
  /** Also return |m| of every observation (for the observation range). */
  recordSensors?: boolean;
}

export interface ProportionalResult extends ProportionalTask, KsEpisodeCosts {
  /** |m| of every observation seen by the policy (reset included), when recordSensors was set. */
  absSensors?: number[];
}

/** The classical baseline: each actuator from its own co-located sensor, a_j = clip(-gain m_j, -1, 1). */
export function proportionalPolicy(gain: number): (obs: Float64Array) => Float64Array {
  if (!Number.isFinite(gain)) throw new SparselawError(`proportional gain must be finite, got ${gain}`);
  return (obs) => {
    const a = new Float64Array(obs.length);
    for (let j = 0; j < obs.length; j++) a[j] = Math.min(1, Math.max(-1, -gain * obs[j]!));
    return a;
  };
}

/** One episode of the proportional controller at task.mu. */
export function evaluateProportional(task: ProportionalTask): ProportionalResult {
  const p = proportionalPolicy(task.gain);
  const absSensors: number[] | undefined = task.recordSensors ? [] : undefined;
  const policy = (obs: Float64Array) => {
    if (absSensors) for (const m of obs) absSensors.push(Math.abs(m));
    return p(obs);
  };
  const costs = evaluateKsPolicy(policy, task.mu, { sensorNoise: task.sensorNoise, seed: task.seed });
  return { ...task, ...costs, ...(absSensors ? { absSensors } : {}) };
}

/**
 * Evaluates the tasks on `workers` worker threads (default: one per core), each taking an
 * interleaved share; results come back in task order. Each worker caches its own start states.
 */
export async function evaluateProportionalParallel(tasks: readonly ProportionalTask[], workers = availableParallelism()): Promise<ProportionalResult[]> {
  if (!(Number.isInteger(workers) && workers >= 1)) throw new SparselawError(`workers must be a positive integer, got ${workers}`);
  const n = Math.min(workers, tasks.length);
  const results = new Array<ProportionalResult>(tasks.length);
  await Promise.all(
    Array.from({ length: n }, (_, w) => {
      const share = tasks.map((t, i) => ({ t, i })).filter(({ i }) => i % n === w);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(new URL('./ks-proportional-worker.js', import.meta.url), { workerData: share.map((s) => s.t) });
        worker.once('message', (out: ProportionalResult[]) => {
          out.forEach((r, j) => (results[share[j]!.i] = r));
          resolve();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => {
          if (code !== 0) reject(new Error(`proportional-baseline worker ${w} exited with code ${code}`));
        });
      });
    }),
  );
  return results;
}
