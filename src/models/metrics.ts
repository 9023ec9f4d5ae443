import { compileBatch } from '../expr/compile.js';
import type { LawDocument } from '../law/document.js';
import { bindColumns } from '../law/bind.js';
import { type Columns, getColumn, DataError } from '../library/evaluate.js';

/** Per-output predictions of a law on a data set (n×m row-major), through the compiled kernel. */
export function predictLaw(law: LawDocument, columns: Columns, n: number): Float64Array {
  const inputs = bindColumns(law, columns);
  const out = new Float64Array(n * law.outputs.length);
  compileBatch(
    law.outputs.map((o) => o.expr),
    law.inputs,
  )(inputs, n, out);
  return out;
}

/** Mean squared error of each output against the named target columns (all rows, no trimming). */
export function lawMse(law: LawDocument, columns: Columns, n: number, targets: readonly string[]): number[] {
  const pred = predictLaw(law, columns, n);
  const m = law.outputs.length;
  return targets.map((name, k) => {
    const y = getColumn(columns, name);
    if (!y) throw new DataError(`no target column "${name}"`);
    let s = 0;
    for (let r = 0; r < n; r++) s += (pred[r * m + k]! - y[r]!) ** 2;
    return s / n;
  });
}
