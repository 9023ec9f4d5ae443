import { add, mul, num, tanh, type Expr } from '../../expr/ast.js';
import { parse } from '../../expr/parse.js';
import { print } from '../../expr/print.js';
import type { LawDocument } from '../../law/document.js';
import { SparselawError } from '../../errors.js';

/** A law family of the form a_j = tanh(sum_t c_jt term_t(m_j, mu)), the same terms for every actuator. */
export interface KsScheduleFamily {
  name: string;
  /** Terms over `m` (the actuator's own sensor) and mu. */
  terms: readonly string[];
  /** Per term: its start coefficient and its scale (the change that moves a_j's argument by about one). */
  start: readonly number[];
  scale: readonly number[];
}

/**
 * gain-schedule, seven terms per actuator (56 in all):
 *   a_j = tanh(c1 m_j + c2 mu m_j + c3 mu^2 m_j + c4 + c5 mu + c6 mu^2 + c7 m_j^3),
 * a co-located feedback whose gain depends on mu (the best proportional gain grows from about 1.5 at
 * mu = 0, where sensor noise punishes high gains, to 12 at |mu| = 0.2), a feed-forward in mu against
 * the forcing mu cos(4 pi x / L), and a cubic correction. It starts from a proportional law with gain
 * 1.5 + 300 mu^2 (1.5 at mu = 0, 13.5 at |mu| = 0.2).
 *
 * quartic: the same plus c8 mu^4 m_j (64 terms), so the gain at mu = 0 and at
 * |mu| = 0.05 or 0.2 no longer hang on the same two coefficients. It starts with c8 = 0.
 */
export const KS_SCHEDULE_FAMILIES: Readonly<Record<string, KsScheduleFamily>> = Object.freeze({
  'gain-schedule': { name: 'gain-schedule', terms: ['m', 'mu*m', 'mu^2*m', '1', 'mu', 'mu^2', 'm^3'], start: [-1.5, 0, -300, 0, 0, 0, 0], scale: [3, 10, 100, 0.3, 3, 30, 0.3] },
  quartic: { name: 'quartic', terms: ['m', 'mu*m', 'mu^2*m', '1', 'mu', 'mu^2', 'm^3', 'mu^4*m'], start: [-1.5, 0, -300, 0, 0, 0, 0, 0], scale: [3, 10, 100, 0.3, 3, 30, 0.3, 1000] },
});

const DEFAULT = KS_SCHEDULE_FAMILIES['gain-schedule']!;
/** The gain-schedule family's terms. */
export const KS_SCHEDULE_TERMS: readonly string[] = DEFAULT.terms;
const ACTUATORS = 8;
/** Coefficients of the gain-schedule family. */
export const KS_SCHEDULE_SIZE = KS_SCHEDULE_TERMS.length * ACTUATORS;

/** A family by name, or a one-line error listing the names. */
export function ksScheduleFamily(name: string): KsScheduleFamily {
  const family = KS_SCHEDULE_FAMILIES[name];
  if (!family) throw new SparselawError(`unknown law family "${name}" (known: ${Object.keys(KS_SCHEDULE_FAMILIES).join(', ')})`);
  return family;
}

/** Coefficients of a family (8 actuators). */
export function ksScheduleSize(family: KsScheduleFamily = DEFAULT): number {
  return family.terms.length * ACTUATORS;
}

/** The search's start and the scale of each coefficient, actuator-major. */
export function ksScheduleStart(family: KsScheduleFamily = DEFAULT): { start: Float64Array; scale: Float64Array } {
  const tile = (a: readonly number[]) => Float64Array.from({ length: ksScheduleSize(family) }, (_, i) => a[i % a.length]!);
  return { start: tile(family.start), scale: tile(family.scale) };
}

/** A term of a family for actuator j: its `m` is that actuator's sensor. */
function term(name: string, j: number): Expr {
  return parse(name.replace(/\bm\b/g, `m${j + 1}`));
}

/** The law document of a coefficient vector (actuator-major, in the family's term order). */
export function ksScheduleLaw(theta: ArrayLike<number>, meta?: Record<string, unknown>, family: KsScheduleFamily = DEFAULT): LawDocument {
  const t = family.terms.length;
  if (theta.length !== ksScheduleSize(family)) throw new Error(`expected ${ksScheduleSize(family)} coefficients, got ${theta.length}`);
  const outputs = Array.from({ length: ACTUATORS }, (_, j) => {
    const coefficients = family.terms.map((_, i) => theta[j * t + i]!);
    const parts = family.terms.map((name, i) => (name === '1' ? num(coefficients[i]!) : mul(num(coefficients[i]!), term(name, j))));
    return {
      name: `a${j + 1}`,
      expr: tanh(parts.reduce((a, b) => add(a, b))),
      terms: family.terms.map((name, i) => ({ term: print(term(name, j)), coefficient: coefficients[i]! })),
    };
  });
  return { inputs: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'mu'], outputs, ...(meta ? { meta } : {}) };
}

/**
 * The coefficient vector of a law in a family, read from its terms tables (the inverse of
 * ksScheduleLaw): every term an output a1..a8 lists must be one of the family's for its actuator;
 * terms it does not list start at 0 (so a gain-schedule law can start a quartic search).
 */
export function ksScheduleTheta(law: Pick<LawDocument, 'outputs'>, source = 'the law', family: KsScheduleFamily = DEFAULT): Float64Array {
  const t = family.terms.length;
  const theta = new Float64Array(ksScheduleSize(family));
  for (let j = 0; j < ACTUATORS; j++) {
    const name = `a${j + 1}`;
    const output = law.outputs.find((o) => o.name === name);
    if (!output) throw new SparselawError(`${source}: no output ${name}; a gain-scheduled law has a1..a8`);
    const wanted = family.terms.map((w) => print(term(w, j)));
    for (const entry of output.terms) {
      const i = wanted.indexOf(entry.term);
      if (i < 0) throw new SparselawError(`${source}: ${name} has the term "${entry.term}", which is not one of the ${family.name} family's (${wanted.join(', ')})`);
      theta[j * t + i] = entry.coefficient;
    }
  }
  return theta;
}
