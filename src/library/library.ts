import { type Expr, equals, hash, variables as variablesOf, ExprError } from '../expr/ast.js';
import { print } from '../expr/print.js';

/** A dictionary of candidate terms over named inputs; names are the printed terms. */
export interface Library {
  readonly inputs: readonly string[];
  readonly terms: readonly Expr[];
  readonly names: readonly string[];
  /** How the library was specified (recorded in law documents). */
  readonly spec: string;
}

export function makeLibrary(inputs: readonly string[], terms: readonly Expr[], spec: string): Library {
  const known = new Set(inputs);
  for (const [k, t] of terms.entries()) {
    for (const v of variablesOf(t)) {
      if (!known.has(v)) throw new ExprError(`library term ${k + 1} (${print(t)}) uses ${v}, which is not an input (${inputs.join(', ')})`);
    }
  }
  const unique: Expr[] = [];
  const seen = new Map<number, Expr[]>();
  for (const t of terms) {
    const bucket = seen.get(hash(t)) ?? [];
    if (bucket.some((u) => equals(u, t))) continue;
    bucket.push(t);
    seen.set(hash(t), bucket);
    unique.push(t);
  }
  return Object.freeze({ inputs: [...inputs], terms: unique, names: unique.map(print), spec });
}

/** Union of libraries (each may use its own input subset); repeated terms such as two biases are kept once. */
export function concat(libs: readonly Library[]): Library {
  const inputs = [...new Set(libs.flatMap((l) => l.inputs))];
  return makeLibrary(
    inputs,
    libs.flatMap((l) => l.terms),
    libs.map((l) => l.spec).join('+'),
  );
}
