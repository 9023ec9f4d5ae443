import { SparselawError } from '../errors.js';
import {
  type BinaryOp,
  type Expr,
  ExprError,
  FUNCTIONS,
  MAX_DEPTH,
  VARIABLE_NAME,
  bin,
  call,
  isFnName,
  neg,
  num,
  variable,
  variables as variablesOf,
} from '../expr/ast.js';
import { print } from '../expr/print.js';
import { functionSpec } from '../expr/functions.js';

/**
 * The versioned JSON form of expressions.
 *
 * An expression node (ExprJson) is an object with exactly one of these shapes:
 *   {"num": 1.5}                                  a constant: finite and >= 0
 *   {"var": "x0"}                                 a variable (letters, digits, _; not a function name)
 *   {"neg": <node>}                               unary minus
 *   {"op": "+", "left": <node>, "right": <node>}  op is one of + - * / ^
 *   {"fn": "sin", "arg": <node>}                  a function of one argument (see FUNCTIONS)
 *   {"fn": "atan2", "args": [<node>, <node>]}     a function of two or more arguments
 * Any other field is an error. A negative constant is written {"neg": {"num": 2}}, exactly as the parser
 * reads "-2"; {"num": -2} is rejected rather than normalised, so that each tree has exactly one JSON form.
 * Numbers are written with JSON.stringify, which prints the shortest decimal that reads back as the
 * same double, so constants round-trip exactly. A tree deeper than MAX_DEPTH levels is rejected at
 * the node that crosses the limit.
 *
 * The expression document is
 *   {"format": "sparselaw", "version": 1, "kind": "expression",
 *    "variables": ["x0", "x1"], "expression": <node>, "text": "x0 + 2 * x1"}
 * where `variables` lists every variable the expression uses (it may list more, fixing the argument
 * order of exports), and `text` is print(expression), for people only: loading ignores its content.
 */

export const FORMAT = 'sparselaw';
export const FORMAT_VERSION = 1;

export type ExprJson =
  | { num: number }
  | { var: string }
  | { neg: ExprJson }
  | { op: BinaryOp; left: ExprJson; right: ExprJson }
  | { fn: (typeof FUNCTIONS)[number]; arg: ExprJson }
  | { fn: (typeof FUNCTIONS)[number]; args: ExprJson[] };

export interface ExprDocument {
  format: typeof FORMAT;
  version: typeof FORMAT_VERSION;
  kind: 'expression';
  variables: string[];
  expression: ExprJson;
  text: string;
}

/** A malformed JSON text or document; `path` is the JSONPath-like location of the offending value. */
export class JsonFormatError extends SparselawError {
  override name = 'JsonFormatError';
  constructor(
    /** `$.expression.left.fn`, or '' for a syntax error in the text. */
    readonly path: string,
    /** The problem alone, without file or path. */
    readonly problem: string,
    readonly source?: string,
  ) {
    super([source, path, problem].filter((part) => part !== undefined && part !== '').join(': '));
  }

  /** The same error, attributed to a file. */
  withSource(source: string | undefined): JsonFormatError {
    return source === undefined || this.source !== undefined ? this : new JsonFormatError(this.path, this.problem, source);
  }
}

// ---------------------------------------------------------------------------------------------
// Validation helpers, shared with the other document loaders.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.a` + `b` -> `$.a.b`; `$.a` + 2 -> `$.a[2]`; odd keys are quoted: `$.a["x y"]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : String(value);
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

