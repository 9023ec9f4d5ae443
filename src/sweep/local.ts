import { hostname } from 'node:os';
import PQueue from 'p-queue';
import { startChild, type RunningChild } from './child.js';
import { canResume, isFinished, outArgument, runDir, writeRunRecord, type RunRecord, type Sweep } from './layout.js';
import type { RunPlan } from './spec.js';

export interface SweepCounts {
  total: number;
  /** Finished, including runs finished by an earlier invocation. */
  done: number;
  running: number;
  failed: number;
  interrupted: number;
}

export interface SweepOutcome extends SweepCounts {
  /** Runs skipped because an earlier invocation finished them. */
  skipped: number;
  failures: { id: string; error: string }[];
}

/** The runs an earlier invocation has not finished, and the counts a sweep starts from. */
export function startOutcome(sweep: Sweep): { pending: RunPlan[]; outcome: SweepOutcome } {
  const pending = sweep.runs.filter((r) => !isFinished(sweep, r));
  const finished = sweep.runs.length - pending.length;
  return { pending, outcome: { total: sweep.runs.length, done: finished, skipped: finished, running: 0, failed: 0, interrupted: 0, failures: [] } };
}

export interface LocalOptions {
  /** Runs at a time (the pool's size). */
  jobs: number;
  onUpdate?: (counts: SweepCounts, event?: { run: RunPlan; record: RunRecord }) => void;
}

/**
 * Runs a sweep's unfinished runs on a pool of child processes (p-queue bounds the concurrency).
 * Finished runs are skipped, runs with a checkpoint resume from it, a failed run is recorded and the
 * others go on. interrupt(): the first stops starting runs and asks each running one to stop at its
 * next safe point with a checkpoint (one SIGINT each); a second makes them quit at once.
 */
export class LocalSweep {
  private readonly children = new Set<RunningChild>();
  private interrupts = 0;
  private readonly pool: PQueue;

  constructor(
    private readonly sweep: Sweep,
    private readonly options: LocalOptions,
  ) {
    this.pool = new PQueue({ concurrency: Math.max(1, options.jobs) });
  }

  interrupt(): void {
    this.interrupts++;
    this.pool.clear();
    for (const c of this.children) c.process.kill('SIGINT');
  }

  get interrupted(): boolean {
    return this.interrupts > 0;
  }

  async run(): Promise<SweepOutcome> {
    const { sweep } = this;
    const { pending, outcome } = startOutcome(sweep);
    const update = (event?: { run: RunPlan; record: RunRecord }): void => this.options.onUpdate?.({ ...outcome }, event);
    update();
    const ranBy = `${hostname()}:${process.pid}`;
    for (const run of pending) {
      void this.pool.add(async () => {
        if (this.interrupted) return;
        const dir = runDir(sweep, run);
        const resumed = canResume(sweep, run);
        const argv = [...run.argv, '--out', outArgument(sweep.file.spec.command, dir), ...(resumed ? ['--resume'] : [])];
        const child = startChild(argv, dir, true, this.options.jobs);
        this.children.add(child);
        outcome.running++;
        update();
        const result = await child.done;
        this.children.delete(child);
        outcome.running--;
        // A run that exits without its result (exit 130, or 0 after a clean stop) was interrupted.
        const finished = result.exitCode === 0 && isFinished(sweep, run);
        const status: RunRecord['status'] = finished ? 'done' : this.interrupted && (result.exitCode === 130 || result.exitCode === 0 || result.signal === 'SIGINT') ? 'interrupted' : 'failed';
        const record: RunRecord = { status, exitCode: result.exitCode, seconds: result.seconds, resumed, argv: run.argv, ranBy };
        if (status === 'failed') {
          record.error = result.error ?? (result.exitCode === 0 ? 'exited without writing its result' : `exit code ${result.exitCode}`);
          outcome.failed++;
          outcome.failures.push({ id: run.id, error: record.error });
        } else if (status === 'interrupted') outcome.interrupted++;
        else outcome.done++;
        writeRunRecord(dir, record);
        update({ run, record });
      });
    }
    await this.pool.onIdle();
    return outcome;
  }
}
