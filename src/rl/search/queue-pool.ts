import { Queue, QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { SparselawError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { checkQueue, connection } from '../../sweep/queue.js';
import { rolloutPool, type RolloutPool } from './pool.js';
import { prepareRolloutSetup, type RolloutOutcome, type RolloutSetup, type RolloutTask } from './rollouts.js';

/** The BullMQ job name of a batch of search rollouts (sweep runs are named by their run id). */
export const ROLLOUT_JOB = 'sparselaw:rollouts';

/** A batch of rollouts as a job carries it: JSON, so the weights travel as plain arrays (doubles survive exactly). */
export interface RolloutJobData {
  setup: RolloutSetup;
  weights: number[][];
  tasks: RolloutTask[];
  version: string;
}

export interface RolloutJobResult {
  outcomes: { return: number; steps: number; sum: number[]; sumSq: number[] }[];
}

/** Tasks per job: small enough to spread one iteration over many workers, large enough that Redis is not the bottleneck. */
const TASKS_PER_JOB = 4;

/**
 * Rollouts on the `sparselaw worker`s of a Redis queue: every batch is cut into jobs that each
 * carry the weights their tasks use, and the outcomes come back in task order. Each outcome depends
 * only on its task, so the search's result is the same as on this machine's threads; a job whose
 * worker is lost goes back to the queue (BullMQ's stalled-job check) and another worker redoes it.
 */
export async function queueRolloutPool(setup: RolloutSetup, url: string, queueName: string): Promise<RolloutPool> {
  await checkQueue(url);
  const queueConnection = connection(url);
  const eventsConnection = connection(url);
  const queue = new Queue<RolloutJobData, RolloutJobResult>(queueName, { connection: queueConnection });
  const events = new QueueEvents(queueName, { connection: eventsConnection });
  await events.waitUntilReady();
  const batch = randomUUID();
  let nextJob = 0;
  const runJob = async (weights: Float64Array[], tasks: readonly RolloutTask[]): Promise<RolloutOutcome[]> => {
    // Only the candidates these tasks use travel with the job, renumbered.
    const used = [...new Set(tasks.map((t) => t.candidate))];
    const index = new Map(used.map((c, i) => [c, i]));
    const data: RolloutJobData = { setup, weights: used.map((c) => Array.from(weights[c]!)), tasks: tasks.map((t) => ({ ...t, candidate: index.get(t.candidate)! })), version: VERSION };
    // Kept until read: waitUntilFinished looks the finished job up.
    const job = await queue.add(ROLLOUT_JOB, data, { jobId: `${batch}-${nextJob++}`, attempts: 1, removeOnComplete: false, removeOnFail: false });
    let result: RolloutJobResult;
    try {
      result = (await job.waitUntilFinished(events)) as RolloutJobResult;
    } catch (err) {
      throw new SparselawError(`a queued rollout failed on a worker: ${(err as Error).message}`);
    } finally {
      await job.remove().catch(() => {});
    }
    return result.outcomes.map((o) => ({ return: o.return, steps: o.steps, sum: Float64Array.from(o.sum), sumSq: Float64Array.from(o.sumSq) }));
  };
  return {
    workers: 0,
    async run(weights, tasks) {
      const chunks = Array.from({ length: Math.ceil(tasks.length / TASKS_PER_JOB) }, (_, i) => tasks.slice(i * TASKS_PER_JOB, (i + 1) * TASKS_PER_JOB));
      return (await Promise.all(chunks.map((chunk) => runJob(weights, chunk)))).flat();
    },
    async close() {
      await events.close();
      await queue.close();
      queueConnection.disconnect();
      eventsConnection.disconnect();
    },
  };
}

/**
 * The worker's side: runs rollout jobs on this machine's threads, one pool per setup (kept for the
 * next iteration's jobs of the same search, since starting one costs far more than an episode).
 */
export class RolloutJobRunner {
  private readonly pools = new Map<string, Promise<RolloutPool>>();

  constructor(
    private readonly threads: number,
    private readonly log: (line: string) => void = () => {},
  ) {}

  async run(data: RolloutJobData): Promise<RolloutJobResult> {
    const key = JSON.stringify(data.setup);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = prepareRolloutSetup(data.setup).then(() => rolloutPool(data.setup, this.threads));
      this.pools.set(key, pool);
      this.log(`serving search rollouts: ${data.setup.env}, law ${data.setup.policy}, ${this.threads} thread(s)`);
    }
    const outcomes = await (await pool).run(data.weights.map((w) => Float64Array.from(w)), data.tasks);
    return { outcomes: outcomes.map((o) => ({ return: o.return, steps: o.steps, sum: Array.from(o.sum), sumSq: Array.from(o.sumSq) })) };
  }

  async close(): Promise<void> {
    const pools = await Promise.allSettled(this.pools.values());
    await Promise.all(pools.flatMap((p) => (p.status === 'fulfilled' ? [p.value.close()] : [])));
    this.pools.clear();
  }
}
