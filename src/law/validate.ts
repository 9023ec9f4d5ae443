import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { JsonFormatError, childPath, describeValue } from './json-text.js';
import { EXPRESSION_SCHEMA_ID, LAW_SCHEMA_ID, expressionSchema, lawSchema } from './schema.js';

/**
 * Validation of documents against the published JSON Schemas (ajv), with errors that name the
 * offending JSON path and say what was expected there, in the words of the schema's descriptions.
 */

let ajv: InstanceType<typeof Ajv2020> | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(ref: string): ValidateFunction {
  let v = compiled.get(ref);
  if (v) return v;
  // verbose: errors carry the failing value and the schema around the failing keyword.
  ajv ??= new Ajv2020({ allErrors: false, verbose: true, strict: true, strictRequired: false, schemas: [shallow(expressionSchema), lawSchema] });
  v = ajv.getSchema(ref);
  if (!v) throw new Error(`no schema ${ref}`);
  compiled.set(ref, v);
  return v;
}

/**
 * The published schema describes an expression tree recursively; validating it that way makes ajv
 * recurse once per level, and a tree at the depth limit (1000) overflows the stack. So the schema
 * compiled here checks one node at a time (its children only as objects), and validateSchema walks
 * every expression tree of the document with an explicit stack, checking each node at its path.
 */
function shallow(schema: typeof expressionSchema): object {
  const copy = JSON.parse(JSON.stringify(schema)) as { $defs: Record<string, unknown> };
  const text = JSON.stringify(copy.$defs.node).replaceAll('{"$ref":"#/$defs/node"}', '{"type":"object","description":"an expression node"}');
  copy.$defs.node = JSON.parse(text);
  return copy;
}

/** Every expression tree in a validated document, with its path (an output's expression, or the document's). */
function expressionRoots(value: unknown, root: string): { node: unknown; path: string }[] {
  const doc = value as { expression?: unknown; outputs?: { expression?: unknown }[] };
  if (doc.expression !== undefined) return [{ node: doc.expression, path: childPath(root, 'expression') }];
  return (doc.outputs ?? []).map((o, i) => ({ node: o.expression, path: childPath(childPath(childPath(root, 'outputs'), i), 'expression') }));
}

function validateTree(node: unknown, path: string): void {
  const check = validator(`${EXPRESSION_SCHEMA_ID}#/$defs/node`);
  const stack: { node: unknown; path: string }[] = [{ node, path }];
  while (stack.length > 0) {
    const { node: n, path: p } = stack.pop()!;
    if (!check(n)) throwFirst(check, n, p);
    const o = n as Record<string, unknown>;
    for (const key of ['neg', 'left', 'right', 'arg'] as const) if (key in o) stack.push({ node: o[key], path: childPath(p, key) });
    if (Array.isArray(o.args)) o.args.forEach((a, i) => stack.push({ node: a, path: childPath(childPath(p, 'args'), i) }));
  }
}

export const SCHEMA_REFS = {
  expressionDocument: EXPRESSION_SCHEMA_ID,
  expressionNode: `${EXPRESSION_SCHEMA_ID}#/$defs/node`,
  lawDocument: LAW_SCHEMA_ID,
} as const;

/** `/outputs/0/expression` under `$` -> `$.outputs[0].expression`. */
function pathOf(root: string, instancePath: string): string {
  if (instancePath === '') return root;
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => childPath(path, /^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part), root);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a finite number',
  integer: 'an integer',
  object: 'an object',
  array: 'an array',
  boolean: 'a boolean',
};

function expected(error: ErrorObject): string {
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  if (description) return description;
  switch (error.keyword) {
    case 'const':
      return JSON.stringify(error.params.allowedValue);
    case 'enum':
      return `one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'minimum':
      return `a number >= ${String(error.params.limit)}`;
    case 'minLength':
      return 'a non-empty string';
    case 'minItems':
      return `an array of at least ${String(error.params.limit)} items`;
    default:
      return error.message ?? `a value that satisfies "${error.keyword}"`;
  }
}

/** One ajv error as a JsonFormatError at its JSON path, worded for a person. */
function toFormatError(error: ErrorObject, root: string): JsonFormatError {
  const path = pathOf(root, error.instancePath);
  switch (error.keyword) {
    case 'required':
      return new JsonFormatError(childPath(path, error.params.missingProperty as string), 'missing field');
    case 'additionalProperties': {
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return new JsonFormatError(childPath(path, error.params.additionalProperty as string), `unexpected field; expected only ${allowed.map((k) => `"${k}"`).join(', ')}`);
    }
    case 'type':
      return new JsonFormatError(path, `expected ${TYPE_NAMES[error.params.type as string] ?? String(error.params.type)}, got ${describeValue(error.data)}`);
    case 'uniqueItems': {
      const later = Math.max(error.params.i as number, error.params.j as number);
      const items = error.data as unknown[];
      return new JsonFormatError(childPath(path, later), `${JSON.stringify(items[later])} is listed twice`);
    }
    default:
      return new JsonFormatError(path, `expected ${expected(error)}, got ${describeValue(error.data)}`);
  }
}

/**
 * The path and value of the first number that is not finite. JSON text cannot hold one, but a
 * document built in JavaScript can, and ajv's "number" type already rejects NaN; this names it.
 */
function firstNonFinite(value: unknown, path: string): { path: string; value: number } | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path, value };
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = firstNonFinite(item, childPath(path, i));
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = firstNonFinite(item, childPath(path, key));
      if (found) return found;
    }
  }
  return undefined;
}

/** Validates `value` against a schema (one of SCHEMA_REFS); throws the first error, at its path under `root`. */
export function validateSchema(ref: string, value: unknown, root = '$'): void {
  const v = validator(ref);
  if (!v(value)) throwFirst(v, value, root);
  if (ref === SCHEMA_REFS.expressionNode) validateTree(value, root);
  else for (const tree of expressionRoots(value, root)) validateTree(tree.node, tree.path);
}

function throwFirst(v: ValidateFunction, value: unknown, root: string): never {
  const nonFinite = firstNonFinite(value, root);
  if (nonFinite) throw new JsonFormatError(nonFinite.path, `expected a finite number, got ${String(nonFinite.value)}`);
  // With allErrors off ajv stops at the first failure; the innermost error comes first, followed
  // by the if/then wrappers it failed inside. An anyOf fails as a whole: its description says more
  // than the failure of its first alternative.
  const errors = v.errors ?? [];
  const error = errors.find((e) => e.keyword === 'anyOf') ?? errors.find((e) => e.keyword !== 'if') ?? errors[0];
  if (!error) throw new JsonFormatError(root, 'does not match the schema');
  throw toFormatError(error, root);
}
