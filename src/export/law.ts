import { readFileSync } from 'node:fs';
import { type Expr, variables as variablesOf } from '../expr/ast.js';
import { print } from '../expr/print.js';
import { simplify } from '../expr/simplify.js';
import { GENERATOR } from '../version.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import {
  FORMAT,
  FORMAT_VERSION,
  type ExprJson,
  JsonFormatError,
  childPath,
  expectArray,
  expectFiniteNumber,
  expectObject,
  expectString,
  expectVariableList,
  expectVariableName,
  exprFromJson,
  exprToJson,
  parseJsonText,
  readDocumentHeader,
  requireField,
} from './json.js';
import { latexEquation } from './latex.js';
import { jsLawModuleSource } from './js.js';
import { cLawSource } from './c.js';

/**
 * The versioned law document: one closed-form expression per output over named inputs. `terms`
 * lists the surviving dictionary terms with their coefficients (informational: a control law such
 * as torque = 2 tanh(...) is not a plain sum); `expression` is the law itself.
 */
export interface LawOutput {
  name: string;
  expr: Expr;
  terms: { term: string; coefficient: number }[];
}

export interface LawDocument {
  inputs: string[];
  outputs: LawOutput[];
  library?: string;
  metrics?: Record<string, unknown>;
  front?: unknown[];
  warnings?: string[];
  /** Free-form provenance (command, seed, environment, ...). */
  meta?: Record<string, unknown>;
}

interface LawJson {
  format: typeof FORMAT;
  version: typeof FORMAT_VERSION;
  kind: 'law';
  generator: string;
  inputs: string[];
  outputs: { name: string; text: string; terms: { term: string; coefficient: number }[]; expression: ExprJson }[];
  library?: string;
  metrics?: Record<string, unknown>;
  front?: unknown[];
  warnings?: string[];
  meta?: Record<string, unknown>;
}

export function lawToJson(doc: LawDocument): LawJson {
  return {
    format: FORMAT,
    version: FORMAT_VERSION,
    kind: 'law',
    generator: GENERATOR,
    inputs: doc.inputs,
    outputs: doc.outputs.map((o) => ({ name: o.name, text: `${o.name} = ${print(o.expr)}`, terms: o.terms, expression: exprToJson(o.expr) })),
    ...(doc.library !== undefined ? { library: doc.library } : {}),
    ...(doc.metrics ? { metrics: doc.metrics } : {}),
    ...(doc.front ? { front: doc.front } : {}),
    ...(doc.warnings ? { warnings: doc.warnings } : {}),
    ...(doc.meta ? { meta: doc.meta } : {}),
  };
}

export function lawFromJson(json: unknown, source?: string): LawDocument {
  try {
    const obj = readDocumentHeader(json, 'law');
    const inputs = expectVariableList(requireField(obj, 'inputs', '$'), '$.inputs');
    const known = new Set(inputs);
    const outputsJson = expectArray(requireField(obj, 'outputs', '$'), '$.outputs');
    if (outputsJson.length === 0) throw new JsonFormatError('$.outputs', 'a law needs at least one output');
    const names = new Set<string>();
    const outputs = outputsJson.map((o, i) => {
      const path = childPath('$.outputs', i);
      const out = expectObject(o, path);
      const name = expectVariableName(requireField(out, 'name', path), childPath(path, 'name'));
      if (names.has(name)) throw new JsonFormatError(childPath(path, 'name'), `output "${name}" appears twice`);
      names.add(name);
      const expr = exprFromJson(requireField(out, 'expression', path), childPath(path, 'expression'));
      for (const v of variablesOf(expr)) {
        if (!known.has(v)) throw new JsonFormatError(childPath(path, 'expression'), `uses "${v}", which is not among the inputs (${inputs.join(', ')})`);
      }
      const termsPath = childPath(path, 'terms');
      const terms = expectArray(out.terms ?? [], termsPath).map((t, j) => {
        const tp = childPath(termsPath, j);
        const to = expectObject(t, tp);
        return {
          term: expectString(requireField(to, 'term', tp), childPath(tp, 'term')),
          coefficient: expectFiniteNumber(requireField(to, 'coefficient', tp), childPath(tp, 'coefficient')),
        };
      });
      return { name, expr, terms };
    });
    const optionalObject = (key: string): Record<string, unknown> | undefined =>
      obj[key] === undefined ? undefined : expectObject(obj[key], `$.${key}`);
    return {
      inputs,
      outputs,
      library: obj.library === undefined ? undefined : expectString(obj.library, '$.library'),
      metrics: optionalObject('metrics'),
      front: obj.front === undefined ? undefined : expectArray(obj.front, '$.front'),
      warnings: obj.warnings === undefined ? undefined : expectArray(obj.warnings, '$.warnings').map((w, i) => expectString(w, childPath('$.warnings', i))),
      meta: optionalObject('meta'),
    };
  } catch (err) {
    if (err instanceof JsonFormatError) throw err.withSource(source);
    throw err;
  }
}

export function saveLaw(path: string, doc: LawDocument): void {
  writeFileAtomic(path, JSON.stringify(lawToJson(doc), null, 2) + '\n');
}

export function loadLaw(path: string): LawDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new JsonFormatError('', `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, path);
  }
  return lawFromJson(parseJsonText(text, path), path);
}

export const LAW_FORMATS = ['text', 'latex', 'js', 'c', 'json'] as const;
export type LawFormat = (typeof LAW_FORMATS)[number];

/** The law in one of the export forms; `digits` rounds the coefficients for display. */
export function exportLaw(doc: LawDocument, to: LawFormat, options: { digits?: number } = {}): string {
  const outputs = doc.outputs.map((o) => ({ name: o.name, expr: options.digits !== undefined ? simplify(o.expr, { digits: options.digits }) : o.expr }));
  switch (to) {
    case 'text':
      return outputs.map((o) => `${o.name} = ${print(o.expr)}`).join('\n') + '\n';
    case 'latex':
      return ['\\begin{aligned}', ...outputs.map((o, i) => `${latexEquation(o.name, o.expr).replace(' = ', ' &= ')}${i + 1 < outputs.length ? ' \\\\' : ''}`), '\\end{aligned}', ''].join('\n');
    case 'js':
      return jsLawModuleSource(doc.inputs, outputs);
    case 'c':
      return cLawSource(doc.inputs, outputs);
    case 'json':
      return JSON.stringify(lawToJson({ ...doc, outputs: doc.outputs.map((o, i) => ({ ...o, expr: outputs[i]!.expr })) }), null, 2) + '\n';
  }
}