export function expectObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JsonFormatError(path, `expected an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** The value of a required field, or an error naming the missing field's path. */
export function requireField(obj: Record<string, unknown>, key: string, path: string): unknown {
  if (!Object.hasOwn(obj, key)) throw new JsonFormatError(childPath(path, key), 'missing field');
  return obj[key];
}

/** Rejects fields outside `allowed` (a misspelt field would otherwise be silently ignored). */
export function rejectUnknownFields(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new JsonFormatError(childPath(path, key), `unexpected field; expected only ${allowed.map((k) => `"${k}"`).join(', ')}`);
    }
  }
}

export function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new JsonFormatError(path, `expected a string, got ${describe(value)}`);
  return value;
}

export function expectFiniteNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new JsonFormatError(path, `expected a finite number, got ${describe(value)}`);
  }
  return value;
}

export function expectArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new JsonFormatError(path, `expected an array, got ${describe(value)}`);
  return value;
}

/** A valid variable name (the grammar's names, excluding function names). */
export function expectVariableName(value: unknown, path: string): string {
  const name = expectString(value, path);
  if (!VARIABLE_NAME.test(name)) {
    throw new JsonFormatError(path, `invalid variable name ${JSON.stringify(name)} (letters, digits and _, not starting with a digit)`);
  }
  if (isFnName(name)) throw new JsonFormatError(path, `variable name ${JSON.stringify(name)} is a function name`);
  return name;
}

/** A list of distinct variable names. */
export function expectVariableList(value: unknown, path: string): string[] {
  const seen = new Set<string>();
  return expectArray(value, path).map((item, i) => {
    const name = expectVariableName(item, childPath(path, i));
    if (seen.has(name)) throw new JsonFormatError(childPath(path, i), `variable "${name}" is listed twice`);
    seen.add(name);
    return name;
  });
}

/**
 * Checks the header every sparselaw document shares (`format`, `version`, `kind`) and returns the
 * document as an object. A newer version gets its own message: it is a file from a newer sparselaw.
 */
export function readDocumentHeader(doc: unknown, kind: string, path = '$'): Record<string, unknown> {
  const obj = expectObject(doc, path);
  const format = requireField(obj, 'format', path);
  if (format !== FORMAT) {
    throw new JsonFormatError(childPath(path, 'format'), `expected "${FORMAT}", got ${describe(format)}: this is not a sparselaw document`);
  }
  const version = requireField(obj, 'version', path);
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new JsonFormatError(childPath(path, 'version'), `expected an integer, got ${describe(version)}`);
  }
  if (version !== FORMAT_VERSION) {
    throw new JsonFormatError(
      childPath(path, 'version'),
      `unsupported version ${version}; this sparselaw reads version ${FORMAT_VERSION}` +
        (version > FORMAT_VERSION ? ' (the file was written by a newer sparselaw)' : ''),
    );
  }
  const actualKind = expectString(requireField(obj, 'kind', path), childPath(path, 'kind'));
  if (actualKind !== kind) throw new JsonFormatError(childPath(path, 'kind'), `expected "${kind}", got "${actualKind}"`);
  return obj;
}

// ---------------------------------------------------------------------------------------------
// Expressions.

export function exprToJson(e: Expr): ExprJson {
  switch (e.type) {
    case 'num':
      return { num: e.value };
    case 'var':
      return { var: e.name };
    case 'neg':
      return { neg: exprToJson(e.arg) };
    case 'bin':
      return { op: e.op, left: exprToJson(e.left), right: exprToJson(e.right) };
    case 'call':
      return e.args.length === 1 ? { fn: e.fn, arg: exprToJson(e.args[0]!) } : { fn: e.fn, args: e.args.map(exprToJson) };
  }
}

const OPS: readonly string[] = ['+', '-', '*', '/', '^'];
const NODE_KEYS = ['num', 'var', 'neg', 'op', 'fn'] as const;

/** Validates an ExprJson node (as parsed from JSON text) and builds the expression. */
export function exprFromJson(node: unknown, path = '$', depth = 1): Expr {
  if (depth > MAX_DEPTH) throw new JsonFormatError(path, `the expression is nested more than ${MAX_DEPTH} levels deep`);
  const obj = expectObject(node, path);
  const kinds = NODE_KEYS.filter((k) => Object.hasOwn(obj, k));
  if (kinds.length !== 1) {
    const problem =
      kinds.length === 0
        ? 'not an expression node: expected one of the fields "num", "var", "neg", "op", "fn"'
        : `ambiguous expression node: it has the fields ${kinds.map((k) => `"${k}"`).join(' and ')}; expected exactly one`;
    throw new JsonFormatError(path, problem);
  }
  switch (kinds[0]!) {
    case 'num': {
      rejectUnknownFields(obj, ['num'], path);
      const p = childPath(path, 'num');
      const value = expectFiniteNumber(obj.num, p);
      if (value < 0) throw new JsonFormatError(p, `a constant must be >= 0, got ${value}; write {"neg": {"num": ${-value}}}`);
      return num(value);
    }
    case 'var':
      rejectUnknownFields(obj, ['var'], path);
      return variable(expectVariableName(obj.var, childPath(path, 'var')));
    case 'neg':
      rejectUnknownFields(obj, ['neg'], path);
      return neg(exprFromJson(obj.neg, childPath(path, 'neg'), depth + 1));
    case 'op': {
      rejectUnknownFields(obj, ['op', 'left', 'right'], path);
      const p = childPath(path, 'op');
      const op = expectString(obj.op, p);
      if (!OPS.includes(op)) throw new JsonFormatError(p, `unknown operator ${JSON.stringify(op)}; expected one of ${OPS.join(' ')}`);
      const left = exprFromJson(requireField(obj, 'left', path), childPath(path, 'left'), depth + 1);
      const right = exprFromJson(requireField(obj, 'right', path), childPath(path, 'right'), depth + 1);
      return bin(op as BinaryOp, left, right);
    }
    case 'fn': {
      const p = childPath(path, 'fn');
      const fn = expectString(obj.fn, p);
      if (!isFnName(fn)) throw new JsonFormatError(p, `unknown function ${JSON.stringify(fn)}; the functions are ${FUNCTIONS.join(', ')}`);
      const arity = functionSpec(fn).arity;
      if (arity === 1) {
        rejectUnknownFields(obj, ['fn', 'arg'], path);
        return call(fn, exprFromJson(requireField(obj, 'arg', path), childPath(path, 'arg'), depth + 1));
      }
      rejectUnknownFields(obj, ['fn', 'args'], path);
      const ap = childPath(path, 'args');
      const args = requireField(obj, 'args', path);
      if (!Array.isArray(args) || args.length !== arity) {
        throw new JsonFormatError(ap, `${fn} takes ${arity} arguments: expected an array of ${arity} expression nodes`);
      }
      return call(fn, ...args.map((a, i) => exprFromJson(a, childPath(ap, i), depth + 1)));
    }
  }
}

/** The path of the first occurrence of a variable outside `listed`, with its name. */
function firstUnlisted(node: ExprJson, listed: ReadonlySet<string>, path: string): { name: string; path: string } | undefined {
  if ('var' in node) return listed.has(node.var) ? undefined : { name: node.var, path: childPath(path, 'var') };
  if ('neg' in node) return firstUnlisted(node.neg, listed, childPath(path, 'neg'));
  if ('arg' in node) return firstUnlisted(node.arg, listed, childPath(path, 'arg'));
  if ('args' in node) {
    for (const [i, a] of node.args.entries()) {
      const found = firstUnlisted(a, listed, childPath(childPath(path, 'args'), i));
      if (found !== undefined) return found;
    }
  }
  if ('op' in node) {
    return firstUnlisted(node.left, listed, childPath(path, 'left')) ?? firstUnlisted(node.right, listed, childPath(path, 'right'));
  }
  return undefined;
}

/**
 * The expression document. `variables` defaults to the variables of `e` in order of appearance; when
 * given, it must include every variable of `e` (it fixes the argument order of the exports).
 */
export function exprDocument(e: Expr, variables?: readonly string[]): ExprDocument {
  const used = variablesOf(e);
  if (variables !== undefined) {
    for (const [i, v] of variables.entries()) {
      if (!VARIABLE_NAME.test(v) || isFnName(v)) throw new ExprError(`the variable list has an invalid name ${JSON.stringify(v)}`);
      if (variables.indexOf(v) !== i) throw new ExprError(`the variable list has "${v}" twice`);
    }
    const missing = used.filter((v) => !variables.includes(v));
    if (missing.length > 0) {
      throw new ExprError(`the variable list (${variables.join(', ') || 'empty'}) lacks ${missing.map((v) => `"${v}"`).join(', ')}, used in the expression`);
    }
  }
  return {
    format: FORMAT,
    version: FORMAT_VERSION,
    kind: 'expression',
    variables: [...(variables ?? used)],
    expression: exprToJson(e),
    text: print(e),
  };
}

/** Validates an expression document (already parsed from JSON) and returns its expression. */
export function loadExprDocument(doc: unknown, source?: string): { expr: Expr; variables: string[] } {
  try {
    const obj = readDocumentHeader(doc, 'expression');
    rejectUnknownFields(obj, ['format', 'version', 'kind', 'variables', 'expression', 'text'], '$');
    const variables = expectVariableList(requireField(obj, 'variables', '$'), '$.variables');
    const node = requireField(obj, 'expression', '$');
    const expr = exprFromJson(node, '$.expression');
    if (Object.hasOwn(obj, 'text')) expectString(obj.text, '$.text');
    const unlisted = firstUnlisted(node as ExprJson, new Set(variables), '$.expression');
    if (unlisted !== undefined) {
      const listed = variables.length === 0 ? 'it is empty' : `it has ${variables.join(', ')}`;
      throw new JsonFormatError(unlisted.path, `variable "${unlisted.name}" is not listed in $.variables (${listed})`);
    }
    return { expr, variables };
  } catch (err) {
    if (err instanceof JsonFormatError) throw err.withSource(source);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON text.

/**
 * JSON.parse with errors that name the file, line and column. Node's own messages do not always give
 * a position, so on failure a small scanner finds the first offending character itself.
 */
export function parseJsonText(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    const found = locateJsonError(body);
    if (found === undefined) throw new JsonFormatError('', `invalid JSON: ${(err as Error).message}`, source);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < found.offset; i++) {
      if (body[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    throw new JsonFormatError('', `line ${line}, column ${found.offset - lineStart + 1}: invalid JSON: ${found.problem}`, source);
  }
}

/** The first syntax error of a JSON text (RFC 8259), or undefined if it is valid. */
export function locateJsonError(s: string): { offset: number; problem: string } | undefined {
  let i = 0;
  class Stop {
    constructor(readonly offset: number, readonly problem: string) {}
  }
  const unexpected = (expected: string): Stop =>
    i >= s.length ? new Stop(i, `unexpected end of input; expected ${expected}`) : new Stop(i, `unexpected ${JSON.stringify(s[i])}; expected ${expected}`);
  const space = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const digits = (what: string): void => {
    if (!/[0-9]/.test(s[i] ?? '')) throw unexpected(what);
    while (/[0-9]/.test(s[i] ?? '')) i++;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= s.length) throw new Stop(i, 'unterminated string');
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) throw new Stop(i, 'control character in a string (escape it)');
      if (c === 0x5c) {
        i++;
        const e = s[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) throw new Stop(i - 1, 'invalid \\u escape in a string');
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else throw new Stop(i - 1, 'invalid escape in a string');
      } else i++;
    }
  };
  const value = (): void => {
    space();
    const c = s[i];
    if (c === '{') {
      i++;
      space();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (s[i] !== '"') throw unexpected('a property name in double quotes');
        string();
        space();
        if (s[i] !== ':') throw unexpected('":"');
        i++;
        value();
        space();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        throw unexpected('"," or "}"');
      }
    }
    if (c === '[') {
      i++;
      space();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        throw unexpected('"," or "]"');
      }
    }
    if (c === '"') return string();
    if (c === '-' || /[0-9]/.test(c ?? '')) {
      if (c === '-') i++;
      if (s[i] === '0') i++;
      else digits('a digit');
      if (s[i] === '.') {
        i++;
        digits('a digit after "."');
      }
      if (s[i] === 'e' || s[i] === 'E') {
        i++;
        if (s[i] === '+' || s[i] === '-') i++;
        digits('a digit in the exponent');
      }
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (s.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    throw unexpected('a value (object, array, string, number, true, false or null)');
  };
  try {
    value();
    space();
    if (i < s.length) throw unexpected('the end of the input');
    return undefined;
  } catch (err) {
    if (err instanceof Stop) return { offset: err.offset, problem: err.problem };
    throw err;
  }
}
