import { type Expr, type FnName, num, neg, bin, call, add, sub, mul, div, pow, equals, fold } from './ast.js';
import { FN_IMPL } from './interpret.js';
import { print } from './print.js';

/**
 * Simplification to a canonical sum of monomials.
 *
 * Every expression is brought to a normal form: a sum of terms `c * f1^e1 * f2^e2 ...` with a
 * numeric coefficient c and numeric exponents e, where each factor f is an "atom" (a variable, a
 * function call with a simplified argument, a sum that could not be expanded, or a power with a
 * symbolic exponent). Like terms and like factors are merged, products of sums are expanded while
 * the result stays small (MAX_EXPANDED_TERMS), and the result is rebuilt in a fixed order: terms by
 * total degree then text, factors by text, a leading numeric coefficient, negative terms as
 * subtraction and negative exponents as division. Equal normal forms rebuild to equal trees, so
 * simplify is idempotent and expressions that differ only by reordering, regrouping or collecting
 * print identically.
 *
 * Value: wherever the input evaluates to a finite number the output evaluates to the same number up
 * to floating-point reassociation. Rewrites that hold only where the input is not finite are allowed
 * (x/x -> 1, x^a * x^b -> x^(a+b), 0*x -> 0). Rewrites that would change finite values are not made:
 * (x^2)^0.5 stays as it is (it is |x|), and a non-integer power of a product is not distributed.
 * If folding would overflow a coefficient, the expression is returned unchanged.
 */
export interface SimplifyOptions {
  /** Round every constant (not exponents) to this many significant digits, then simplify again. */
  digits?: number;
  /**
   * With digits: a constant that would round to exactly 1 or -1 keeps as many digits as it needs to
   * differ from it (0.99997 * x stays 0.99997 * x instead of becoming x), for typeset laws.
   */
  keepNearOne?: boolean;
}

const MAX_EXPANDED_TERMS = 256;
const MAX_EXPANDED_POWER = 6;
const MAX_PASSES = 8;

interface Factor {
  readonly base: Expr;
  readonly key: string;
  exponent: number;
}
interface Term {
  coefficient: number;
  /** Sorted by key. */
  factors: Factor[];
  key: string;
}
type NormalForm = Term[];

class Overflow extends Error {}

function termKey(factors: readonly Factor[]): string {
  return factors.map((f) => (f.exponent === 1 ? f.key : `${f.key}^${f.exponent}`)).join('*');
}

function makeTerm(coefficient: number, factors: Factor[]): Term {
  if (!Number.isFinite(coefficient)) throw new Overflow();
  const merged = new Map<string, Factor>();
  for (const f of factors) {
    const prev = merged.get(f.key);
    if (prev) prev.exponent += f.exponent;
    else merged.set(f.key, { base: f.base, key: f.key, exponent: f.exponent });
  }
  const kept = [...merged.values()].filter((f) => f.exponent !== 0).sort((a, b) => cmp(a.key, b.key));
  return { coefficient, factors: kept, key: termKey(kept) };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Merges like terms. Each key's coefficients are summed in a canonical order (by magnitude, then
 * value), so a reordered input gives the bit-identical sum: floating-point addition is not
 * associative (-1 + 1 + 5e-324 is 5e-324 one way and 0 the other).
 */
function collect(terms: readonly Term[]): NormalForm {
  const byKey = new Map<string, { factors: Factor[]; coefficients: number[] }>();
  for (const t of terms) {
    const prev = byKey.get(t.key);
    if (prev) prev.coefficients.push(t.coefficient);
    else byKey.set(t.key, { factors: t.factors, coefficients: [t.coefficient] });
  }
  const out: Term[] = [];
  for (const [key, { factors, coefficients }] of byKey) {
    coefficients.sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
    const coefficient = coefficients.reduce((s, c) => s + c, 0);
    if (!Number.isFinite(coefficient)) throw new Overflow();
    if (coefficient !== 0) out.push({ coefficient, factors, key });
  }
  return out;
}

const constant = (c: number): NormalForm => (c === 0 ? [] : [makeTerm(c, [])]);

function atom(base: Expr, exponent = 1): NormalForm {
  return [makeTerm(1, [{ base, key: print(base), exponent }])];
}

