import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SparselawError } from '../errors.js';
import type { ConfigurationSummary, Stat } from '../sweep/aggregate.js';
import type { ChartSpec } from './charts.js';
import { escapeHtml, table } from './html.js';

/** A sweep's output directory: its summary.json has the sweep id and the configurations. */
export interface SweepSummary {
  sweep: string;
  command: string;
  axes: string[];
  configurations: ConfigurationSummary[];
}

export function readSweepSummary(dir: string): SweepSummary | undefined {
  const path = join(dir, 'summary.json');
  if (!existsSync(path)) return undefined;
  let json: Partial<SweepSummary>;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as Partial<SweepSummary>;
  } catch (err) {
    throw new SparselawError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof json.sweep !== 'string' || !Array.isArray(json.configurations)) return undefined;
  return { sweep: json.sweep, command: json.command ?? 'train', axes: json.axes ?? [], configurations: json.configurations };
}

/**
 * A configuration's name: its grid values (the seed axis is what the spread is over). Numbers of one
 * axis share one notation (all 1e-6, 1e-7, never 0.000001 beside 1e-7), so labels compare at a glance.
 */
export function configurationLabel(c: ConfigurationSummary, all: readonly ConfigurationSummary[] = [c]): string {
  const parts = Object.entries(c.point).map(([k, v]) => `${k}=${typeof v === 'number' ? axisNumber(v, all.map((o) => o.point[k])) : String(v)}`);
  return parts.length > 0 ? parts.join(' ') : 'all runs';
}

/** Exponent notation for every value of an axis once one of its values needs it; shortest digits otherwise. */
export function axisNumber(v: number, axis: readonly unknown[]): string {
  const needsExponent = (x: unknown) => typeof x === 'number' && x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6);
  return axis.some(needsExponent) && v !== 0 ? v.toExponential().replace('e+', 'e') : String(v);
}

const cell = (s: Stat | undefined, digits: number): string => (s === undefined ? '' : s.std === undefined ? s.mean.toFixed(digits) : `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}`);

/** One row per configuration: runs, failures and each metric as mean ± standard deviation over the seeds. */
export function sweepTable(summary: SweepSummary): string {
  const train = summary.command === 'train';
  const header = ['configuration', 'runs', 'failed', ...(train ? ['final return', 'terms', 'gates 0/1'] : ['validation MSE', 'train MSE', 'terms']), 'wall time (s)'];
  const rows = summary.configurations.map((c) => [
    escapeHtml(configurationLabel(c, summary.configurations)),
    String(c.finished),
    String(c.failed),
    ...(train
      ? [cell(c.stats.return, 1), cell(c.stats.terms, 1), c.gatesBinary ? `${c.gatesBinary.yes}/${c.gatesBinary.of}` : '']
      : [cell(c.stats.validationMse, 6), cell(c.stats.trainMse, 6), cell(c.stats.terms, 1)]),
    cell(c.stats.seconds, 1),
  ]);
  return table(header, rows);
}

/** Evaluation return against episodes for every configuration: the mean over seeds, a band of one standard deviation. */
export function sweepCurveChart(summary: SweepSummary): ChartSpec | undefined {
  const withCurve = summary.configurations.filter((c) => c.curve && c.curve.length > 0);
  if (withCurve.length === 0) return undefined;
  const values = withCurve.flatMap((c) =>
    c.curve!.map((p) => ({ configuration: configurationLabel(c, summary.configurations), episode: p.episode, mean: p.mean, lo: p.mean - (p.std ?? 0), hi: p.mean + (p.std ?? 0), seeds: p.n })),
  );
  const banded = withCurve.filter((c) => c.curve!.some((p) => p.std !== undefined)).length;
  const x = { field: 'episode', type: 'quantitative', title: 'episode' };
  const color = { field: 'configuration', type: 'nominal', title: null };
  return {
    id: 'sweep-curves',
    title: 'Learning curves across seeds',
    caption: 'evaluation return: the mean over the seeds of each configuration (line) and one standard deviation (band)',
    marks: { line: withCurve.length, area: banded },
    spec: {
      width: 560,
      height: 260,
      data: { values },
      layer: [
        ...(banded > 0
          ? [{ transform: [{ filter: 'datum.hi > datum.lo' }], mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'evaluation return', scale: { zero: false } }, y2: { field: 'hi' }, color } }]
          : []),
        { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { field: 'mean', type: 'quantitative', title: 'evaluation return', scale: { zero: false } }, color } },
      ],
    },
  };
}
