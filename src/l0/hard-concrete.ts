/**
 * Hard-concrete gates (Louizos, Welling & Kingma 2018): a gate z in [0, 1] per prunable parameter,
 * exactly 0 or 1 with non-zero probability and differentiable in its logAlpha in between.
 */
import type { Rng } from '../util/rng.js';

export const BETA = 2 / 3;
export const GAMMA = -0.1;
export const ZETA = 1.1;

/** The gate's temperature beta and stretch interval (gamma, zeta); the defaults are Louizos et al.'s. */
export interface GateShape {
  beta: number;
  gamma: number;
  zeta: number;
}
export const DEFAULT_GATE: GateShape = { beta: BETA, gamma: GAMMA, zeta: ZETA };

/** Checks a shape: beta > 0, gamma < 0 < 1 < zeta (otherwise a gate could never be exactly 0 or 1). */
export function checkGateShape(g: GateShape): GateShape {
  if (!(g.beta > 0 && Number.isFinite(g.beta))) throw new RangeError(`the gate temperature beta must be a positive number, got ${g.beta}`);
  if (!(g.gamma < 0 && g.zeta > 1 && Number.isFinite(g.gamma) && Number.isFinite(g.zeta))) throw new RangeError(`the gate stretch needs gamma < 0 and zeta > 1, got (${g.gamma}, ${g.zeta})`);
  return g;
}
/** Keeps log(u) and log(1 - u) finite. */
const EPS = 1e-6;

export const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/** P(z != 0): the expected L0 contribution of one gate. */
export function probNonZero(logAlpha: number, g: GateShape = DEFAULT_GATE): number {
  return sigmoid(logAlpha - g.beta * Math.log(-g.gamma / g.zeta));
}

/** Test-time gate. */
export function deterministicGate(logAlpha: number, g: GateShape = DEFAULT_GATE): number {
  return clamp01(sigmoid(logAlpha) * (g.zeta - g.gamma) + g.gamma);
}

/** A training-time gate for uniform noise u in (0, 1). */
export function sampleGate(logAlpha: number, u: number, g: GateShape = DEFAULT_GATE): number {
  return sampleGateWithGrad(logAlpha, u, g).z;
}

/**
 * A gate sample and its derivative with respect to logAlpha (zero where the hard clamp is active,
 * which is what lets a gate be exactly 0 or 1).
 */
export function sampleGateWithGrad(logAlpha: number, u: number, g: GateShape = DEFAULT_GATE): { z: number; dz: number } {
  const v = Math.min(1 - EPS, Math.max(EPS, u));
  const s = sigmoid((Math.log(v) - Math.log(1 - v) + logAlpha) / g.beta);
  const raw = s * (g.zeta - g.gamma) + g.gamma;
  if (raw <= 0) return { z: 0, dz: 0 };
  if (raw >= 1) return { z: 1, dz: 0 };
  return { z: raw, dz: ((g.zeta - g.gamma) * s * (1 - s)) / g.beta };
}

/** logAlpha ~ N(log(1 - p0) - log(p0), 0.01^2), p0 the initial drop rate. */
export function initLogAlpha(count: number, p0: number, rng: Rng): Float64Array {
  if (!(p0 > 0 && p0 < 1)) throw new RangeError(`initial drop rate must be in (0, 1), got ${p0}`);
  const mean = Math.log(1 - p0) - Math.log(p0);
  return Float64Array.from({ length: count }, () => mean + 0.01 * rng.normal());
}
