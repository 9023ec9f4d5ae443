import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { SparselawError } from '../errors.js';
import { parseQueueUrl } from './queue-url.js';
import { VERSION } from '../version.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { startChild, type RunningChild } from './child.js';
import { finishedMarker, outArgument, runDir, writeRunRecord, type RunRecord, type Sweep } from './layout.js';
import { startOutcome, type SweepCounts, type SweepOutcome } from './local.js';
import type { RunPlan, SweepCommand } from './spec.js';
import { ROLLOUT_JOB, RolloutJobRunner, type RolloutJobData, type RolloutJobResult } from '../rl/search/queue-pool.js';

/**
 * Sweeps on many machines through BullMQ (a Redis-backed job queue). A job carries the run's whole
 * command line (seed included), so it reproduces wherever it runs. A worker runs it in a scratch
 * directory and returns the run directory's text files (law, summary, returns, logs) as the job's
 * result, stored by Redis; the sweep writes them into its own output directory. So workers need no
 * shared file system, only the queue. The checkpoint stays behind: a job whose worker is lost is
 * retried from the start by another worker, which gives the same result since a run is
 * deterministic in its seed.
 */

export interface RunJobData {
  sweep: string;
  run: string;
  command: SweepCommand;
  /** The full command line without --out. */
  argv: string[];
  version: string;
}

export interface RunJobResult {
  files: Record<string, string>;
  seconds: number;
  ranBy: string;
}

export { parseQueueUrl } from './queue-url.js';

/**
 * Connect once with no retries and a short timeout, so an unreachable queue fails in seconds
 * (BullMQ's own connections retry forever, as a long-lived worker should).
 */
