import { Matrix, EigenvalueDecomposition } from 'ml-matrix';
import type { GramStats } from './gram.js';
import { solveSpd } from './least-squares.js';
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

/**
 * Makes the given dependencies hold exactly in the statistics: every library column is replaced by
 * its projection Θ P, with P the projection (in standardised units, so no column dominates by its
 * scale) that removes the dependencies' null vectors, so Θ P v = 0 for each. A column outside every
 * dependency is unchanged; the others move by no more than the dependencies' residual on the data
 * (the smoothing error, for smoothed states). The fit then sees exact collinearity, which the polish
 * resolves to the sparsest law, instead of a tiny residual direction it could fit with large
 * cancelling coefficients.
 */
export function imposeDependencies(stats: GramStats, dependencies: readonly LinearDependency[], names: readonly string[]): GramStats {
  const { p, m } = stats;
  if (dependencies.length === 0) return stats;
  const index = new Map(names.map((name, j) => [name, j]));
  const scale = Float64Array.from({ length: p }, (_, j) => Math.sqrt(Math.max(0, stats.G[j * p + j]!)) || 1);
  // Null vectors in standardised units: D v, with v = e_pivot - sum c e_term.
  const N = dependencies.map((d) => {
    const v = new Float64Array(p);
    const at = (name: string): number => {
      const j = index.get(name);
      if (j === undefined) throw new RangeError(`dependency names an unknown term "${name}"`);
      return j;
    };
    v[at(d.pivot)] = scale[at(d.pivot)]!;
    for (const t of d.rest) v[at(t.term)]! -= t.coefficient * scale[at(t.term)]!;
    return v;
  });
  const r = N.length;
  const NtN = N.map((a) => N.map((b) => a.reduce((s, x, j) => s + x * b[j]!, 0)));
  // P~ = I - N (N'N)^-1 N' in standardised units; P = D^-1 P~ D in original units.
  const coef = Array.from({ length: p }, (_, j) => solveSpd(NtN, N.map((v) => v[j]!)));
  const P = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let proj = 0;
      for (let a = 0; a < r; a++) proj += N[a]![i]! * coef[j]![a]!;
      P[i * p + j] = (((i === j ? 1 : 0) - proj) * scale[j]!) / scale[i]!;
    }
  const GP = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let k = 0; k < p; k++) {
      const g = stats.G[i * p + k]!;
      if (g === 0) continue;
      for (let j = 0; j < p; j++) GP[i * p + j]! += g * P[k * p + j]!;
    }
  const G = new Float64Array(p * p);
  const B = new Float64Array(p * m);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      let v = 0;
      for (let k = 0; k < p; k++) v += P[k * p + i]! * GP[k * p + j]!;
      G[i * p + j] = v;
      G[j * p + i] = v;
    }
    for (let c = 0; c < m; c++) {
      let v = 0;
      for (let k = 0; k < p; k++) v += P[k * p + i]! * stats.B[k * m + c]!;
      B[i * m + c] = v;
    }
  }
  return { ...stats, G, B };
}
