import { Matrix, EigenvalueDecomposition } from 'ml-matrix';
import type { GramStats } from './gram.js';
import { standardise } from './fit-gram.js';

export interface LinearDependency {
  /** The term the relation solves for (the highest-indexed term in it). */
  pivot: string;
  /** pivot = sum of coefficient * term. */
  rest: { term: string; coefficient: number }[];
  description: string;
}

/**
 * Exact linear dependencies among library columns (e.g. sin^2 = 1 - cos^2): the null space of the
 * standardised Gram matrix, brought to reduced row echelon form with pivots taken from the last
 * (highest-degree) terms, so each relation solves for one high-order term in terms of lower ones
 * and reads like the identity behind it rather than an arbitrary mix.
 */
export function linearDependencies(stats: GramStats, names: readonly string[], tol = 1e-9): LinearDependency[] {
  const { p } = stats;
  const st = standardise(stats);
  const out: LinearDependency[] = [];
  for (let j = 0; j < p; j++) {
    if (st.colScale[j] === 0) out.push({ pivot: names[j]!, rest: [], description: `${names[j]} = 0 on all data` });
  }
  const live = [...Array(p).keys()].filter((j) => st.colScale[j]! > 0);
  if (live.length === 0) return out;
  const eig = new EigenvalueDecomposition(new Matrix(live.map((i) => live.map((j) => st.G[i * p + j]!))), { assumeSymmetric: true });
  const top = Math.max(...eig.realEigenvalues.map(Math.abs));
  // Null vectors in original units (coefficients of the raw library columns).
  const rows = eig.realEigenvalues.flatMap((v, c) =>
    Math.abs(v) > tol * top ? [] : [eig.eigenvectorMatrix.getColumn(c).map((x, a) => x / st.colScale[live[a]!]!)],
  );
  const pivots: number[] = [];
  let r = 0;
  for (let col = live.length - 1; col >= 0 && r < rows.length; col--) {
    let best = r;
    for (let i = r + 1; i < rows.length; i++) if (Math.abs(rows[i]![col]!) > Math.abs(rows[best]![col]!)) best = i;
    const scale = Math.max(...rows[best]!.map(Math.abs));
    if (Math.abs(rows[best]![col]!) <= 1e-8 * scale) continue;
    [rows[r], rows[best]] = [rows[best]!, rows[r]!];
    const pivotRow = rows[r]!;
    const pv = pivotRow[col]!;
    for (let a = 0; a < pivotRow.length; a++) pivotRow[a]! /= pv;
    for (let i = 0; i < rows.length; i++) {
      if (i === r) continue;
      const f = rows[i]![col]!;
      if (f !== 0) for (let a = 0; a < pivotRow.length; a++) rows[i]![a]! -= f * pivotRow[a]!;
    }
    pivots.push(col);
    r++;
  }
  pivots.forEach((col, i) => {
    const rest = live
      .map((j, a) => ({ term: names[j]!, coefficient: -rows[i]![a]! }))
      .filter((t, a) => a !== col && Math.abs(t.coefficient) > 1e-6);
    const pivot = names[live[col]!]!;
    const rhs = rest.length === 0 ? '0' : rest.map((t, k) => formatTerm(t.coefficient, t.term, k === 0)).join(' ');
    out.push({ pivot, rest, description: `${pivot} = ${rhs}` });
  });
  return out;
}

function formatTerm(c: number, term: string, first: boolean): string {
  const mag = Number(Math.abs(c).toPrecision(4));
  const body = term === '1' ? String(mag) : mag === 1 ? term : `${mag}*${term}`;
  if (first) return c < 0 ? `-${body}` : body;
  return `${c < 0 ? '-' : '+'} ${body}`;
}
