import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { DataError } from '../library/evaluate.js';
import { SparselawError } from '../errors.js';
import type { LawDocument } from '../law/document.js';
import { loadLaw } from '../law/io.js';
import { parseJsonText } from '../law/json-text.js';
import { quoteCut } from '../util/quote.js';

/** What a report reads from a training run directory (files it does not know are ignored). */
export interface EpisodeRow {
  episode: number;
  return: number;
  evalMean?: number;
  terms?: number;
}

export interface TrainingRun {
  dir: string;
  law: LawDocument;
  episodes: EpisodeRow[];
  /** Returns of single evaluation episodes by training episode (evals.csv, when the run has one). */
  evaluations?: { episode: number; return: number }[];
  /** summary.json's config, as far as the report uses it. */
  /** From summary.json: `episodes` for TD3's runs, `iterations` for the search's. */
  config: { hardenAfter?: number; g?: number; seed?: number; env?: string; policy?: string; lambda?: number; episodes?: number; iterations?: number };
}

/** Rows of a CSV with a header as records of strings; errors name the file and line. */
function readCsvRecords(path: string): { header: string[]; rows: string[][] } {
  let records: string[][];
  try {
    records = parseCsv(readFileSync(path, 'utf8'), { skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (err) {
    throw new DataError(`${path}: not a valid CSV file: ${(err as Error).message}`);
  }
  if (records.length === 0) throw new DataError(`${path}: the file is empty (a header row is required)`);
  return { header: records[0]!, rows: records.slice(1) };
}

/** Numeric cell, or undefined for an empty one; anything else names the line and column. */
function cell(path: string, header: string[], row: string[], line: number, name: string, required: boolean): number | undefined {
  const i = header.indexOf(name);
  if (i < 0) {
    if (required) throw new DataError(`${path}: no column "${name}" (the columns are: ${header.join(', ')})`);
    return undefined;
  }
  const text = row[i] ?? '';
  if (text === '') {
    if (required) throw new DataError(`${path}: line ${line}, column "${name}": empty`);
    return undefined;
  }
  const v = Number(text);
  if (!Number.isFinite(v)) throw new DataError(`${path}: line ${line}, column "${name}": ${quoteCut(text)} is not a finite number`);
  return v;
}

function readEpisodes(path: string): EpisodeRow[] {
  const { header, rows } = readCsvRecords(path);
  return rows.map((row, r) => {
    const line = r + 2;
    const get = (name: string, required: boolean) => cell(path, header, row, line, name, required);
    return { episode: get('episode', true)!, return: get('return', true)!, evalMean: get('eval_mean', false), terms: get('terms', false) };
  });
}

function readEvaluations(path: string): { episode: number; return: number }[] | undefined {
  const { header, rows } = readCsvRecords(path);
  if (!header.includes('episode') || !header.includes('return')) return undefined;
  return rows.map((row, r) => ({ episode: cell(path, header, row, r + 2, 'episode', true)!, return: cell(path, header, row, r + 2, 'return', true)! }));
}

function readConfig(path: string): TrainingRun['config'] {
  const summary = parseJsonText(readFileSync(path, 'utf8'), path) as { config?: Record<string, unknown> };
  const config = typeof summary === 'object' && summary !== null && typeof summary.config === 'object' && summary.config !== null ? summary.config : {};
  const num = (key: string) => (typeof config[key] === 'number' && Number.isFinite(config[key]) ? (config[key] as number) : undefined);
  const str = (key: string) => (typeof config[key] === 'string' ? (config[key] as string) : undefined);
  return { hardenAfter: num('hardenAfter'), g: num('g'), seed: num('seed'), env: str('env'), policy: str('policy'), lambda: num('lambda'), episodes: num('episodes'), iterations: num('iterations') };
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Why a directory has no law.json, and what to do about it. */
function missingLawReason(dir: string): string {
  const summaryPath = join(dir, 'summary.json');
  if (existsSync(summaryPath)) {
    if (readConfig(summaryPath).policy === 'mlp') return 'this run trained an MLP actor, which is not a law (train with --policy poly:3 or another library for one)';
  }
  if (existsSync(join(dir, 'checkpoint.bin'))) return 'this run is unfinished (it has a checkpoint but no law yet): continue it with the same train command and --resume, then report it';
  return 'no law.json in this directory; give a training run directory or a law document';
}

/** Reads a run directory written by `sparselaw train`; a directory without law.json is an error. */
export function readTrainingRun(dir: string): TrainingRun {
  const lawPath = join(dir, 'law.json');
  if (!existsSync(lawPath)) {
    throw new SparselawError(`${dir}: ${missingLawReason(dir)}`);
  }
  const law = loadLaw(lawPath);
  const returnsPath = join(dir, 'returns.csv');
  if (!existsSync(returnsPath)) throw new SparselawError(`${dir}: no returns.csv; is this a directory written by "sparselaw train"?`);
  const episodes = readEpisodes(returnsPath);
  const evalsPath = join(dir, 'evals.csv');
  const summaryPath = join(dir, 'summary.json');
  return {
    dir,
    law,
    episodes,
    ...(existsSync(evalsPath) ? { evaluations: readEvaluations(evalsPath) } : {}),
    config: existsSync(summaryPath) ? readConfig(summaryPath) : {},
  };
}
