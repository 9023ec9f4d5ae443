import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { SparselawError } from '../../errors.js';
import type { LawDocument } from '../../export/law.js';

/**
 * The KS comparison: no control, the best proportional feedback, a law and, when given, TD3 agents
 * with and without mu among their inputs, at a list of mu with and without sensor noise; the
 * agents' learning curves from their runs. Everything here is pure (numbers in, tables out).
 */

/** The mu of the comparison: inside the training range [-0.2, 0.2] and beyond it. */
export const KS_COMPARE_MUS: readonly number[] = Object.freeze([0, 0.121, -0.15, 0.2, -0.2, 0.225, -0.225, 0.25, -0.25]);
/** The paper's sensor noise, and none. */
export const KS_COMPARE_NOISES: readonly number[] = Object.freeze([0, 0.25]);

export const KS_CONTROLLERS = ['none', 'proportional', 'sparse', 'mlp', 'mlpNoMu'] as const;
export type KsControllerId = (typeof KS_CONTROLLERS)[number];
export const KS_CONTROLLER_TITLES: Readonly<Record<KsControllerId, string>> = {
  none: 'no control',
  proportional: 'best proportional',
  sparse: 'sparse law',
  mlp: 'MLP with mu',
  mlpNoMu: 'MLP without mu',
};

/** Mean over a setting's episodes. */
export interface KsCosts {
  return: number;
  stateCost: number;
  actionCost: number;
  /** Standard error of the mean return, over more than one episode. */
  stdError?: number;
}

/** Mean costs over episodes, with the standard error of the mean return when there are several. */
export function meanKsCosts(episodes: readonly { return: number; stateCost: number; actionCost: number }[]): KsCosts {
  const n = episodes.length;
  if (n === 0) throw new Error('no episodes to average');
  const mean = (f: (e: (typeof episodes)[number]) => number) => episodes.reduce((a, e) => a + f(e), 0) / n;
  const ret = mean((e) => e.return);
  const costs: KsCosts = { return: ret, stateCost: mean((e) => e.stateCost), actionCost: mean((e) => e.actionCost) };
  if (n > 1) costs.stdError = Math.sqrt(episodes.reduce((a, e) => a + (e.return - ret) ** 2, 0) / (n - 1) / n);
  return costs;
}

export interface KsCompareRow {
  mu: number;
  sensorNoise: number;
  /** Episodes averaged per controller (one noise seed each). */
  episodes: number;
  /** The best proportional gain, and whether it is the largest gain of the grid. */
  gain: number;
  gainAtGridEdge: boolean;
  /** The controllers compared (no control and the proportional law always; the agents given). */
  costs: Partial<Record<KsControllerId, KsCosts>> & Record<'none' | 'proportional', KsCosts>;
}

/** Terms of a law: the entries of every output's terms table (a sparse law is tanh of their sum per actuator). */
export function lawTermCount(law: LawDocument): number {
  return law.outputs.reduce((s, o) => s + o.terms.length, 0);
}

/** One evaluation of a training run (a row of returns.csv with eval_mean). */
export interface RunEvaluation {
  episode: number;
  evalMean: number;
  evalStd: number;
}

export interface RunProgress {
  dir: string;
  evaluations: RunEvaluation[];
  /** From the last row of returns.csv. */
  episodes: number;
  updates: number;
  seconds: number;
  terms?: number;
  /** From summary.json, written when the run completed. */
  summary?: {
    seconds?: number;
    updatesPerSecond?: number;
    envStepsPerSecond?: number;
    finalEvalMean?: number;
    episodes?: number;
    /** The kept actor's terms (a sparse law). */
    terms?: number;
    /** Where a run with --select-on took the actor it kept. */
    selection?: { protocol: string; episode: number; mean: number };
  };
}

