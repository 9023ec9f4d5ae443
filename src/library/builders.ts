import { type Expr, num, variable, mul, pow, sin, cos } from '../expr/ast.js';
import { simplify } from '../expr/simplify.js';
import { parse } from '../expr/parse.js';
import { type Library, makeLibrary } from './library.js';
import { SparselawError } from '../errors.js';

export class LibraryError extends SparselawError {
  override name = 'LibraryError';
}

function checkInputs(inputs: readonly string[]): void {
  if (inputs.length === 0) throw new LibraryError('a library needs at least one input');
}

/** x^e for e > 1, x for e = 1. */
function power(name: string, e: number): Expr {
  return e === 1 ? variable(name) : pow(variable(name), num(e));
}

/**
 * All monomials up to `degree`, ordered by degree and then lexicographically by input position
 * (1, x, y, x^2, x*y, y^2, ...), as PySINDy orders them.
 */
export function polynomial(
  inputs: readonly string[],
  options: { degree: number; includeBias?: boolean; interactionOnly?: boolean },
): Library {
  checkInputs(inputs);
  const { degree } = options;
  if (!Number.isInteger(degree) || degree < 1 || degree > 10) throw new LibraryError(`polynomial degree must be an integer from 1 to 10, got ${degree}`);
  const terms: Expr[] = options.includeBias === false ? [] : [num(1)];
  const combos = (d: number, start: number, acc: number[]): void => {
    if (acc.length === d) {
      const counts = new Map<number, number>();
      for (const i of acc) counts.set(i, (counts.get(i) ?? 0) + 1);
      if (options.interactionOnly && [...counts.values()].some((c) => c > 1)) return;
      const factors = [...counts.entries()].map(([i, e]) => power(inputs[i]!, e));
      terms.push(factors.slice(1).reduce((a, b) => mul(a, b), factors[0]!));
      return;
    }
    for (let i = start; i < inputs.length; i++) combos(d, i, [...acc, i]);
  };
  for (let d = 1; d <= degree; d++) combos(d, 0, []);
  const spec = `poly:${degree}${options.includeBias === false ? ':nobias' : ''}${options.interactionOnly ? ':interaction' : ''}`;
  return makeLibrary(inputs, terms, spec);
}

/** sin(k x), cos(k x) for k = 1..frequencies; crossTerms adds the pairwise products of those terms. */
export function fourier(
  inputs: readonly string[],
  options: { frequencies: number; sin?: boolean; cos?: boolean; crossTerms?: boolean },
): Library {
  checkInputs(inputs);
  const n = options.frequencies;
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new LibraryError(`Fourier frequencies must be an integer from 1 to 50, got ${n}`);
  const useSin = options.sin ?? true;
  const useCos = options.cos ?? true;
  if (!useSin && !useCos) throw new LibraryError('a Fourier library needs sin or cos terms');
  const base: Expr[] = [];
  for (let k = 1; k <= n; k++) {
    for (const name of inputs) {
      const arg = k === 1 ? variable(name) : mul(num(k), variable(name));
      if (useSin) base.push(sin(arg));
      if (useCos) base.push(cos(arg));
    }
  }
  const terms = [...base];
  if (options.crossTerms) {
    for (let a = 0; a < base.length; a++) for (let b = a + 1; b < base.length; b++) terms.push(mul(base[a]!, base[b]!));
  }
  return makeLibrary(inputs, terms, `fourier:${n}${options.crossTerms ? ':cross' : ''}`);
}

/** Terms given as expression strings; an unknown variable names the term and the variable. */
export function custom(inputs: readonly string[], texts: readonly string[]): Library {
  checkInputs(inputs);
  const terms = texts.map((text, k) => parse(text, { variables: inputs, source: `custom term ${k + 1}` }));
  return makeLibrary(inputs, terms, `custom:${texts.join(';')}`);
}

/** Pairwise products a_i * b_j, simplified so that equal monomials merge (x * x -> x^2). */
export function tensor(a: Library, b: Library): Library {
  const terms: Expr[] = [];
  for (const s of a.terms) for (const t of b.terms) terms.push(simplify(mul(s, t)));
  return makeLibrary([...new Set([...a.inputs, ...b.inputs])], terms, `${a.spec}*${b.spec}`);
}