export async function checkQueue(url: string, timeoutMs = 4000): Promise<void> {
  const { host, port, db } = parseQueueUrl(url);
  const client = new Redis({ host, port, db, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let lastError: Error | undefined;
  client.on('error', (e: Error) => {
    lastError = e;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const info = await Promise.race([
      client.connect().then(() => client.info('server')),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    const version = /redis_version:(\d+)/.exec(info)?.[1];
    if (version !== undefined && Number(version) < 5) throw new SparselawError(`the queue at ${url} is Redis ${version}; BullMQ needs Redis 5 or newer`);
  } catch (err) {
    if (err instanceof SparselawError) throw err;
    const reason = lastError?.message ?? (err as Error).message;
    throw new SparselawError(`cannot reach the queue at ${url}: ${reason}`);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** A connection for BullMQ's queues, workers and event streams (reconnecting forever). */
export function connection(url: string): Redis {
  const { host, port, db } = parseQueueUrl(url);
  // BullMQ requires maxRetriesPerRequest null on the connections it blocks on.
  const client = new Redis({ host, port, db, maxRetriesPerRequest: null });
  client.on('error', () => {
    // Reconnection is automatic; errors surface through the operations that need the connection.
  });
  return client;
}

export function jobId(sweep: Sweep, run: RunPlan): string {
  return `${sweep.file.id}-${run.index}`;
}

export interface QueuedOptions {
  url: string;
  queueName: string;
  pollMs?: number;
  onUpdate?: (counts: SweepCounts, event?: { run: RunPlan; record: RunRecord }) => void;
}

/**
 * Enqueue a sweep's unfinished runs (idempotently: job ids are the sweep's id and the run's index, so
 * a second invocation finds the jobs of the first) and collect their results as workers finish them.
 * interrupt() stops waiting; the jobs stay queued and the same command collects them later.
 */
export class QueuedSweep {
  private stopped = false;
  private wake?: () => void;

  constructor(
    private readonly sweep: Sweep,
    private readonly options: QueuedOptions,
  ) {}

  interrupt(): void {
    this.stopped = true;
    this.wake?.();
  }

  get interrupted(): boolean {
    return this.stopped;
  }

  async run(): Promise<SweepOutcome> {
    const { sweep, options } = this;
    await checkQueue(options.url);
    const conn = connection(options.url);
    const queue = new Queue<RunJobData, RunJobResult>(options.queueName, { connection: conn });
    const { pending, outcome } = startOutcome(sweep);
    const update = (event?: { run: RunPlan; record: RunRecord }): void => options.onUpdate?.({ ...outcome }, event);
    try {
      for (const run of pending) {
        const id = jobId(sweep, run);
        const existing = await queue.getJob(id);
        if (existing) {
          // A failed job of an earlier invocation is tried again, as a failed local run would be.
          if ((await existing.getState()) === 'failed') await existing.retry('failed');
          continue;
        }
        const data: RunJobData = { sweep: sweep.file.id, run: run.id, command: sweep.file.spec.command, argv: run.argv, version: VERSION };
        await queue.add(run.id, data, { jobId: id, attempts: 1, removeOnComplete: false, removeOnFail: false });
      }
      update();
      const outstanding = new Map(pending.map((r) => [jobId(sweep, r), r]));
      while (outstanding.size > 0 && !this.stopped) {
        let running = 0;
        for (const [id, run] of [...outstanding]) {
          const job = await queue.getJob(id);
          if (!job) {
            // Removed from the queue behind our back (e.g. a flushed Redis): enqueue it again.
            await queue.add(run.id, { sweep: sweep.file.id, run: run.id, command: sweep.file.spec.command, argv: run.argv, version: VERSION }, { jobId: id, attempts: 1, removeOnComplete: false, removeOnFail: false });
            continue;
          }
          const state = await job.getState();
          if (state === 'active') running++;
          if (state === 'completed') {
            const record = this.collect(run, job);
            outcome.done++;
            outcome.running = Math.max(0, outcome.running - 1);
            outstanding.delete(id);
            await job.remove();
            update({ run, record });
          } else if (state === 'failed') {
            const record: RunRecord = { status: 'failed', exitCode: null, seconds: 0, error: job.failedReason || 'failed', resumed: false, argv: run.argv, ranBy: 'queue', attemptsStarted: job.attemptsStarted };
            mkdirSync(runDir(sweep, run), { recursive: true });
            writeRunRecord(runDir(sweep, run), record);
            outcome.failed++;
            outcome.running = Math.max(0, outcome.running - 1);
            outcome.failures.push({ id: run.id, error: record.error! });
            outstanding.delete(id);
            update({ run, record });
          }
        }
        if (running !== outcome.running) {
          outcome.running = running;
          update();
        }
        if (outstanding.size > 0) await new Promise<void>((r) => {
          this.wake = r;
          setTimeout(r, options.pollMs ?? 500);
        });
      }
      outcome.interrupted = outstanding.size;
      outcome.running = 0;
    } finally {
      await queue.close();
      conn.disconnect();
    }
    return outcome;
  }

  private collect(run: RunPlan, job: Job<RunJobData, RunJobResult>): RunRecord {
    const dir = runDir(this.sweep, run);
    const result = job.returnvalue;
    const marker = finishedMarker(this.sweep.file.spec.command);
    // The marker last: a run directory that has it is complete.
    const names = Object.keys(result.files).sort((a, b) => Number(a === marker) - Number(b === marker));
    for (const name of names) writeFileAtomic(join(dir, name), result.files[name]!);
    const record: RunRecord = { status: 'done', exitCode: 0, seconds: result.seconds, resumed: false, argv: run.argv, ranBy: result.ranBy, attemptsStarted: job.attemptsStarted };
    writeRunRecord(dir, record);
    return record;
  }
}

export interface WorkerOptions {
  url: string;
  queueName: string;
  concurrency: number;
  /** A job whose worker stops renewing its lock for this long is handed to another worker. */
  lockSeconds: number;
  workDir?: string;
  log: (line: string) => void;
}

/** Files a run directory returns to the sweep: everything but the (binary, machine-local) checkpoint. */
function collectFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    if (name === 'checkpoint.bin' || name.startsWith('.')) continue;
    files[name] = readFileSync(join(dir, name), 'utf8');
  }
  return files;
}

/**
 * Take runs from the queue and execute each as a child process of the CLI, and batches of search
 * rollouts on this machine's threads. stop(): take no new jobs, ask the running children to stop
 * (SIGINT) and put their jobs back in the queue for another worker.
 */
export class SweepWorker {
  private readonly children = new Set<RunningChild>();
  private closing = false;
  private worker?: Worker<RunJobData | RolloutJobData, RunJobResult | RolloutJobResult>;
  private conn?: Redis;
  private readonly workDir: string;
  private readonly ranBy = `${hostname()}:${process.pid}`;
  private rollouts?: RolloutJobRunner;

  constructor(private readonly options: WorkerOptions) {
    this.workDir = options.workDir ?? join(tmpdir(), `sparselaw-worker-${process.pid}`);
  }

  async start(): Promise<void> {
    await checkQueue(this.options.url);
    this.conn = connection(this.options.url);
    const lockDuration = Math.round(this.options.lockSeconds * 1000);
    this.rollouts = new RolloutJobRunner(this.options.concurrency, this.options.log);
    this.worker = new Worker<RunJobData | RolloutJobData, RunJobResult | RolloutJobResult>(this.options.queueName, (job, token) => (job.name === ROLLOUT_JOB ? this.rollouts!.run(job.data as RolloutJobData) : this.process(job as Job<RunJobData, RunJobResult>, token)), {
      connection: this.conn,
      concurrency: this.options.concurrency,
      lockDuration,
      stalledInterval: lockDuration,
      // A lost worker counts as one stall; a job lost this often is failed rather than retried forever.
      maxStalledCount: 3,
    });
    this.worker.on('error', (err) => this.options.log(`queue error: ${err.message}`));
    await this.worker.waitUntilReady();
    this.options.log(`worker ${this.ranBy} ready: queue ${this.options.queueName} at ${this.options.url}, ${this.options.concurrency} at a time`);
  }

  private async process(job: Job<RunJobData, RunJobResult>, token?: string): Promise<RunJobResult> {
    const { run, command, argv, version } = job.data;
    if (version !== VERSION) this.options.log(`note: job ${job.id} was queued by sparselaw ${version}, this worker is ${VERSION}`);
    // Always from scratch: a job retried after a lost worker must not see another attempt's files.
    const dir = join(this.workDir, String(job.id));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    this.options.log(`started ${run} (job ${job.id}, attempt ${job.attemptsStarted})`);
    const child = startChild([...argv, '--out', outArgument(command, dir)], dir, false, this.options.concurrency);
    this.children.add(child);
    const result = await child.done.finally(() => this.children.delete(child));
    try {
      if (result.exitCode === 0 && existsSync(join(dir, finishedMarker(command)))) {
        const files = collectFiles(dir);
        this.options.log(`completed ${run} (job ${job.id}) in ${result.seconds.toFixed(1)} s`);
        return { files, seconds: result.seconds, ranBy: this.ranBy };
      }
      if (this.closing) {
        // Stopped by us: back to the queue, not a failure of the run.
        await job.moveToDelayed(Date.now(), token);
        this.options.log(`returned ${run} (job ${job.id}) to the queue`);
        throw new DelayedError();
      }
      const error = result.error ?? 'exited without writing its result';
      this.options.log(`failed ${run} (job ${job.id}): ${error}`);
      throw new UnrecoverableError(error);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async stop(force = false): Promise<void> {
    this.closing = true;
    for (const c of this.children) c.process.kill(force ? 'SIGKILL' : 'SIGINT');
    if (this.worker) await this.worker.close(force);
    await this.rollouts?.close();
    this.conn?.disconnect();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
