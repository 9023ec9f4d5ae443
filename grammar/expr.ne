# Expression grammar for sparselaw (compiled by `npm run grammar` into src/expr/grammar.generated.ts).
#
# Precedence, loosest first:  + - (left)  <  * / (left)  <  unary minus  <  ^ (right).
# So -x^2 is -(x^2), a-b-c is (a-b)-c, a^b^c is a^(b^c), and the exponent of ^ may start with a
# minus (2^-x, 2^-x^2 = 2^(-(x^2))), which is also how mathjs reads these strings.
# Operands are never juxtaposed: implicit multiplication (2x, x y, (a)(b)) is a syntax error.
# A call is a function name, then its arguments separated by commas in parentheses; the function
# names and their arities come from the registry in src/expr/functions.ts (the lexer reads names
# from it), so a new function needs no change here. The printers' precedence table
# (src/expr/precedence.ts) is checked against this grammar by test/expr/precedence.test.ts.
# Trees deeper than MAX_DEPTH (src/expr/ast.ts) are rejected at the operator that crosses the limit,
# which also bounds the work on right-recursive chains such as x^x^...^x.
# The grammar is unambiguous; parse.ts asserts that every accepted input has exactly one parse.

@preprocessor typescript

@{%
import { type Expr, type BinaryOp, MAX_DEPTH, num, variable, neg, bin, call, isFnName } from './ast.js';
import { functionSpec, FUNCTIONS } from './functions.js';

/** Kinds of token; punctuation tokens use the character itself as their kind. */
export type TokenKind = 'number' | 'name' | 'fn' | '+' | '-' | '*' | '/' | '^' | '(' | ')' | ',';

export interface Token {
  type: TokenKind;
  /** The token's text, as nearley matches literals against it. */
  value: string;
  text: string;
  /** Offset of the first character in the input (UTF-16 code units). */
  offset: number;
}

/**
 * A character or number that no token can start with, or (thrown by the rules below) a call with the
 * wrong number of arguments or a tree deeper than MAX_DEPTH; parse.ts turns it into a ParseError.
 */
export class LexError {
  constructor(readonly offset: number, readonly problem: string) {}
}

const PUNCTUATION = new Set(['+', '-', '*', '/', '^', '(', ')', ',']);
const NAME_START = /[A-Za-z_]/;
const NAME_REST = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

/**
 * Hand-written tokenizer with nearley's lexer interface. Names that are function names get their own
 * kind ('fn'), so `sin` can only start a call and never parses as a variable. Numbers are digits with an
 * optional fraction (`5.`, `.5`, `5.25`) and an optional exponent that must have digits (`1e` is an
 * error here, not the number 1 followed by the variable e).
 */
export class ExprLexer {
  private input = '';
  private pos = 0;
  /** The error that stopped tokenizing, kept because nearley wraps lexer exceptions in a plain Error. */
  error: LexError | undefined;
  /** Every token handed to the parser, so errors can look at the previous one. */
  readonly tokens: Token[] = [];

  reset(chunk: string, _state?: unknown): void {
    this.input = chunk;
    this.pos = 0;
    this.error = undefined;
    this.tokens.length = 0;
  }

  save(): undefined {
    return undefined;
  }

  has(kind: string): boolean {
    return kind === 'number' || kind === 'name' || kind === 'fn' || PUNCTUATION.has(kind);
  }

  formatError(_token: unknown, message = 'syntax error'): string {
    return message;
  }

  /** Offset just past the last token (where "unexpected end of input" points). */
  endOffset(): number {
    const last = this.tokens[this.tokens.length - 1];
    return last === undefined ? 0 : last.offset + last.text.length;
  }

  next(): Token | undefined {
    const s = this.input;
    while (this.pos < s.length && /\s/.test(s[this.pos]!)) this.pos++;
    if (this.pos >= s.length) return undefined;
    const start = this.pos;
    const c = s[start]!;
    let type: TokenKind;
    if (PUNCTUATION.has(c)) {
      this.pos++;
      type = c as TokenKind;
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(s[start + 1] ?? ''))) {
      this.scanNumber();
      type = 'number';
    } else if (NAME_START.test(c)) {
      while (this.pos < s.length && NAME_REST.test(s[this.pos]!)) this.pos++;
      type = isFnName(s.slice(start, this.pos)) ? 'fn' : 'name';
    } else {
      const ch = String.fromCodePoint(s.codePointAt(start)!);
      this.fail(start, `unexpected character ${JSON.stringify(ch)}`);
    }
    const text = s.slice(start, this.pos);
    const token: Token = { type, value: text, text, offset: start };
    this.tokens.push(token);
    return token;
  }

  private scanNumber(): void {
    const s = this.input;
    const start = this.pos;
    while (DIGIT.test(s[this.pos] ?? '')) this.pos++;
    if (s[this.pos] === '.') {
      this.pos++;
      while (DIGIT.test(s[this.pos] ?? '')) this.pos++;
    }
    if (s[this.pos] === 'e' || s[this.pos] === 'E') {
      let p = this.pos + 1;
      if (s[p] === '+' || s[p] === '-') p++;
      if (!DIGIT.test(s[p] ?? '')) {
        let end = p;
        while (end < s.length && NAME_REST.test(s[end]!)) end++;
        const bad = s.slice(start, Math.max(end, p));
        this.fail(start, `malformed number ${JSON.stringify(bad)}: the exponent needs digits (as in 1e-7)`);
      }
      while (DIGIT.test(s[p] ?? '')) p++;
      this.pos = p;
    }
    const text = s.slice(start, this.pos);
    if (!Number.isFinite(Number(text))) this.fail(start, `number ${text} is too large for a double`);
    if (s[this.pos] === '.') this.fail(this.pos, `unexpected "." after the number ${text}`);
  }

  private fail(offset: number, problem: string): never {
    this.error = new LexError(offset, problem);
    throw this.error;
  }
}

