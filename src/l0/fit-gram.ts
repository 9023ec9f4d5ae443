import { Rng } from '../util/rng.js';
import type { GramStats } from './gram.js';
import { probNonZero, deterministicGate, sampleGateWithGrad, initLogAlpha, checkGateShape, DEFAULT_GATE, type GateShape } from './hard-concrete.js';
import { refitLeastSquares } from './least-squares.js';
import { polishSupport } from './polish.js';

/**
 * L0-regularised dictionary fit on the Gram statistics (no tfjs, no pass over the data).
 *
 * Objective, per output k, in standardised units (each library column divided by its RMS, each
 * output by its standard deviation, so one lambda means the same for every term and output):
 *
 *     E_z[ mse_k(xi ⊙ z) ] / var(y_k) + lambda * sum_j P(z_jk != 0)
 *
 * i.e. the per-sample mean loss plus lambda times the expected L0 norm, with no division by N. A
 * term survives when it explains more than about lambda of the variance of its output.
 *
 * The penalty gradient lambda * P(1 - P) is added to the data gradient before Adam's
 * normalisation, so a gate whose term explains nothing sees a consistently positive gradient and
 * closes; a gate is removed from the active set once P(z != 0) < PRUNE_PROBABILITY, so later steps
 * cost less. At the end the deterministic gates give the support, and the survivors are refitted by
 * least squares (debiasing); the coefficients returned are w ⊙ z refitted, never the raw w.
 */
export interface SparseFitOptions {
  lambda: number;
  seed: number;
  /** Adam steps (default 1500). */
  steps?: number;
  /** Adam learning rate for both coefficients and logAlpha (default 0.02). */
  lr?: number;
  /** Initial drop rate of the gates (default 0.5). */
  p0?: number;
  /** Least-squares refit of the surviving terms (default true). */
  refit?: boolean;
  /** Finish with the deterministic single-term search on the exact objective (default true; needs refit). */
  polish?: boolean;
  /** The gates' temperature and stretch (default: beta 2/3, gamma -0.1, zeta 1.1). */
  gate?: GateShape;
  /** Start from these standardised coefficients and logAlpha (warm start along a lambda path). */
  warmStart?: { xi: Float64Array; logAlpha: Float64Array };
  onProgress?: (step: number, activeTerms: number) => void;
}

export interface SparseFit {
  /** p×m row-major, original units, exactly 0 off the support. */
  coefficients: Float64Array;
  support: Uint8Array;
  /** Deterministic gates, p×m. */
  gates: Float64Array;
  logAlpha: Float64Array;
  /** Standardised coefficients before the refit (for warm starts). */
  xi: Float64Array;
  activeHistory: { step: number; active: number }[];
  steps: number;
}

// Below this P(z != 0) the deterministic gate is already exactly 0 (logAlpha < -3); waiting for a
// smaller P costs steps for nothing: the penalty gradient lambda P (1 - P) vanishes with P, and Adam
// stalls the gate around P ~ 5e-3.
export const PRUNE_PROBABILITY = 1e-2;
const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPS = 1e-8;

export interface Standardised {
  /** Column scales (RMS); 0 for an all-zero column, which is never selected. */
  colScale: Float64Array;
  outScale: Float64Array;
  G: Float64Array;
  B: Float64Array;
  yy: Float64Array;
}

export function standardise(s: GramStats): Standardised {
  const { p, m } = s;
  const colScale = Float64Array.from({ length: p }, (_, j) => Math.sqrt(Math.max(0, s.G[j * p + j]!)));
  const outScale = Float64Array.from({ length: m }, (_, k) => {
    const variance = s.yy[k]! - s.yMean[k]! ** 2;
    const sd = Math.sqrt(Math.max(0, variance));
    return sd > 1e-12 * Math.sqrt(s.yy[k]!) && sd > 0 ? sd : Math.sqrt(s.yy[k]!) || 1;
  });
  const G = new Float64Array(p * p);
  const B = new Float64Array(p * m);
  for (let i = 0; i < p; i++) {
    const si = colScale[i]!;
    if (si === 0) continue;
    for (let j = 0; j < p; j++) {
      const sj = colScale[j]!;
      if (sj !== 0) G[i * p + j] = s.G[i * p + j]! / (si * sj);
    }
    for (let k = 0; k < m; k++) B[i * m + k] = s.B[i * m + k]! / (si * outScale[k]!);
  }
  const yy = Float64Array.from({ length: m }, (_, k) => s.yy[k]! / outScale[k]! ** 2);
  return { colScale, outScale, G, B, yy };
}

/** Ridge least squares in standardised units: the starting coefficients. */
export function initialXi(st: Standardised, p: number, m: number): Float64Array {
  const support = new Uint8Array(p * m);
  for (let j = 0; j < p; j++) if (st.colScale[j]! > 0) for (let k = 0; k < m; k++) support[j * m + k] = 1;
  return refitLeastSquares({ n: 1, p, m, G: st.G, B: st.B, yy: st.yy, yMean: new Float64Array(m) }, support);
}

