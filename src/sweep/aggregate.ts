import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { formatTable } from '../cli/table.js';
import { isFinished, readRunRecord, runDir, type RunStatus, type Sweep } from './layout.js';
import { configurationKey, formatValue, SEED_KEY, type OptionValue, type RunPlan } from './spec.js';

/** What one finished run measured, read back from its run directory's files. */
export interface RunMetrics {
  /** train: mean final evaluation return. */
  return?: number;
  terms?: number;
  /** train with a sparse policy: every gate exactly 0 or 1. */
  gatesBinary?: boolean;
  /** Wall time: train's own (summing resumed parts), else the child process's. */
  seconds?: number;
  /** discover: mean over the outputs. */
  trainMse?: number;
  validationMse?: number;
}

const NUMERIC: readonly (keyof RunMetrics)[] = ['return', 'terms', 'seconds', 'trainMse', 'validationMse'];

export interface RunSummary {
  id: string;
  seed?: OptionValue;
  status: RunStatus;
  error?: string;
  metrics: RunMetrics;
}

export interface Stat {
  mean: number;
  /** Sample standard deviation (n - 1); absent for a single run. */
  std?: number;
  values: number[];
}

export interface ConfigurationSummary {
  key: string;
  point: Record<string, OptionValue>;
  finished: number;
  failed: number;
  runs: RunSummary[];
  stats: Partial<Record<keyof RunMetrics, Stat>>;
  /** Runs whose gates are all 0 or 1, of the finished runs that report it. */
  gatesBinary?: { yes: number; of: number };
  /** train: evaluation return along training, mean and std over the seeds at each evaluated episode. */
  curve?: { episode: number; mean: number; std?: number; n: number }[];
}

function readJson(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const mean = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;

export function stat(values: number[]): Stat {
  const m = mean(values);
  const s: Stat = { mean: m, values };
  if (values.length > 1) s.std = Math.sqrt(values.reduce((acc, v) => acc + (v - m) ** 2, 0) / (values.length - 1));
  return s;
}

export function readRunMetrics(sweep: Sweep, run: RunPlan): RunMetrics {
  const dir = runDir(sweep, run);
  const law = readJson(join(dir, 'law.json'));
  const lawMetrics = (law?.metrics ?? {}) as Record<string, unknown>;
  const record = readRunRecord(dir);
  const m: RunMetrics = {};
  if (sweep.file.spec.command === 'train') {
    const summary = readJson(join(dir, 'summary.json')) ?? {};
    const finalEval = summary.finalEval as { mean?: number } | undefined;
    if (typeof finalEval?.mean === 'number') m.return = finalEval.mean;
    if (typeof summary.terms === 'number') m.terms = summary.terms;
    if (typeof summary.seconds === 'number') m.seconds = summary.seconds;
    if (typeof lawMetrics.gatesBinary === 'boolean') m.gatesBinary = lawMetrics.gatesBinary;
  } else {
    const terms = lawMetrics.terms;
    if (Array.isArray(terms)) m.terms = terms.reduce((s: number, v) => s + Number(v), 0);
    if (Array.isArray(lawMetrics.trainMse)) m.trainMse = mean(lawMetrics.trainMse as number[]);
    if (Array.isArray(lawMetrics.validationMse)) m.validationMse = mean(lawMetrics.validationMse as number[]);
  }
  if (m.seconds === undefined && record) m.seconds = record.seconds;
  return m;
}

function readCurve(dir: string): Map<number, number> {
  const out = new Map<number, number>();
  const path = join(dir, 'returns.csv');
  if (!existsSync(path)) return out;
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const e = header.indexOf('episode');
  const v = header.indexOf('eval_mean');
  if (e < 0 || v < 0) return out;
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    if (cells[v] !== undefined && cells[v] !== '') out.set(Number(cells[e]), Number(cells[v]));
  }
  return out;
}

