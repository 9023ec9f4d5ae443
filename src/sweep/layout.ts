import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SparselawError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { expandRuns, type RunPlan, type SweepCommand, type SweepSpec } from './spec.js';

/**
 * The output directory of a sweep:
 *   sweep.json          the spec and its runs (identity of the sweep; a different spec is refused)
 *   env-module.json     a user's environment module and its SHA-256 (a changed module is refused)
 *   runs/<id>/          one run directory each, as `train --out` or `discover --out <id>/law.json` writes it,
 *                       plus run.json (status, exit code, wall time, where it ran) and stdout.log/stderr.log
 *   summary.json, summary.csv, runs.csv, curves.csv   the aggregate
 */
export interface SweepFile {
  format: 'sparselaw-sweep';
  version: 1;
  /** Random at creation; names the sweep's jobs in a queue. */
  id: string;
  spec: SweepSpec;
  runs: { id: string; argv: string[] }[];
}

export interface Sweep {
  dir: string;
  file: SweepFile;
  runs: RunPlan[];
}

/** The file whose presence means a run finished. */
export function finishedMarker(command: SweepCommand): string {
  return command === 'train' ? 'summary.json' : 'law.json';
}

/** What the run's --out is, relative to its run directory. */
export function outArgument(command: SweepCommand, runDir: string): string {
  return command === 'train' ? runDir : join(runDir, 'law.json');
}

export function runDir(sweep: Sweep, run: RunPlan): string {
  return join(sweep.dir, 'runs', run.id);
}

/** Open (or create) the sweep directory; refuse one that holds a different sweep or anything else. */
export function openSweep(dir: string, spec: SweepSpec): Sweep {
  const abs = resolve(dir);
  const runs = expandRuns(spec);
  const path = join(abs, 'sweep.json');
  if (existsSync(path)) {
    let file: SweepFile;
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as SweepFile;
    } catch (err) {
      throw new SparselawError(`${path}: not a readable sweep file (${(err as Error).message})`);
    }
    if (file.format !== 'sparselaw-sweep') throw new SparselawError(`${path}: not a sparselaw sweep file`);
    const difference = firstDifference(file.spec, spec, 'spec');
    if (difference !== undefined) {
      throw new SparselawError(`${dir} holds a different sweep (${difference}); choose another --out, or remove ${dir} to start over`);
    }
    return { dir: abs, file, runs };
  }
  if (existsSync(abs) && (!statSync(abs).isDirectory() || readdirSync(abs).length > 0)) {
    throw new SparselawError(`${dir} exists and is not a sweep directory (no sweep.json); choose another --out`);
  }
  const file: SweepFile = {
    format: 'sparselaw-sweep',
    version: 1,
    id: randomBytes(6).toString('hex'),
    spec,
    runs: runs.map((r) => ({ id: r.id, argv: r.argv })),
  };
  writeFileAtomic(path, JSON.stringify(file, null, 2) + '\n');
  return { dir: abs, file, runs };
}

/** The path and values of the first place two JSON values differ, or undefined when equal. */
export function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    return `${path}: ${JSON.stringify(a)} there, ${JSON.stringify(b)} here`;
  }
  if (typeof a === 'object' && a !== null) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const ak = Object.keys(ao);
    const bk = Object.keys(bo);
    if (ak.join('\u0000') !== bk.join('\u0000')) return `${path}: keys ${JSON.stringify(ak)} there, ${JSON.stringify(bk)} here`;
    for (const k of ak) {
      const d = firstDifference(ao[k], bo[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${JSON.stringify(a)} there, ${JSON.stringify(b)} here`;
}

export type RunStatus = 'done' | 'failed' | 'interrupted' | 'pending';

/** Written by the sweep (or collected from a queue worker) after every attempt of a run. */
export interface RunRecord {
  status: Exclude<RunStatus, 'pending'>;
  exitCode: number | null;
  /** Wall time of the attempt as the sweep (or worker) measured it. */
  seconds: number;
  error?: string;
  resumed: boolean;
  argv: string[];
  /** host:pid of the process that ran it (a queue worker, or the local sweep). */
  ranBy: string;
  /** Queue mode: how many times a worker started the job (more than 1 after a lost worker). */
  attemptsStarted?: number;
}

export function readRunRecord(dir: string): RunRecord | undefined {
  const path = join(dir, 'run.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunRecord;
  } catch {
    return undefined;
  }
}

export function writeRunRecord(dir: string, record: RunRecord): void {
  writeFileAtomic(join(dir, 'run.json'), JSON.stringify(record, null, 2) + '\n');
}

export function isFinished(sweep: Sweep, run: RunPlan): boolean {
  return existsSync(join(runDir(sweep, run), finishedMarker(sweep.file.spec.command)));
}

/** A run can resume when it left a checkpoint and did not finish. */
export function canResume(sweep: Sweep, run: RunPlan): boolean {
  return sweep.file.spec.command === 'train' && existsSync(join(runDir(sweep, run), 'checkpoint.bin'));
}

/** The message of a failed run: the CLI's own error line, else the last line it wrote. */
export function errorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const own = lines.filter((l) => l.startsWith('sparselaw:') || l.startsWith('error:'));
  return (own.at(-1) ?? lines.at(-1) ?? 'no error output').replace(/^sparselaw: /, '');
}