/** Reads a run's returns.csv (and summary.json when present); errors are one line naming the file. */
export function readRunProgress(dir: string): RunProgress {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SparselawError(`${dir}: not a run directory`);
  const csvPath = join(dir, 'returns.csv');
  if (!existsSync(csvPath)) throw new SparselawError(`${csvPath}: missing (the run has not saved an evaluation yet)`);
  let records: Record<string, string>[];
  try {
    records = parse(readFileSync(csvPath, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (err) {
    throw new SparselawError(`${csvPath}: not a CSV file (${(err as Error).message.split('\n')[0]})`);
  }
  const need = ['episode', 'eval_mean', 'eval_std', 'updates', 'seconds'];
  const first = records[0];
  if (!first) throw new SparselawError(`${csvPath}: no episodes`);
  const missing = need.filter((c) => !(c in first));
  if (missing.length > 0) throw new SparselawError(`${csvPath}: missing column(s) ${missing.join(', ')}`);
  const num = (r: Record<string, string>, c: string, line: number): number => {
    const v = Number(r[c]);
    if (r[c] === '' || !Number.isFinite(v)) throw new SparselawError(`${csvPath}: line ${line}, column ${c}: expected a number, got "${r[c]}"`);
    return v;
  };
  const evaluations: RunEvaluation[] = [];
  records.forEach((r, i) => {
    if (r.eval_mean === '') return;
    evaluations.push({ episode: num(r, 'episode', i + 2), evalMean: num(r, 'eval_mean', i + 2), evalStd: num(r, 'eval_std', i + 2) });
  });
  const last = records[records.length - 1]!;
  const line = records.length + 1;
  const progress: RunProgress = {
    dir,
    evaluations,
    episodes: num(last, 'episode', line),
    updates: num(last, 'updates', line),
    seconds: num(last, 'seconds', line),
  };
  if ('terms' in last && last.terms !== '') progress.terms = num(last, 'terms', line);
  const summaryPath = join(dir, 'summary.json');
  if (existsSync(summaryPath)) {
    let s: Record<string, unknown>;
    try {
      s = JSON.parse(readFileSync(summaryPath, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new SparselawError(`${summaryPath}: not JSON (${(err as Error).message})`);
    }
    const n = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    const finalEval = s.finalEval as { mean?: unknown } | undefined;
    const config = s.config as { episodes?: unknown } | undefined;
    const sel = s.selection as { protocol?: unknown; episode?: unknown; mean?: unknown } | undefined;
    progress.summary = {
      seconds: n(s.seconds),
      updatesPerSecond: n(s.updatesPerSecond),
      envStepsPerSecond: n(s.envStepsPerSecond),
      finalEvalMean: n(finalEval?.mean),
      episodes: n(config?.episodes),
      terms: n(s.terms),
    };
    if (sel && typeof sel.protocol === 'string' && n(sel.episode) !== undefined && n(sel.mean) !== undefined) {
      progress.summary.selection = { protocol: sel.protocol, episode: n(sel.episode)!, mean: n(sel.mean)! };
    }
  }
  return progress;
}

const f1 = (x: number): string => x.toFixed(1);
const se = (c: KsCosts): string => (c.stdError !== undefined ? ` ± ${c.stdError.toFixed(1)}` : '');
const cell = (c: KsCosts): string => `${f1(c.return)}${se(c)} (${f1(c.stateCost)} + ${f1(c.actionCost)})`;

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Evaluations side by side, one row per evaluated episode; at most maxRows rows (every k-th, the last always kept). */
export function learningCurveTable(runs: readonly { title: string; progress: RunProgress }[], maxRows = 40): string {
  const episodes = [...new Set(runs.flatMap((r) => r.progress.evaluations.map((e) => e.episode)))].sort((a, b) => a - b);
  const stride = Math.max(1, Math.ceil(episodes.length / maxRows));
  const shown = episodes.filter((_, i) => i % stride === 0 || i === episodes.length - 1);
  const byRun = runs.map((r) => new Map(r.progress.evaluations.map((e) => [e.episode, e])));
  const rows = shown.map((ep) => [String(ep), ...byRun.map((m) => (m.has(ep) ? `${f1(m.get(ep)!.evalMean)} ± ${f1(m.get(ep)!.evalStd)}` : ''))]);
  const note = stride > 1 ? `\n\nEvery ${stride}th evaluation of ${episodes.length} (and the last).` : '';
  return markdownTable(['episode', ...runs.map((r) => r.title)], rows) + note;
}

export function runTable(runs: readonly { title: string; progress: RunProgress }[]): string {
  const rows = runs.map(({ title, progress: p }) => {
    const s = p.summary;
    const seconds = s?.seconds ?? p.seconds;
    const ups = s?.updatesPerSecond;
    return [
      title,
      `\`${p.dir}\``,
      s ? `${p.episodes}` : `${p.episodes} (running: no summary.json)`,
      String(p.updates),
      `${(seconds / 3600).toFixed(2)} h (${seconds.toFixed(0)} s)`,
      ups !== undefined ? ups.toFixed(1) : '',
      (s?.terms ?? p.terms) !== undefined ? String(s?.terms ?? p.terms) : '',
      p.evaluations.length > 0 ? f1(p.evaluations[p.evaluations.length - 1]!.evalMean) : '',
      s?.selection ? `episode ${s.selection.episode} (${f1(s.selection.mean)} on "${s.selection.protocol}"; evaluation ${f1(s.finalEvalMean ?? NaN)})` : 'the last',
    ];
  });
  return markdownTable(['agent', 'run', 'episodes', 'TD3 updates', 'wall time', 'updates/s (update time only)', 'terms', 'last evaluation return', 'actor compared'], rows);
}

export interface KsComparisonReport {
  rows: readonly KsCompareRow[];
  runs: readonly { title: string; progress: RunProgress }[];
  /** Lines of provenance: sources, seeds, grid, timing. */
  notes: readonly string[];
  /** Column titles that replace KS_CONTROLLER_TITLES (e.g. the name of the law compared). */
  titles?: Partial<Record<KsControllerId, string>>;
}

/** The whole comparison as markdown. */
export function ksComparisonMarkdown(report: KsComparisonReport): string {
  const out: string[] = ['# KS comparison', ''];
  const noises = [...new Set(report.rows.map((r) => r.sensorNoise))].sort((a, b) => a - b);
  const shown = KS_CONTROLLERS.filter((c) => report.rows.some((r) => r.costs[c] !== undefined));
  for (const noise of noises) {
    const rows = report.rows.filter((r) => r.sensorNoise === noise);
    const episodes = rows[0]?.episodes ?? 0;
    out.push(`## ${noise === 0 ? 'Without sensor noise' : `With sensor noise N(0, ${noise})`} (${episodes === 1 ? 'one episode' : `mean of ${episodes} episodes`} per mu and controller)`, '');
    out.push(
      markdownTable(
        ['mu', ...shown.map((c) => report.titles?.[c] ?? KS_CONTROLLER_TITLES[c]), 'best k'],
        rows.map((r) => [String(r.mu), ...shown.map((c) => (r.costs[c] ? cell(r.costs[c]) : '')), `${r.gain}${r.gainAtGridEdge ? ' (grid edge)' : ''}`]),
      ),
      '',
    );
  }
  out.push('Each cell: return (state cost + action cost), summed over the episode; cost = -return; over several episodes, the mean ± its standard error.', '');
  if (report.runs.length > 0) {
    out.push('## Learning curves (evaluation return: mean ± std over the evaluation episodes)', '', learningCurveTable(report.runs), '', '## Runs', '', runTable(report.runs), '');
  }
  if (report.notes.length > 0) out.push('## How these numbers were made', '', ...report.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}