export function summarize(sweep: Sweep): ConfigurationSummary[] {
  const byKey = new Map<string, ConfigurationSummary>();
  const curves = new Map<string, Map<number, number>[]>();
  for (const run of sweep.runs) {
    const key = configurationKey(run.point);
    let c = byKey.get(key);
    if (!c) {
      const point = Object.fromEntries(Object.entries(run.point).filter(([k]) => k !== SEED_KEY));
      c = { key, point, finished: 0, failed: 0, runs: [], stats: {} };
      byKey.set(key, c);
      curves.set(key, []);
    }
    const dir = runDir(sweep, run);
    const record = readRunRecord(dir);
    const finished = isFinished(sweep, run);
    const status: RunStatus = finished ? 'done' : (record?.status ?? 'pending');
    const summary: RunSummary = { id: run.id, status, metrics: finished ? readRunMetrics(sweep, run) : {} };
    if (SEED_KEY in run.point) summary.seed = run.point[SEED_KEY];
    if (status === 'failed' && record?.error) summary.error = record.error;
    c.runs.push(summary);
    if (finished) {
      c.finished++;
      if (sweep.file.spec.command === 'train') curves.get(key)!.push(readCurve(dir));
    }
    if (status === 'failed') c.failed++;
  }
  for (const c of byKey.values()) {
    const done = c.runs.filter((r) => r.status === 'done');
    for (const name of NUMERIC) {
      const values = done.map((r) => r.metrics[name]).filter((v): v is number => typeof v === 'number');
      if (values.length > 0) c.stats[name] = stat(values);
    }
    const gates = done.map((r) => r.metrics.gatesBinary).filter((g): g is boolean => g !== undefined);
    if (gates.length > 0) c.gatesBinary = { yes: gates.filter((g) => g).length, of: gates.length };
    const runCurves = curves.get(c.key)!;
    if (runCurves.length > 0) {
      const episodes = [...new Set(runCurves.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
      c.curve = episodes.map((episode) => {
        const s = stat(runCurves.map((m) => m.get(episode)).filter((v): v is number => v !== undefined));
        return { episode, mean: s.mean, ...(s.std !== undefined ? { std: s.std } : {}), n: s.values.length };
      });
    }
  }
  return [...byKey.values()];
}

function csvCell(v: unknown): string {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csv = (rows: unknown[][]): string => rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

const METRIC_COLUMNS: Record<keyof RunMetrics, string> = {
  return: 'return',
  terms: 'terms',
  gatesBinary: 'gates_binary',
  seconds: 'seconds',
  trainMse: 'train_mse',
  validationMse: 'validation_mse',
};

/** summary.json, summary.csv (one row per configuration), runs.csv (one per run), curves.csv (train). */
export function writeSummary(sweep: Sweep, configs: readonly ConfigurationSummary[]): void {
  const axes = Object.keys(sweep.file.spec.grid).filter((k) => k !== SEED_KEY);
  const metrics = NUMERIC.filter((m) => configs.some((c) => c.stats[m] !== undefined));
  writeFileAtomic(
    join(sweep.dir, 'summary.json'),
    JSON.stringify({ sweep: sweep.file.id, command: sweep.file.spec.command, axes, configurations: configs }, null, 2) + '\n',
  );
  const header = [...axes, 'runs', 'failed', ...metrics.flatMap((m) => [`${METRIC_COLUMNS[m]}_mean`, `${METRIC_COLUMNS[m]}_std`])];
  const hasGates = configs.some((c) => c.gatesBinary);
  if (hasGates) header.push('gates_binary_runs');
  writeFileAtomic(
    join(sweep.dir, 'summary.csv'),
    csv([
      header,
      ...configs.map((c) => [
        ...axes.map((a) => formatValue(c.point[a]!)),
        c.finished,
        c.failed,
        ...metrics.flatMap((m) => [c.stats[m]?.mean, c.stats[m]?.std]),
        ...(hasGates ? [c.gatesBinary ? `${c.gatesBinary.yes}/${c.gatesBinary.of}` : ''] : []),
      ]),
    ]),
  );
  const gridKeys = Object.keys(sweep.file.spec.grid);
  const runMetricNames = [...metrics, ...(hasGates ? (['gatesBinary'] as const) : [])];
  const pointOf = new Map(sweep.runs.map((r) => [r.id, r.point]));
  writeFileAtomic(
    join(sweep.dir, 'runs.csv'),
    csv([
      ['run', ...gridKeys, 'status', ...runMetricNames.map((m) => METRIC_COLUMNS[m]), 'error'],
      ...configs.flatMap((c) => c.runs.map((r) => [r.id, ...gridKeys.map((k) => formatValue(pointOf.get(r.id)![k]!)), r.status, ...runMetricNames.map((m) => r.metrics[m]), r.error])),
    ]),
  );
  if (configs.some((c) => c.curve)) {
    writeFileAtomic(
      join(sweep.dir, 'curves.csv'),
      csv([
        [...axes, 'episode', 'eval_mean', 'eval_std', 'seeds'],
        ...configs.flatMap((c) => (c.curve ?? []).map((p) => [...axes.map((a) => formatValue(c.point[a]!)), p.episode, p.mean, p.std, p.n])),
      ]),
    );
  }
}

function meanStd(s: Stat | undefined, digits: (v: number) => string): string {
  if (!s) return '';
  return s.std === undefined ? digits(s.mean) : `${digits(s.mean)} ± ${digits(s.std)}`;
}

/** The aggregate as a table: mean ± std over the seeds of each configuration. */
export function summaryTable(sweep: Sweep, configs: readonly ConfigurationSummary[]): string {
  const axes = Object.keys(sweep.file.spec.grid).filter((k) => k !== SEED_KEY);
  const fixed1 = (v: number): string => v.toFixed(1);
  const sci = (v: number): string => v.toExponential(2);
  const label = (c: ConfigurationSummary): string => (axes.length > 0 ? axes.map((a) => `${a}=${formatValue(c.point[a]!)}`).join(' ') : '(all runs)');
  const runs = (c: ConfigurationSummary): string => `${c.finished}/${c.runs.length}${c.failed > 0 ? ` (${c.failed} failed)` : ''}`;
  if (sweep.file.spec.command === 'train') {
    return formatTable(
      ['configuration', 'runs', 'final return', 'terms', 'gates 0/1', 'wall time (s)'],
      configs.map((c) => [
        label(c),
        runs(c),
        meanStd(c.stats.return, fixed1),
        meanStd(c.stats.terms, fixed1),
        c.gatesBinary ? `${c.gatesBinary.yes}/${c.gatesBinary.of}` : '',
        meanStd(c.stats.seconds, fixed1),
      ]),
    );
  }
  return formatTable(
    ['configuration', 'runs', 'validation MSE', 'train MSE', 'terms', 'wall time (s)'],
    configs.map((c) => [label(c), runs(c), meanStd(c.stats.validationMse, sci), meanStd(c.stats.trainMse, sci), meanStd(c.stats.terms, fixed1), meanStd(c.stats.seconds, fixed1)]),
  );
}
