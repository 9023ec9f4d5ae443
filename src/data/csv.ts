import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DataError } from '../library/evaluate.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { fsReason, isFsError } from '../util/fs-errors.js';
import { quoteCut } from '../util/quote.js';

export interface NumericTable {
  columns: Map<string, Float64Array>;
  n: number;
  header: string[];
}

/**
 * Reads a numeric CSV with a header row. Every requested column is checked in full before anything
 * is returned, so fitting never starts on bad data; errors name the file, line and column.
 * `optional` columns are read (and checked) when the file has them.
 */
export interface CsvReadOptions {
  columns?: readonly string[];
  optional?: readonly string[];
  /** The field separator (default ','). */
  delimiter?: string;
}

export function readNumericCsv(path: string, options: CsvReadOptions = {}): NumericTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (!isFsError(err)) throw err;
    throw new DataError(`cannot read ${path}: ${fsReason(err, path)}`);
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, delimiter: options.delimiter ?? ',' }) as string[][];
  } catch (err) {
    throw new DataError(`${path}: not a valid CSV file: ${cutMessage((err as Error).message)}`);
  }
  if (records.length === 0) throw new DataError(`${path}: the file is empty (a header row is required)`);
  const header = records[0]!;
  const delimiter = options.delimiter ?? ',';
  if (header.length === 1 && delimiter !== ';' && header[0]!.includes(';')) {
    throw new DataError(`${path}: line 1 is a single column ${quoteCut(header[0]!)}: the file looks semicolon-separated; give --delimiter ';'`);
  }
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === '') throw new DataError(`${path}: line 1: column ${i + 1} has an empty name`);
    if (seen.has(h)) throw new DataError(`${path}: line 1: column name ${quoteCut(h)} appears twice`);
    seen.add(h);
  });
  const required = options.columns ?? header;
  for (const c of required) {
    if (!seen.has(c)) throw new DataError(`${path}: no column "${c}" (the columns are: ${header.map((h) => (h.length > 40 ? quoteCut(h) : h)).join(', ')})`);
  }
  const wanted = [...new Set([...required, ...(options.optional ?? []).filter((c) => seen.has(c))])];
  const n = records.length - 1;
  if (n === 0) throw new DataError(`${path}: the file has a header but no data rows`);
  const columns = new Map<string, Float64Array>();
  const index = wanted.map((c) => header.indexOf(c));
  const arrays = wanted.map(() => new Float64Array(n));
  for (let r = 1; r <= n; r++) {
    const row = records[r]!;
    if (row.length !== header.length) {
      throw new DataError(`${path}: line ${r + 1}: ${row.length} fields, but the header has ${header.length}`);
    }
    for (let k = 0; k < wanted.length; k++) {
      const cell = row[index[k]!]!;
      const v = Number(cell);
      if (cell === '' || !Number.isFinite(v)) {
        const what = cell === '' ? 'an empty cell' : `${quoteCut(cell)} is not a finite number`;
        throw new DataError(`${path}: line ${r + 1}, column "${wanted[k]}": ${what}`);
      }
      arrays[k]![r - 1] = v;
    }
  }
  wanted.forEach((c, k) => columns.set(c, arrays[k]!));
  return { columns, n, header: [...header] };
}

/** csv-parse quotes whole records in some messages: keep the message, cut what it quotes. */
function cutMessage(message: string): string {
  return message.replace(/"([^"]{60,})"/g, (_, inner: string) => quoteCut(inner));
}

/** Writes numeric columns as CSV, atomically; numbers keep full precision. */
export function writeNumericCsv(path: string, header: readonly string[], columns: ReadonlyMap<string, Float64Array>, n: number): void {
  const cols = header.map((h) => {
    const c = columns.get(h);
    if (!c) throw new DataError(`no data for column "${h}"`);
    return c;
  });
  const lines: string[] = [header.join(',')];
  // String(-0) is "0"; keep the sign so a round trip is exact.
  const cell = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
  for (let r = 0; r < n; r++) lines.push(cols.map((c) => cell(c[r]!)).join(','));
  writeFileAtomic(path, lines.join('\n') + '\n');
}