const lexer = new ExprLexer();

// Depth of each tree built so far (leaves are 1 deep and not stored).
const depths = new WeakMap<Expr, number>();
const depthOf = (e: Expr): number => depths.get(e) ?? 1;
const DEPTH_PROBLEM = `the expression is nested more than ${MAX_DEPTH} levels deep (each operator, minus sign and call is a level; a sum of n terms is n levels)`;
function measured(e: Expr, kids: readonly Expr[], at: Token): Expr {
  const d = 1 + Math.max(...kids.map(depthOf));
  if (d > MAX_DEPTH) throw new LexError(at.offset, DEPTH_PROBLEM);
  depths.set(e, d);
  return e;
}

// nearley hands postprocessors untyped arrays: [left operand, operator token, right operand].
const binary = (d: any[]): Expr => measured(bin((d[1] as Token).value as BinaryOp, d[0] as Expr, d[2] as Expr), [d[0], d[2]], d[1]);
const negation = ([t, arg]: any[]): Expr => measured(neg(arg), [arg], t);
const MAX_ARITY = Math.max(...FUNCTIONS.map((f) => functionSpec(f).arity));
const more = ([list, comma, arg]: any[]): Expr[] => {
  if (list.length >= MAX_ARITY) throw new LexError((comma as Token).offset, `too many arguments: a function takes at most ${MAX_ARITY}`);
  return [...list, arg];
};
function callOf(f: Token, args: Expr[]): Expr {
  if (!isFnName(f.value)) throw new LexError(f.offset, `unknown function "${f.value}"`);
  const arity = functionSpec(f.value).arity;
  if (args.length !== arity) {
    const list = functionSpec(f.value).params.join(', ');
    throw new LexError(f.offset, `${f.value} takes ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length}; write ${f.value}(${list})`);
  }
  return measured(call(f.value, ...args), args, f);
}
%}

@lexer lexer

main -> sum                        {% id %}

sum -> sum "+" product             {% binary %}
     | sum "-" product             {% binary %}
     | product                     {% id %}

product -> product "*" unary       {% binary %}
         | product "/" unary       {% binary %}
         | unary                   {% id %}

unary -> "-" unary                 {% negation %}
       | power                     {% id %}

# The exponent is a unary, not a power: this makes ^ right-associative and admits 2^-x.
power -> atom "^" unary            {% binary %}
       | atom                      {% id %}

atom -> %number                    {% ([t]) => num(Number(t.value)) %}
      | %name                      {% ([t]) => variable(t.value) %}
      | %fn "(" args ")"           {% ([f, , args]) => callOf(f, args) %}
      | "(" sum ")"                {% ([, e]) => e %}

args -> sum                        {% ([a]) => [a] %}
      | args "," sum               {% more %}
