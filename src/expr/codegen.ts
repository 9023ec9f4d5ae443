import { type Expr, hash, equals, fold } from './ast.js';
import { functionSpec } from './functions.js';

/**
 * Straight-line JavaScript for a list of expressions with common subexpressions shared: libraries
 * repeat x^2, sin(x) and the like across many terms, so each distinct subtree is computed once.
 */
export interface StraightLine {
  /** Statements `const tK = ...;` in dependency order. */
  readonly statements: string[];
  /** The JS expression (a temp name, literal or input reference) holding each output. */
  readonly results: string[];
}

export function straightLine(exprs: readonly Expr[], inputRef: (name: string) => string): StraightLine {
  const statements: string[] = [];
  const table = new Map<number, { expr: Expr; ref: string }[]>();
  const lookup = (e: Expr): string | undefined => table.get(hash(e))?.find((x) => equals(x.expr, e))?.ref;
  const remember = (e: Expr, ref: string): string => {
    const h = hash(e);
    const bucket = table.get(h) ?? [];
    bucket.push({ expr: e, ref });
    table.set(h, bucket);
    return ref;
  };
  // Identity memo across outputs: a shared subtree object is looked up once.
  const memo = new Map<Expr, string>();
  const emit = (root: Expr): string =>
    fold<string>(
      root,
      (e, refs) => {
        if (e.type === 'num') return numberLiteral(e.value);
        const known = lookup(e);
        if (known !== undefined) return known;
        let code: string;
        switch (e.type) {
          case 'var':
            return remember(e, inputRef(e.name));
          case 'neg':
            code = `-(${refs[0]})`;
            break;
          case 'call':
            code = functionSpec(e.fn).js(refs);
            break;
          case 'bin': {
            const [a, b] = refs;
            code = e.op === '^' ? `Math.pow(${a}, ${b})` : `(${a}) ${e.op} (${b})`;
            break;
          }
        }
        const name = `t${statements.length}`;
        statements.push(`const ${name} = ${code};`);
        return remember(e, name);
      },
      memo,
    );
  const results = exprs.map(emit);
  return { statements, results };
}

/** A literal that reads back as the same double. */
export function numberLiteral(v: number): string {
  return Object.is(v, -0) ? '0' : String(v);
}
