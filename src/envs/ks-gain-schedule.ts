import { add, mul, num, tanh, type Expr } from '../expr/ast.js';
import { parse } from '../expr/parse.js';
import { print } from '../expr/print.js';
import type { LawDocument } from '../law/document.js';

/**
 * A gain-scheduled law family for KS-v0, seven terms per actuator (56 in all):
 *   a_j = tanh(c1 m_j + c2 mu m_j + c3 mu^2 m_j + c4 + c5 mu + c6 mu^2 + c7 m_j^3),
 * i.e. a co-located feedback whose gain depends on mu (the best proportional gain grows from about
 * 1.5 at mu = 0, where sensor noise punishes high gains, to 12 at |mu| = 0.2), a feed-forward in mu
 * against the forcing mu cos(4 pi x / L), and a cubic correction.
 */
export const KS_SCHEDULE_TERMS: readonly string[] = Object.freeze(['m', 'mu*m', 'mu^2*m', '1', 'mu', 'mu^2', 'm^3']);

const ACTUATORS = 8;
export const KS_SCHEDULE_SIZE = KS_SCHEDULE_TERMS.length * ACTUATORS;

/**
 * The search's start, a proportional law with gain 1.5 + 300 mu^2 (1.5 at mu = 0, 13.5 at |mu| = 0.2),
 * and the scale of each coefficient: the change that moves a_j's argument by about one at the
 * largest |mu| and a typical |m| (about 1).
 */
export function ksScheduleStart(): { start: Float64Array; scale: Float64Array } {
  const perActuator = { start: [-1.5, 0, -300, 0, 0, 0, 0], scale: [3, 10, 100, 0.3, 3, 30, 0.3] };
  const tile = (a: number[]) => Float64Array.from({ length: KS_SCHEDULE_SIZE }, (_, i) => a[i % a.length]!);
  return { start: tile(perActuator.start), scale: tile(perActuator.scale) };
}

/** A term of KS_SCHEDULE_TERMS for actuator j: its `m` is that actuator's sensor. */
function term(name: string, j: number): Expr {
  return parse(name.replace(/\bm\b/g, `m${j + 1}`));
}

/** The law document of a coefficient vector (actuator-major, KS_SCHEDULE_TERMS order). */
export function ksScheduleLaw(theta: ArrayLike<number>, meta?: Record<string, unknown>): LawDocument {
  if (theta.length !== KS_SCHEDULE_SIZE) throw new Error(`expected ${KS_SCHEDULE_SIZE} coefficients, got ${theta.length}`);
  const outputs = Array.from({ length: ACTUATORS }, (_, j) => {
    const coefficients = KS_SCHEDULE_TERMS.map((_, t) => theta[j * KS_SCHEDULE_TERMS.length + t]!);
    const parts = KS_SCHEDULE_TERMS.map((name, t) => (name === '1' ? num(coefficients[t]!) : mul(num(coefficients[t]!), term(name, j))));
    const argument = parts.reduce((a, b) => add(a, b));
    return {
      name: `a${j + 1}`,
      expr: tanh(argument),
      terms: KS_SCHEDULE_TERMS.map((name, t) => ({ term: print(term(name, j)), coefficient: coefficients[t]! })),
    };
  });
  return { inputs: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'mu'], outputs, ...(meta ? { meta } : {}) };
}
