import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a numeric CSV row by row to a temporary file beside `path` and renames it into place on
 * commit, so a long simulation never holds all rows in memory and an interrupted or failed one
 * leaves no partial file behind.
 */
export class CsvRowWriter {
  private readonly tmp: string;
  private fd: number | undefined;
  private buffer: string[] = [];
  private buffered = 0;
  rows = 0;

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
    this.fd = openSync(this.tmp, 'wx');
    this.buffer.push(header.join(','));
  }

  /** Numbers keep full precision; -0 keeps its sign so a round trip is exact. */
  write(row: ArrayLike<number>): void {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      const v = row[i]!;
      line += (i > 0 ? ',' : '') + (Object.is(v, -0) ? '-0' : String(v));
    }
    this.buffer.push(line);
    this.buffered += line.length;
    this.rows++;
    if (this.buffered > 1 << 20) this.flush();
  }

  commit(): void {
    this.flush();
    closeSync(this.fd!);
    this.fd = undefined;
    renameSync(this.tmp, this.path);
  }

  /** Removes the temporary file; safe to call after commit or twice. */
  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd!, this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.buffered = 0;
  }
}
