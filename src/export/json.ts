import {
  type BinaryOp,
  type Expr,
  ExprError,
  type FUNCTIONS,
  type FnName,
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
import { JsonFormatError, childPath } from '../law/json-text.js';
import { FORMAT, readDocumentHeader } from '../law/header.js';
import { EXPRESSION_VERSION } from '../law/schema.js';
import { SCHEMA_REFS, validateSchema } from '../law/validate.js';

export { JsonFormatError, childPath, parseJsonText, locateJsonError } from '../law/json-text.js';

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
 * Any other field is an error (schema/expression.schema.json, `$defs/node`). A negative constant is written {"neg": {"num": 2}}, exactly as the parser
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

export { FORMAT };
export const FORMAT_VERSION = EXPRESSION_VERSION;

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

/** Builds the expression of a node that has passed the schema (which cannot check a function's arity). */
function build(node: ExprJson, path: string): Expr {
  if ('num' in node) return num(node.num);
  if ('var' in node) return variable(node.var);
  if ('neg' in node) return neg(build(node.neg, childPath(path, 'neg')));
  if ('op' in node) return bin(node.op, build(node.left, childPath(path, 'left')), build(node.right, childPath(path, 'right')));
  const fn = node.fn as FnName;
  const arity = functionSpec(fn).arity;
  if ('arg' in node) {
    if (arity !== 1) throw new JsonFormatError(path, `${fn} takes ${arity} arguments: write them as "args": [${Array(arity).fill('<node>').join(', ')}]`);
    return call(fn, build(node.arg, childPath(path, 'arg')));
  }
  if (arity === 1) throw new JsonFormatError(path, `${fn} takes one argument: write it as "arg": <node>`);
  if (node.args.length !== arity) throw new JsonFormatError(childPath(path, 'args'), `${fn} takes ${arity} arguments, got ${node.args.length}`);
  return call(fn, ...node.args.map((a, i) => build(a, childPath(childPath(path, 'args'), i))));
}

/**
 * Rejects a tree deeper than MAX_DEPTH before anything recursive (the schema validator, build) sees
 * it; iterative, so a document of any depth gets this message rather than a stack overflow.
 */
function checkDepth(root: unknown, rootPath: string): void {
  interface Frame { node: unknown; depth: number; parent?: Frame; key?: string | number }
  const stack: Frame[] = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (f.depth > MAX_DEPTH) {
      const keys: (string | number)[] = [];
      for (let g: Frame | undefined = f; g?.parent; g = g.parent) keys.push(g.key!);
      const path = keys.reverse().reduce<string>((p, k) => childPath(p, k), rootPath);
      throw new JsonFormatError(path, `the expression is nested more than ${MAX_DEPTH} levels deep`);
    }
    if (typeof f.node !== 'object' || f.node === null) continue;
    const o = f.node as Record<string, unknown>;
    for (const key of ['neg', 'left', 'right', 'arg'] as const) if (key in o) stack.push({ node: o[key], depth: f.depth + 1, parent: f, key });
    if (Array.isArray(o.args)) o.args.forEach((a, i) => stack.push({ node: a, depth: f.depth + 1, parent: { node: o.args, depth: f.depth, parent: f, key: 'args' }, key: i }));
  }
}

/** Validates an ExprJson node (as parsed from JSON) against the schema and builds the expression. */
export function exprFromJson(node: unknown, path = '$'): Expr {
  checkDepth(node, path);
  validateSchema(SCHEMA_REFS.expressionNode, node, path);
  return build(node as ExprJson, path);
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
    readDocumentHeader(doc, 'expression', [EXPRESSION_VERSION]);
    checkDepth((doc as { expression?: unknown }).expression, '$.expression');
    validateSchema(SCHEMA_REFS.expressionDocument, doc);
    const { variables, expression } = doc as ExprDocument;
    const unlisted = firstUnlisted(expression, new Set(variables), '$.expression');
    if (unlisted !== undefined) {
      const listed = variables.length === 0 ? 'it is empty' : `it has ${variables.join(', ')}`;
      throw new JsonFormatError(unlisted.path, `variable "${unlisted.name}" is not listed in $.variables (${listed})`);
    }
    return { expr: build(expression, '$.expression'), variables: [...variables] };
  } catch (err) {
    if (err instanceof JsonFormatError) throw err.withSource(source);
    throw err;
  }
}