export function fitGram(stats: GramStats, options: SparseFitOptions): SparseFit {
  const { p, m } = stats;
  const lambda = options.lambda;
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`lambda must be a finite number >= 0, got ${lambda}`);
  const steps = options.steps ?? 1500;
  const lr = options.lr ?? 0.02;
  const rng = Rng.seeded(options.seed);
  const gate = checkGateShape(options.gate ?? DEFAULT_GATE);
  const st = standardise(stats);

  const xi = options.warmStart ? Float64Array.from(options.warmStart.xi) : initialXi(st, p, m);
  const la = options.warmStart ? Float64Array.from(options.warmStart.logAlpha) : initLogAlpha(p * m, options.p0 ?? 0.5, rng);
  const active = initialActive(st, m, la, xi, PRUNE_PROBABILITY, gate);

  // Adam moments for xi and logAlpha.
  const mx = new Float64Array(p * m);
  const vx = new Float64Array(p * m);
  const ma = new Float64Array(p * m);
  const va = new Float64Array(p * m);
  const z = new Float64Array(p * m);
  const dz = new Float64Array(p * m);
  const w = new Float64Array(p);
  const history: { step: number; active: number }[] = [];
  let activeCount = active.reduce((s, a) => s + a, 0);
  history.push({ step: 0, active: activeCount });

  const idx = new Int32Array(p);
  for (let t = 1; t <= steps; t++) {
    for (let i = 0; i < p * m; i++) {
      if (!active[i]) continue;
      const g = sampleGateWithGrad(la[i]!, rng.uniform(), gate);
      z[i] = g.z;
      dz[i] = g.dz;
    }
    const c1 = 1 - BETA1 ** t;
    const c2 = 1 - BETA2 ** t;
    let pruned = false;
    for (let k = 0; k < m; k++) {
      let na = 0;
      for (let j = 0; j < p; j++) if (active[j * m + k]) idx[na++] = j;
      for (let a = 0; a < na; a++) {
        const j = idx[a]!;
        w[j] = xi[j * m + k]! * z[j * m + k]!;
      }
      for (let a = 0; a < na; a++) {
        const j = idx[a]!;
        const i = j * m + k;
        // d/dw of w'Gw - 2 w'b over the active set.
        let gw = 0;
        const row = j * p;
        for (let b = 0; b < na; b++) gw += st.G[row + idx[b]!]! * w[idx[b]!]!;
        const dw = 2 * (gw - st.B[i]!);
        const gxi = dw * z[i]!;
        const P = probNonZero(la[i]!, gate);
        const gla = dw * xi[i]! * dz[i]! + lambda * P * (1 - P);
        mx[i] = BETA1 * mx[i]! + (1 - BETA1) * gxi;
        vx[i] = BETA2 * vx[i]! + (1 - BETA2) * gxi * gxi;
        xi[i]! -= (lr * (mx[i]! / c1)) / (Math.sqrt(vx[i]! / c2) + ADAM_EPS);
        ma[i] = BETA1 * ma[i]! + (1 - BETA1) * gla;
        va[i] = BETA2 * va[i]! + (1 - BETA2) * gla * gla;
        la[i]! -= (lr * (ma[i]! / c1)) / (Math.sqrt(va[i]! / c2) + ADAM_EPS);
        if (probNonZero(la[i]!, gate) < PRUNE_PROBABILITY) {
          active[i] = 0;
          xi[i] = 0;
          activeCount--;
          pruned = true;
        }
      }
    }
    if (pruned) history.push({ step: t, active: activeCount });
    if (options.onProgress && (t % 100 === 0 || t === steps)) options.onProgress(t, activeCount);
  }

  const { coefficients, support, gates } = finishFit(stats, st, xi, la, active, lambda, options);
  history.push({ step: steps, active: activeCount });
  return { coefficients, support, gates, logAlpha: la, xi, activeHistory: history, steps };
}

/**
 * The end of a gate search, shared by the Gram and minibatch paths: deterministic gates give the
 * support, the exact-objective polish finishes it, and the survivors are refitted by least squares
 * (so the law's gates are exactly 0 or 1). Without refit, the coefficients are xi ⊙ z in original units.
 */
export function finishFit(
  stats: GramStats,
  st: Standardised,
  xi: ArrayLike<number>,
  logAlpha: ArrayLike<number>,
  active: ArrayLike<number>,
  lambda: number,
  options: Pick<SparseFitOptions, 'refit' | 'polish' | 'gate'>,
): { coefficients: Float64Array; support: Uint8Array; gates: Float64Array } {
  const { p, m } = stats;
  const gates = Float64Array.from({ length: p * m }, (_, i) => (active[i] ? deterministicGate(logAlpha[i]!, options.gate) : 0));
  let support: Uint8Array = Uint8Array.from(gates, (g) => (g > 0 ? 1 : 0));
  if (!(options.refit ?? true)) {
    const coefficients = new Float64Array(p * m);
    for (let j = 0; j < p; j++)
      for (let k = 0; k < m; k++) {
        const i = j * m + k;
        if (support[i]) coefficients[i] = (xi[i]! * gates[i]! * st.outScale[k]!) / st.colScale[j]!;
      }
    return { coefficients, support, gates };
  }
  if (options.polish ?? true) {
    support = polishSupport(stats, st, support, lambda);
    gates.set(support);
  }
  return { coefficients: refitLeastSquares(stats, support), support, gates };
}

/**
 * The gates that start open: every coefficient of a non-zero column whose gate is not already
 * below the pruning threshold (a warm start may have closed some). Closed ones get xi = 0.
 */
export function initialActive(st: Standardised, m: number, logAlpha: ArrayLike<number>, xi: Float64Array, prune: number, gate: GateShape = DEFAULT_GATE): Uint8Array {
  const p = st.colScale.length;
  const active = new Uint8Array(p * m);
  for (let j = 0; j < p; j++)
    for (let k = 0; k < m; k++) {
      const i = j * m + k;
      active[i] = st.colScale[j]! > 0 && probNonZero(logAlpha[i]!, gate) >= prune ? 1 : 0;
      if (!active[i]) xi[i] = 0;
    }
  return active;
}
