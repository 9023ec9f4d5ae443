import nearley from 'nearley';
import { SparselawError } from '../errors.js';
import { type Expr, FUNCTIONS } from './ast.js';
import { functionSpec, isFnName } from './functions.js';
import grammar, { ExprLexer, LexError, type Token, type TokenKind } from './grammar.generated.js';

/**
 * A syntax or naming error in an expression, with its 1-based position. The message is complete for
 * a person: position, problem, what was expected, and the offending source line with a caret.
 */
export class ParseError extends SparselawError {
  override name = 'ParseError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    /** The problem alone, without position or source excerpt. */
    readonly problem: string,
  ) {
    super(message);
  }
}

export interface ParseOptions {
  /** When given, every variable must be one of these names. */
  variables?: readonly string[];
  /** Where the text came from (a file name, an option name); prefixes the message. */
  source?: string;
}

const compiledGrammar = nearley.Grammar.fromCompiled(grammar as unknown as nearley.CompiledRules);

/** The parts of nearley's parser state that its type declarations leave out. */
interface EarleyState {
  rule: { name: string; symbols: unknown[] };
  dot: number;
  reference: number;
  isComplete: boolean;
  data: unknown;
}
interface EarleyColumn {
  states: EarleyState[];
  scannable: EarleyState[];
}

/** The order in which expected items are listed, and how each is said. */
const EXPECTATIONS: readonly [TokenKind, string][] = [
  ['number', 'a number'],
  ['name', 'a variable'],
  ['fn', 'a function call'],
  ['(', '"("'],
  ['+', '"+"'],
  ['-', '"-"'],
  ['*', '"*"'],
  ['/', '"/"'],
  ['^', '"^"'],
  [')', '")"'],
  [',', '","'],
];
const END = 'the end of the input';

