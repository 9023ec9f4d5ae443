import type { GramStats } from './gram.js';
import type { Standardised } from './fit-gram.js';
import { solveSpd } from './least-squares.js';

/**
 * Deterministic completion of the gate search: starting from the support the gates chose, remove
 * (or add) single terms while that lowers the exact L0 objective
 *
 *     mse_k(refit on S) / var(y_k) + lambda * |S|
 *
 * computed from the Gram statistics. Stochastic gates settle on a good support but, on a library
 * with exact linear dependencies (cos^2 + sin^2 = 1), can leave several collinear terms open at
 * once, each with a large coefficient cancelling the others; one removal at a time with a refit
 * closes them. Each trial costs one small Cholesky solve, independent of the number of samples.
 */
export function polishSupport(stats: GramStats, st: Standardised, support: Uint8Array, lambda: number, maxRounds = 200): Uint8Array {
  const { p, m } = stats;
  const out = Uint8Array.from(support);
  for (let k = 0; k < m; k++) {
    const S = new Set<number>();
    for (let j = 0; j < p; j++) if (out[j * m + k]) S.add(j);
    let best = objective(st, p, m, k, S, lambda);
    for (let round = 0; round < maxRounds; round++) {
      let move: { j: number; add: boolean; value: number } | undefined;
      for (let j = 0; j < p; j++) {
        if (st.colScale[j] === 0) continue;
        const add = !S.has(j);
        if (add) S.add(j);
        else S.delete(j);
        const value = objective(st, p, m, k, S, lambda);
        if (add) S.delete(j);
        else S.add(j);
        // Strict improvement (relative, so rounding noise cannot cycle).
        if (value < best - 1e-12 * Math.max(1, Math.abs(best)) && (!move || value < move.value)) move = { j, add, value };
      }
      if (move) {
        if (move.add) S.add(move.j);
        else S.delete(move.j);
        best = move.value;
        continue;
      }
      // Local minimum for single moves. Collinear terms need two at once ({cos^2 sin, sin^3} ->
      // {sin}): add one term, then remove greedily, and keep the result if it is strictly better.
      const look = lookahead(st, p, m, k, S, lambda, best);
      if (!look) break;
      S.clear();
      for (const j of look.S) S.add(j);
      best = look.value;
    }
    for (let j = 0; j < p; j++) out[j * m + k] = S.has(j) ? 1 : 0;
  }
  return out;
}

/** Normalised MSE of the least-squares refit on S plus lambda |S|, in standardised units. */
function objective(st: Standardised, p: number, m: number, k: number, S: ReadonlySet<number>, lambda: number): number {
  const idx = [...S];
  if (idx.length === 0) return st.yy[k]!;
  const A = idx.map((i) => idx.map((j) => st.G[i * p + j]!));
  const b = idx.map((i) => st.B[i * m + k]!);
  const w = solveSpd(A, b);
  // Explicit w'Gw - 2w'b + yy: the shortcut yy - w'b holds only at an exact solution, not a ridged one.
  let quad = 0;
  let wb = 0;
  for (let a = 0; a < idx.length; a++) {
    wb += w[a]! * b[a]!;
    for (let c = 0; c < idx.length; c++) quad += w[a]! * A[a]![c]! * w[c]!;
  }
  return Math.max(0, quad - 2 * wb + st.yy[k]!) + lambda * idx.length;
}

function lookahead(st: Standardised, p: number, m: number, k: number, S: ReadonlySet<number>, lambda: number, best: number): { S: Set<number>; value: number } | undefined {
  let winner: { S: Set<number>; value: number } | undefined;
  for (let l = 0; l < p; l++) {
    if (S.has(l) || st.colScale[l] === 0) continue;
    const T = new Set(S).add(l);
    let value = objective(st, p, m, k, T, lambda);
    for (;;) {
      let drop = -1;
      let dropValue = value;
      // Removing l itself just returns to S (an exact tie when l is collinear with S).
      for (const j of [...T]) {
        if (j === l) continue;
        T.delete(j);
        const v = objective(st, p, m, k, T, lambda);
        T.add(j);
        if (v < dropValue - 1e-12 * Math.max(1, Math.abs(dropValue))) {
          drop = j;
          dropValue = v;
        }
      }
      if (drop < 0) break;
      T.delete(drop);
      value = dropValue;
    }
    if (value < best - 1e-12 * Math.max(1, Math.abs(best)) && (!winner || value < winner.value)) winner = { S: T, value };
  }
  return winner;
}