function asConstant(raw: NormalForm): number | undefined {
  const nf = collect(raw);
  if (nf.length === 0) return 0;
  if (nf.length === 1 && nf[0]!.factors.length === 0) return nf[0]!.coefficient;
  return undefined;
}

/** Sums stay uncollected until their whole multiset of terms is known (see collect). */
function addNf(a: NormalForm, b: NormalForm): NormalForm {
  return [...a, ...b];
}

function scale(a: NormalForm, c: number): NormalForm {
  return a.map((t) => makeTerm(t.coefficient * c, t.factors));
}

function mulNf(rawA: NormalForm, rawB: NormalForm): NormalForm {
  const a = collect(rawA);
  const b = collect(rawB);
  if (a.length * b.length > MAX_EXPANDED_TERMS) {
    // Too large to expand: keep the smaller side as an opaque factor.
    return mulNf(a, atom(rebuild(b)));
  }
  const out: Term[] = [];
  for (const s of a) for (const t of b) out.push(makeTerm(s.coefficient * t.coefficient, [...s.factors, ...t.factors]));
  return collect(out);
}

function powNf(rawBase: NormalForm, q: number): NormalForm {
  const base = collect(rawBase);
  if (q === 0) return constant(1); // Math.pow(x, 0) is 1 for every x, NaN included.
  if (q === 1) return base;
  const c = asConstant(base);
  if (c !== undefined) {
    const v = Math.pow(c, q);
    // Kept whole (0^-2 stays as written) so that simplifying again gives the same tree.
    if (!Number.isFinite(v)) return atom(pow(rebuild(base), rebuild(constant(q))));
    return constant(v);
  }
  if (base.length === 1) {
    const t = base[0]!;
    const cq = Math.pow(t.coefficient, q);
    // (2x)^1.5e21: a coefficient that overflows or underflows keeps the power whole.
    if (Number.isInteger(q) && Number.isFinite(cq) && cq !== 0) {
      return [makeTerm(cq, t.factors.map((f) => ({ ...f, exponent: f.exponent * q })))];
    }
    if (Number.isInteger(q)) return atom(rebuild(base), q);
    if (t.coefficient === 1 && t.factors.length === 1 && t.factors[0]!.exponent === 1) {
      return [makeTerm(1, [{ ...t.factors[0]!, exponent: q }])];
    }
    if (t.coefficient > 0 && t.factors.length === 1 && t.factors[0]!.exponent === 1) {
      // (c x)^q = c^q x^q for c > 0.
      const cq = Math.pow(t.coefficient, q);
      if (Number.isFinite(cq)) return [makeTerm(cq, [{ ...t.factors[0]!, exponent: q }])];
    }
    return atom(rebuild(base), q);
  }
  if (Number.isInteger(q) && q < 0) {
    // Invert the expanded positive power so that re-simplifying 1/(...) finds the same form.
    const positive = powNf(base, -q);
    return positive.length === 1 ? powNf(positive, -1) : atom(rebuild(positive), -1);
  }
  if (Number.isInteger(q) && q > 1 && q <= MAX_EXPANDED_POWER && Math.pow(base.length, q) <= MAX_EXPANDED_TERMS) {
    let acc = base;
    for (let i = 1; i < q; i++) acc = mulNf(acc, base);
    return acc;
  }
  return atom(rebuild(base), q);
}

function foldCall(fn: FnName, argNfs: readonly NormalForm[]): NormalForm {
  const constants = argNfs.map(asConstant);
  if (constants.every((c) => c !== undefined)) {
    const v = FN_IMPL[fn](...(constants as number[]));
    if (Number.isFinite(v)) return constant(v);
  }
  return atom(call(fn, ...argNfs.map(rebuild)));
}

