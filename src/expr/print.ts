import { type Expr, fold } from './ast.js';
import { BINARY, NEG_OPERAND, level } from './precedence.js';

interface Printed {
  readonly text: string;
  readonly level: number;
}

/** `text` bare when the grammar accepts that strength at this position, else in parentheses. */
const at = (p: Printed, minimum: number): string => (p.level >= minimum ? p.text : `(${p.text})`);

/**
 * Plain text with the fewest parentheses such that parse(print(e)) equals e, for every tree; the
 * operand rules are the shared table in precedence.ts.
 * Style: spaces around binary + - * /, none around ^, `-x` for negation, `f(a, b)` for calls.
 * Numbers print with String(), the shortest text that reads back as the same double; its exponent
 * form (1e-7, 1.5e+21) is in the grammar. Literals are never negative (see num() in ast.ts).
 */
export function print(e: Expr): string {
  return fold<Printed>(e, (x, kids) => {
    const lv = level(x);
    switch (x.type) {
      case 'num':
        return { text: String(x.value), level: lv };
      case 'var':
        return { text: x.name, level: lv };
      case 'call':
        return { text: `${x.fn}(${kids.map((k) => k.text).join(', ')})`, level: lv };
      case 'neg':
        return { text: `-${at(kids[0]!, NEG_OPERAND)}`, level: lv };
      case 'bin': {
        const rule = BINARY[x.op];
        const space = x.op === '^' ? '' : ' ';
        return { text: `${at(kids[0]!, rule.left)}${space}${x.op}${space}${at(kids[1]!, rule.right)}`, level: lv };
      }
    }
  }).text;
}
