import { readFileSync } from 'node:fs';
import { variables as variablesOf } from '../expr/ast.js';
import { parse, ParseError } from '../expr/parse.js';
import { print } from '../expr/print.js';
import { exprFromJson, exprToJson, type ExprJson } from '../export/json.js';
import { GENERATOR } from '../version.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { FrontPoint, LawDocument, LawMetrics, LawTerm } from './document.js';
import { FORMAT, readDocumentHeader } from './header.js';
import { JsonFormatError, childPath, parseJsonText } from './json-text.js';
import { LAW_VERSION } from './schema.js';
import { SCHEMA_REFS, validateSchema } from './validate.js';
import { termsDisagreement } from './terms-check.js';

/** The law document as JSON (version 2, schema/law.schema.json). */
export interface LawJson {
  format: typeof FORMAT;
  version: typeof LAW_VERSION;
  kind: 'law';
  generator: string;
  inputs: string[];
  outputs: { name: string; text: string; terms: LawTerm[]; expression: ExprJson }[];
  library?: string;
  metrics?: LawMetrics;
  front?: FrontPoint[];
  warnings?: string[];
  meta?: Record<string, unknown>;
}

export function lawToJson(doc: LawDocument): LawJson {
  return {
    format: FORMAT,
    version: LAW_VERSION,
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

/**
 * Version 1 differs from version 2 only in `metrics`, which were untyped: they get the kind their
 * fields show. Anything else is left to the version-2 schema, so errors still name the paths of the
 * file as written.
 */
function migrateFromVersion1(obj: Record<string, unknown>): Record<string, unknown> {
  const migrated: Record<string, unknown> = { ...obj, version: LAW_VERSION };
  const metrics = obj.metrics;
  if (typeof metrics === 'object' && metrics !== null && !Array.isArray(metrics) && !Object.hasOwn(metrics, 'kind')) {
    const kind = Object.hasOwn(metrics, 'trainMse') ? 'discovery' : Object.hasOwn(metrics, 'evaluationReturns') ? 'training' : undefined;
    if (kind === undefined) {
      throw new JsonFormatError(
        '$.metrics',
        'version-1 metrics that are neither discovery metrics (trainMse, validationMse, ...) nor training metrics (evaluationReturns, ...); remove them or write the law again with this sparselaw',
      );
    }
    migrated.metrics = { kind, ...metrics };
  }
  return migrated;
}

/** Checks that per-output arrays have one entry per output. */
function checkPerOutput(values: unknown, outputs: number, path: string): void {
  if (Array.isArray(values) && values.length !== outputs) {
    throw new JsonFormatError(path, `expected one entry per output (${outputs}), got ${values.length}`);
  }
}

/**
 * Validates a law document (already parsed from JSON): the schema first, then what a schema cannot
 * say (distinct output names, expressions and term names over the inputs, per-output arrays).
 * Version-1 documents are read too (see migrateFromVersion1).
 */
export function lawFromJson(json: unknown, source?: string): LawDocument {
  try {
    const { obj, version } = readDocumentHeader(json, 'law', [1, LAW_VERSION]);
    const doc = version === 1 ? migrateFromVersion1(obj) : obj;
    validateSchema(SCHEMA_REFS.lawDocument, doc);
    const j = doc as unknown as LawJson;
    const known = new Set(j.inputs);
    const inputList = j.inputs.length === 0 ? 'there are no inputs' : `the inputs are ${j.inputs.join(', ')}`;
    const names = new Set<string>();
    const outputs = j.outputs.map((o, i) => {
      const path = childPath('$.outputs', i);
      if (names.has(o.name)) throw new JsonFormatError(childPath(path, 'name'), `output "${o.name}" appears twice`);
      names.add(o.name);
      const expr = exprFromJson(o.expression, childPath(path, 'expression'));
      for (const v of variablesOf(expr)) {
        if (!known.has(v)) throw new JsonFormatError(childPath(path, 'expression'), `uses "${v}", which is not among the inputs (${inputList})`);
      }
      const parsed = (o.terms ?? []).map((t, k) => {
        const termPath = childPath(childPath(childPath(path, 'terms'), k), 'term');
        try {
          return { expr: parse(t.term, { variables: j.inputs }), coefficient: t.coefficient };
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
          throw new JsonFormatError(termPath, `${JSON.stringify(t.term)} is not an expression over the inputs (${inputList}): column ${err.column}: ${err.problem}`);
        }
      });
      const disagreement = termsDisagreement(expr, parsed, j.inputs);
      if (disagreement) {
        throw new JsonFormatError(childPath(path, 'terms'), `the terms table does not describe the expression (${disagreement}); regenerate the document, or make the two agree`);
      }
      const terms = (o.terms ?? []).map((t) => ({ term: t.term, coefficient: t.coefficient }));
      return { name: o.name, expr, terms };
    });
    const m = j.metrics;
    if (m?.kind === 'discovery') {
      for (const key of ['terms', 'trainMse', 'validationMse', 'lambda'] as const) checkPerOutput(m[key], outputs.length, childPath('$.metrics', key));
    }
    j.front?.forEach((point, i) => {
      for (const key of ['terms', 'trainMse', 'validationMse'] as const) checkPerOutput(point[key], outputs.length, childPath(childPath('$.front', i), key));
    });
    return {
      inputs: [...j.inputs],
      outputs,
      ...(j.library !== undefined ? { library: j.library } : {}),
      ...(j.metrics !== undefined ? { metrics: j.metrics } : {}),
      ...(j.front !== undefined ? { front: j.front } : {}),
      ...(j.warnings !== undefined ? { warnings: j.warnings } : {}),
      ...(j.meta !== undefined ? { meta: j.meta } : {}),
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
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a law document' : (code ?? String(err));
    throw new JsonFormatError('', `cannot read the law document (${why})`, path);
  }
  return lawFromJson(parseJsonText(text, path), path);
}
