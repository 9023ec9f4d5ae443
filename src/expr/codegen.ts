import { type Expr, hash, equals } from './ast.js';

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
  const emit = (e: Expr): string => {
    const known = lookup(e);
    if (known !== undefined) return known;
    let code: string;
    switch (e.type) {
      case 'num':
        return numberLiteral(e.value);
      case 'var':
        return remember(e, inputRef(e.name));
      case 'neg':
        code = `-(${emit(e.arg)})`;
        break;
      case 'call':
        code = `Math.${e.fn}(${emit(e.arg)})`;
        break;
      case 'bin': {
        const a = emit(e.left);
        const b = emit(e.right);
        code = e.op === '^' ? `Math.pow(${a}, ${b})` : `(${a}) ${e.op} (${b})`;
        break;
      }
    }
    const name = `t${statements.length}`;
    statements.push(`const ${name} = ${code};`);
    return remember(e, name);
  };
  const results = exprs.map(emit);
  return { statements, results };
}

/** A literal that reads back as the same double. */
export function numberLiteral(v: number): string {
  return Object.is(v, -0) ? '0' : String(v);
}
