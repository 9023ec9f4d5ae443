import { compileBatch } from '../expr/compile.js';
import { SparselawError } from '../errors.js';
import type { Library } from './library.js';

export class DataError extends SparselawError {
  override name = 'DataError';
}

export type Columns = ReadonlyMap<string, Float64Array> | Readonly<Record<string, Float64Array>>;

export function getColumn(columns: Columns, name: string): Float64Array | undefined {
  return columns instanceof Map ? columns.get(name) : (columns as Record<string, Float64Array>)[name];
}

/** Θ (n×p row-major) for rows [start, start + rows) of the data, through the compiled kernel. */
export interface ThetaMatrix {
  n: number;
  p: number;
  data: Float64Array;
  names: readonly string[];
}

const kernels = new WeakMap<Library, ReturnType<typeof compileBatch>>();

function kernelFor(lib: Library): ReturnType<typeof compileBatch> {
  let k = kernels.get(lib);
  if (!k) {
    k = compileBatch(lib.terms, lib.inputs);
    kernels.set(lib, k);
  }
  return k;
}

function inputColumns(lib: Library, columns: Columns): Float64Array[] {
  return lib.inputs.map((name) => {
    const c = getColumn(columns, name);
    if (!c) throw new DataError(`the library needs input column "${name}", which the data does not have`);
    return c;
  });
}

/** Evaluates the library on rows [start, start + rows); non-finite values name the term and row. */
export function evaluateLibraryRows(lib: Library, columns: Columns, start: number, rows: number, out?: Float64Array): ThetaMatrix {
  const cols = inputColumns(lib, columns).map((c) => c.subarray(start, start + rows));
  const p = lib.terms.length;
  const data = out && out.length >= rows * p ? out : new Float64Array(rows * p);
  kernelFor(lib)(cols, rows, data);
  for (let i = 0; i < rows * p; i++) {
    if (!Number.isFinite(data[i]!)) {
      const r = Math.floor(i / p);
      throw new DataError(`library term ${lib.names[i % p]} is ${data[i]} at data row ${start + r + 1}`);
    }
  }
  return { n: rows, p, data, names: lib.names };
}

export function evaluateLibrary(lib: Library, columns: Columns, n?: number): ThetaMatrix {
  const rows = n ?? inputColumns(lib, columns)[0]?.length ?? 0;
  return evaluateLibraryRows(lib, columns, 0, rows);
}
