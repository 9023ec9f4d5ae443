import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { readNumericCsv, writeNumericCsv } from '../../src/data/csv.js';
import { DataError } from '../../src/library/evaluate.js';

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-csv-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('numeric columns round-trip exactly through write and read', () => {
  withDir((dir) => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ noNaN: true, noDefaultInfinity: true })), { minLength: 1, maxLength: 30 }), (rows) => {
        const file = join(dir, 'data.csv');
        const columns = new Map([
          ['a', Float64Array.from(rows, (r) => r[0])],
          ['b', Float64Array.from(rows, (r) => r[1])],
        ]);
        writeNumericCsv(file, ['a', 'b'], columns, rows.length);
        const back = readNumericCsv(file);
        assert.equal(back.n, rows.length);
        assert.deepEqual(Array.from(back.columns.get('a')!), Array.from(columns.get('a')!));
        assert.deepEqual(Array.from(back.columns.get('b')!), Array.from(columns.get('b')!));
      }),
      { numRuns: 50 },
    );
    // Written atomically: no temporary file is left next to it.
    assert.deepEqual(readdirSync(dir), ['data.csv']);
  });
});

test('bad files are rejected naming the file, line and column', () => {
  withDir((dir) => {
    const file = join(dir, 'bad.csv');
    const expectError = (text: string, pattern: RegExp, columns?: string[]) => {
      writeFileSync(file, text);
      assert.throws(
        () => readNumericCsv(file, columns ? { columns } : {}),
        (e: Error) => e instanceof DataError && e.message.startsWith(file) && pattern.test(e.message),
      );
    };
    expectError('x,y\n1,2\n3,abc\n', /line 3, column "y": "abc" is not a finite number/);
    expectError('x,y\n1,2\n3,NaN\n', /line 3, column "y"/);
    expectError('x,y\n1,2\nInfinity,2\n', /line 3, column "x"/);
    expectError('x,y\n1,2\n3\n', /line 3: 1 fields, but the header has 2/);
    expectError('x,y\n1,\n', /line 2, column "y": an empty cell/);
    expectError('x,y\n1,2\n', /no column "z" \(the columns are: x, y\)/, ['x', 'z']);
    expectError('x,x\n1,2\n', /line 1: column name "x" appears twice/);
    expectError('x,y\n', /no data rows/);
    expectError('', /empty/);
    assert.throws(() => readNumericCsv(join(dir, 'missing.csv')), /cannot read .*missing\.csv: no such file or directory \(ENOENT\)/);
  });
});

test('optional columns are read when present and ignored when absent', () => {
  withDir((dir) => {
    const file = join(dir, 'd.csv');
    writeFileSync(file, 'x,episode\n1,0\n2,0\n');
    assert.deepEqual([...readNumericCsv(file, { columns: ['x'], optional: ['episode', 'other'] }).columns.keys()], ['x', 'episode']);
  });
});
