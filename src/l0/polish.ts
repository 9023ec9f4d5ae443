import type { GramStats } from './gram.js';
import type { Standardised } from './fit-gram.js';
import { choleskyForward, choleskyInverseDiagonal, choleskyRidged, choleskySolve, type RidgedCholesky } from './cholesky.js';
import { solveSpdFlat } from './least-squares.js';

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
 *
 * Trials are screened first: from one factorisation of the current support, the exact change of the
 * objective for removing any term (w_j² / (G_S⁻¹)_jj) or adding any term ((b_l - g_l'w)² over the
 * Schur complement) costs O(|S|²), and only the SCREENED most promising moves are evaluated exactly.
 * Evaluating every move exactly cost p Cholesky factorisations per round, which made the polish, not
 * the gate training, the cost of a lambda path on large libraries (fourier:2:cross on 4 inputs,
 * 136 terms: a minute per lambda).
 */
export function polishSupport(
  stats: GramStats,
  st: Standardised,
  support: Uint8Array,
  lambda: number,
  options: { maxRounds?: number; /** false: evaluate every move exactly (the bench's reference). */ screened?: boolean } = {},
): Uint8Array {
  const maxRounds = options.maxRounds ?? 200;
  const screened = options.screened ?? true;
  const { p, m } = stats;
  const all = [...Array(p).keys()].filter((j) => st.colScale[j] !== 0);
  const out = Uint8Array.from(support);
  for (let k = 0; k < m; k++) {
    const S = new Set<number>();
    for (let j = 0; j < p; j++) if (out[j * m + k]) S.add(j);
    let best = objective(st, p, m, k, S, lambda);
    for (let round = 0; round < maxRounds; round++) {
      let move: { j: number; add: boolean; value: number } | undefined;
      for (const cand of screened ? screenMoves(st, p, m, k, S, lambda, best, true) : all) {
        const add = !S.has(cand);
        if (add) S.add(cand);
        else S.delete(cand);
        const value = objective(st, p, m, k, S, lambda);
        if (add) S.delete(cand);
        else S.add(cand);
        // Strict improvement (relative, so rounding noise cannot cycle).
        if (value < best - 1e-12 * Math.max(1, Math.abs(best)) && (!move || value < move.value)) move = { j: cand, add, value };
      }
      if (move) {
        if (move.add) S.add(move.j);
        else S.delete(move.j);
        best = move.value;
        continue;
      }
      // Local minimum for single moves. Collinear terms need two at once ({cos^2 sin, sin^3} ->
      // {sin}): add one term, then remove greedily, and keep the result if it is strictly better.
      const look = lookahead(st, p, m, k, S, lambda, best, screened);
      if (!look) break;
      S.clear();
      for (const j of look.S) S.add(j);
      best = look.value;
    }
    for (let j = 0; j < p; j++) out[j * m + k] = S.has(j) ? 1 : 0;
  }
  return out;
}

/** Moves evaluated exactly per round: the best few by the screening estimate. */
const SCREENED = 4;

/**
 * The terms whose removal (or, with `adds`, addition) the O(|S|²) update formulas rank best, at
 * most SCREENED of them. The formulas are exact for the factorised (possibly ridged) block; the
 * exact objective then decides among them.
 */
function screenMoves(st: Standardised, p: number, m: number, k: number, S: ReadonlySet<number>, lambda: number, current: number, adds: boolean, keep?: number): number[] {
  const scored = moveEstimates(st, p, m, k, S, lambda, current, adds, keep);
  if (!scored) return [...Array(p).keys()].filter((j) => st.colScale[j] !== 0 && j !== keep).slice(0, SCREENED * 4);
  scored.sort((a, b) => a.value - b.value);
  return scored.slice(0, SCREENED).map((s) => s.j);
}

/**
 * The objective after each single move (removing a term of S other than `keep`; with `adds`, adding
 * a term outside S), by the update formulas from one factorisation of S; `current` is the objective
 * of S. Undefined when S's block cannot be factorised at any ridge.
 */
export function moveEstimates(st: Standardised, p: number, m: number, k: number, S: ReadonlySet<number>, lambda: number, current: number, adds: boolean, keep?: number): { j: number; value: number }[] | undefined {
  const idx = [...S];
  const n = idx.length;
  const scored: { j: number; value: number }[] = [];
  let w: Float64Array = new Float64Array(0);
  let f: RidgedCholesky | undefined;
  if (n > 0) {
    const A = block(st, p, idx);
    f = choleskyRidged(A, n);
    if (!f) return undefined;
    w = choleskySolve(f, idx.map((i) => st.B[i * m + k]!));
    const diag = choleskyInverseDiagonal(f);
    idx.forEach((j, a) => {
      if (j === keep) return;
      const d = diag[a]!;
      scored.push({ j, value: current + (d > 0 ? (w[a]! * w[a]!) / d : 0) - lambda });
    });
  }
  if (adds) {
    const g = new Float64Array(n);
    const z = new Float64Array(n);
    for (let l = 0; l < p; l++) {
      if (S.has(l) || st.colScale[l] === 0) continue;
      let r = st.B[l * m + k]!;
      for (let a = 0; a < n; a++) {
        g[a] = st.G[l * p + idx[a]!]!;
        r -= g[a]! * w[a]!;
      }
      let quad = 0;
      if (f) {
        choleskyForward(f, g, z);
        for (let a = 0; a < n; a++) quad += z[a]! * z[a]!;
      }
      const schur = st.G[l * p + l]! - quad;
      // A term (nearly) inside the span of S adds nothing the refit could use.
      const gain = schur > 1e-10 * st.G[l * p + l]! ? (r * r) / schur : 0;
      scored.push({ j: l, value: current - gain + lambda });
    }
  }
  return scored;
}

function block(st: Standardised, p: number, idx: readonly number[]): Float64Array {
  const n = idx.length;
  const A = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let c = 0; c < n; c++) A[a * n + c] = st.G[idx[a]! * p + idx[c]!]!;
  return A;
}

/** Normalised MSE of the least-squares refit on S plus lambda |S|, in standardised units. */
export function objective(st: Standardised, p: number, m: number, k: number, S: ReadonlySet<number>, lambda: number): number {
  const idx = [...S];
  const n = idx.length;
  if (n === 0) return st.yy[k]!;
  const A = block(st, p, idx);
  const b = idx.map((i) => st.B[i * m + k]!);
  const w = solveSpdFlat(A, b, n);
  // Explicit w'Gw - 2w'b + yy: the shortcut yy - w'b holds only at an exact solution, not a ridged one.
  let quad = 0;
  let wb = 0;
  for (let a = 0; a < n; a++) {
    wb += w[a]! * b[a]!;
    for (let c = 0; c < n; c++) quad += w[a]! * A[a * n + c]! * w[c]!;
  }
  return Math.max(0, quad - 2 * wb + st.yy[k]!) + lambda * n;
}

function lookahead(st: Standardised, p: number, m: number, k: number, S: ReadonlySet<number>, lambda: number, best: number, screened: boolean): { S: Set<number>; value: number } | undefined {
  let winner: { S: Set<number>; value: number } | undefined;
  for (let l = 0; l < p; l++) {
    if (S.has(l) || st.colScale[l] === 0) continue;
    const T = new Set(S).add(l);
    let value = objective(st, p, m, k, T, lambda);
    for (;;) {
      let drop = -1;
      let dropValue = value;
      // Removing l itself just returns to S (an exact tie when l is collinear with S).
      for (const j of screened ? screenMoves(st, p, m, k, T, lambda, value, false, l) : [...T].filter((j) => j !== l)) {
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
