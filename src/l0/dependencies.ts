import { Matrix, EigenvalueDecomposition } from 'ml-matrix';
import type { GramStats } from './gram.js';
import { standardise } from './fit-gram.js';

/**
 * Exact linear dependencies among library columns (e.g. 1 = cos^2 + sin^2): the null space of the
 * standardised Gram matrix. Each dependency lists the terms with a noticeable weight in it.
 */
export function linearDependencies(stats: GramStats, names: readonly string[], tol = 1e-9): { terms: string[]; description: string }[] {
  const { p } = stats;
  const st = standardise(stats);
  const live = [...Array(p).keys()].filter((j) => st.colScale[j]! > 0);
  const G = new Matrix(live.map((i) => live.map((j) => st.G[i * p + j]!)));
  const eig = new EigenvalueDecomposition(G, { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const vectors = eig.eigenvectorMatrix;
  const top = Math.max(...values.map(Math.abs));
  const out: { terms: string[]; description: string }[] = [];
  values.forEach((v, c) => {
    if (Math.abs(v) > tol * top) return;
    const vec = vectors.getColumn(c).map((x, a) => x / st.colScale[live[a]!]!);
    const big = Math.max(...vec.map(Math.abs));
    const parts = vec
      .map((x, a) => ({ x: x / big, name: names[live[a]!]! }))
      .filter((t) => Math.abs(t.x) > 1e-6);
    out.push({
      terms: parts.map((t) => t.name),
      description: parts.map((t) => `${t.x.toPrecision(3)}*${t.name}`).join(' + ') + ' = 0',
    });
  });
  const zero = [...Array(p).keys()].filter((j) => st.colScale[j] === 0);
  for (const j of zero) out.push({ terms: [names[j]!], description: `${names[j]} is zero on all data` });
  return out;
}