function normalizeNode(e: Expr, kids: NormalForm[]): NormalForm {
  switch (e.type) {
    case 'num':
      return constant(e.value);
    case 'var':
      return atom(e);
    case 'neg':
      return scale(kids[0]!, -1);
    case 'call':
      return foldCall(e.fn, kids);
    case 'bin': {
      const [a, b] = kids as [NormalForm, NormalForm];
      switch (e.op) {
        case '+':
          return addNf(a, b);
        case '-':
          return addNf(a, scale(b, -1));
        case '*':
          return mulNf(a, b);
        case '/': {
          const c = asConstant(b);
          // Divide each coefficient rather than multiply by 1 / c: 1 / 5e-324 overflows, 5e-324 / 5e-324 does not.
          if (c !== undefined && c !== 0) return a.map((t) => makeTerm(t.coefficient / c, t.factors));
          // A division by zero stays as written (1 / 0, not 0^-1), whole, so it reads as the user wrote it.
          if (c === 0) return atom(div(rebuild(a), num(0)));
          return mulNf(a, powNf(b, -1));
        }
        case '^': {
          const q = asConstant(b);
          if (q !== undefined) return powNf(a, q);
          return atom(pow(rebuild(a), rebuild(b)));
        }
      }
    }
  }
}

function normalize(e: Expr): NormalForm {
  return fold<NormalForm>(e, normalizeNode);
}

function degree(t: Term): number {
  return t.factors.reduce((s, f) => s + Math.abs(f.exponent), 0);
}

function factorExpr(f: Factor, exponent: number): Expr {
  return exponent === 1 ? f.base : pow(f.base, num(exponent));
}

/** Builds c * numerator / denominator with |c| (the sign is handled by the caller). */
function termMagnitude(t: Term): Expr {
  const c = Math.abs(t.coefficient);
  const numer = t.factors.filter((f) => f.exponent > 0).map((f) => factorExpr(f, f.exponent));
  const denom = t.factors.filter((f) => f.exponent < 0).map((f) => factorExpr(f, -f.exponent));
  let top: Expr | undefined = numer.length > 0 ? numer.reduce((x, y) => mul(x, y)) : undefined;
  if (c !== 1 || top === undefined) top = top === undefined ? num(c) : mul(num(c), top);
  return denom.reduce((x, y) => div(x, y), top);
}

function rebuild(raw: NormalForm): Expr {
  const nf = collect(raw);
  if (nf.length === 0) return num(0);
  const terms = [...nf].sort((a, b) => degree(a) - degree(b) || cmp(a.key, b.key));
  let acc: Expr | undefined;
  for (const t of terms) {
    const m = termMagnitude(t);
    if (acc === undefined) acc = t.coefficient < 0 ? neg(m) : m;
    else acc = t.coefficient < 0 ? sub(acc, m) : add(acc, m);
  }
  return acc!;
}

/**
 * The value at `digits` significant digits, with more digits where rounding alone would make a
 * coefficient exactly 1 or -1: simplification then drops it (1 * x is x), and 0.99997 * x would be
 * printed as x, hiding that the law scales x at all.
 */
function roundKeepingIdentity(value: number, digits: number): number {
  let d = digits;
  let r = Number(value.toPrecision(d));
  while (Math.abs(r) === 1 && Math.abs(value) !== 1 && d < 17) r = Number(value.toPrecision(++d));
  return r;
}

function roundConstants(e: Expr, digits: number, keepNearOne: boolean): Expr {
  return fold<Expr>(e, (x, kids) => {
    switch (x.type) {
      case 'num':
        return num(keepNearOne ? roundKeepingIdentity(x.value, digits) : Number(x.value.toPrecision(digits)));
      case 'var':
        return x;
      case 'neg':
        return neg(kids[0]!);
      case 'call':
        return call(x.fn, ...kids);
      case 'bin':
        // Exponents are structure, not coefficients.
        return bin(x.op, kids[0]!, x.op === '^' ? x.right : kids[1]!);
    }
  });
}

export function simplify(e: Expr, options: SimplifyOptions = {}): Expr {
  let out: Expr;
  try {
    // Rebuilding can expose new work (an inverted quotient becomes a product with a sum), so
    // normalise until the tree is a fixed point; that is what makes simplify idempotent.
    out = rebuild(normalize(e));
    for (let i = 0; i < MAX_PASSES; i++) {
      const next = rebuild(normalize(out));
      if (equals(next, out)) break;
      out = next;
    }
  } catch (err) {
    if (err instanceof Overflow) return e;
    throw err;
  }
  if (options.digits !== undefined) {
    if (!Number.isInteger(options.digits) || options.digits < 1 || options.digits > 17) {
      throw new RangeError(`digits must be an integer from 1 to 17, got ${options.digits}`);
    }
    out = simplify(roundConstants(out, options.digits, options.keepNearOne ?? false));
  }
  return out;
}