function describeToken(t: Token): string {
  switch (t.type) {
    case 'number':
      return `number ${t.text}`;
    case 'name':
      return `variable "${t.text}"`;
    case 'fn':
      return `function name "${t.text}"`;
    default:
      return `"${t.text}"`;
  }
}

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * Whether a comma may come next: the grammar accepts any number of arguments (the arity is checked
 * when the call closes), but listing "," inside sin( or after atan2(y, x would mislead.
 */
function commaFits(tokens: readonly Token[]): boolean {
  const open: { fn: string | undefined; commas: number }[] = [];
  tokens.forEach((t, i) => {
    if (t.type === '(') open.push({ fn: tokens[i - 1]?.type === 'fn' ? tokens[i - 1]!.text : undefined, commas: 0 });
    else if (t.type === ')') open.pop();
    else if (t.type === ',' && open.length > 0) open[open.length - 1]!.commas++;
  });
  const top = open[open.length - 1];
  return top?.fn !== undefined && isFnName(top.fn) && top.commas < functionSpec(top.fn).arity - 1;
}

/** What the parser could have accepted in the column before the failure, in plain words. */
function expectedAt(parser: nearley.Parser, before: readonly Token[]): string[] {
  const table = (parser as unknown as { table: EarleyColumn[] }).table;
  const column = table[parser.current];
  if (column === undefined) return [];
  const kinds = new Set<string>();
  for (const state of column.scannable) {
    const symbol = state.rule.symbols[state.dot] as { type?: string; literal?: string };
    const kind = symbol.type ?? symbol.literal;
    if (kind !== undefined) kinds.add(kind);
  }
  if (!commaFits(before)) kinds.delete(',');
  const words = EXPECTATIONS.filter(([kind]) => kinds.has(kind)).map(([, word]) => word);
  const start = compiledGrammar.start;
  const canEnd = column.states.some(
    (s) => s.isComplete && s.rule.name === start && s.reference === 0 && s.data !== nearley.Parser.fail,
  );
  if (canEnd) words.push(END);
  return words;
}

const OPERAND_END: ReadonlySet<TokenKind> = new Set(['number', 'name', ')']);
const OPERAND_START: ReadonlySet<TokenKind> = new Set(['number', 'name', 'fn', '(']);

/** A hint for the mistakes people make most, judged from the tokens around the failure. */
function hint(previous: Token | undefined, current: Token | undefined): string {
  if (previous?.type === 'fn') return `; a function's argument goes in parentheses, as in ${previous.text}(x)`;
  if (previous?.type === '*' && current?.type === '*') return '; powers are written with "^"';
  if (previous && current && OPERAND_END.has(previous.type) && OPERAND_START.has(current.type)) {
    return '; implicit multiplication is not accepted, write "*" between factors';
  }
  return '';
}

class Located {
  private readonly lineStarts: number[] = [0];
  constructor(
    private readonly text: string,
    private readonly source: string | undefined,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  error(offset: number, problem: string): ParseError {
    let line = 0;
    while (line + 1 < this.lineStarts.length && this.lineStarts[line + 1]! <= offset) line++;
    const lineStart = this.lineStarts[line]!;
    const column = offset - lineStart + 1;
    const nextBreak = this.text.indexOf('\n', lineStart);
    const lineText = this.text.slice(lineStart, nextBreak === -1 ? undefined : nextBreak).replace(/\r$/, '');
    // Keep tabs in the caret's indentation so it lines up under the same character.
    const indent = lineText.slice(0, column - 1).replace(/[^\t]/g, ' ');
    const where = `${this.source === undefined ? '' : `${this.source}: `}line ${line + 1}, column ${column}`;
    const message = `${where}: ${problem}\n  ${lineText}\n  ${indent}^`;
    return new ParseError(message, line + 1, column, problem);
  }
}

/**
 * Parses an expression. Throws ParseError (with line, column, the expected items and a caret excerpt)
 * for syntax errors, unknown functions, empty input, and, when `options.variables` is given, for
 * variables not in that list.
 */
export function parse(text: string, options: ParseOptions = {}): Expr {
  const at = new Located(text, options.source);
  const lexer = new ExprLexer();
  const parser = new nearley.Parser(compiledGrammar, { lexer: lexer as unknown as nearley.Lexer });
  try {
    parser.feed(text);
  } catch (err) {
    if (err instanceof ParseError) throw err;
    // Thrown by a grammar rule: a call's argument count, or the depth limit.
    if (err instanceof LexError) throw at.error(err.offset, err.problem);
    const tokens = lexer.tokens;
    if (lexer.error instanceof LexError) throw at.error(lexer.error.offset, lexer.error.problem);
    const failed = (err as { token?: Token }).token;
    if (failed === undefined) throw err;
    const previous = tokens[tokens.indexOf(failed) - 1];
    // In this grammar a name directly followed by "(" can only be meant as a call.
    if (failed.type === '(' && previous?.type === 'name' && previous.offset + previous.text.length === failed.offset) {
      throw at.error(previous.offset, `unknown function "${previous.text}"; the functions are ${FUNCTIONS.join(', ')}`);
    }
    const expected = listInWords(expectedAt(parser, tokens.slice(0, tokens.indexOf(failed))));
    throw at.error(failed.offset, `unexpected ${describeToken(failed)}; expected ${expected}${hint(previous, failed)}`);
  }
  const results = parser.results;
  if (results.length === 0) {
    if (lexer.tokens.length === 0) throw at.error(0, 'empty expression; expected a number, a variable, a function call, "(" or "-"');
    const previous = lexer.tokens[lexer.tokens.length - 1];
    const expected = listInWords(expectedAt(parser, lexer.tokens));
    throw at.error(lexer.endOffset(), `unexpected end of input; expected ${expected}${hint(previous, undefined)}`);
  }
  if (results.length !== 1) throw new Error(`bug: the expression grammar is ambiguous (${results.length} parses of ${JSON.stringify(text)})`);
  if (options.variables !== undefined) checkVariables(lexer.tokens, options.variables, at);
  return results[0] as Expr;
}

function checkVariables(tokens: readonly Token[], allowed: readonly string[], at: Located): void {
  const names = new Set(allowed);
  for (const t of tokens) {
    if (t.type !== 'name' || names.has(t.text)) continue;
    const list = allowed.length === 0 ? 'no variables are declared' : `the declared variables are ${allowed.join(', ')}`;
    throw at.error(t.offset, `unknown variable "${t.text}"; ${list}`);
  }
}
