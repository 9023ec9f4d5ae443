import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { lawFromJson, lawToJson, loadLaw } from '../../src/law/io.js';
import type { LawDocument } from '../../src/law/document.js';
import { JsonFormatError } from '../../src/law/json-text.js';
import { LAW_VERSION, lawSchema, expressionSchema } from '../../src/law/schema.js';
import { FUNCTIONS, variable } from '../../src/expr/ast.js';
import { exprArb } from '../../src/verify/expr-arbitraries.js';
import { print } from '../../src/expr/print.js';
import { parse } from '../../src/expr/parse.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/bin.js');
const VARS = ['x0', 'x1', 'x2'];

function errorOf(fn: () => unknown): JsonFormatError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof JsonFormatError, `expected a JsonFormatError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

const good = (): any =>
  JSON.parse(
    JSON.stringify(
      lawToJson({
        inputs: ['x', 'y'],
        outputs: [{ name: 'z', expr: parse('2 * (x * sin(y))'), terms: [{ term: 'x * sin(y)', coefficient: 2 }] }],
        metrics: { kind: 'discovery', terms: [1], trainMse: [0.1], validationMse: [0.2], lambda: [1e-3] },
        front: [{ lambda: 1e-3, terms: [1], trainMse: [0.1], validationMse: [0.2] }],
      }),
    ),
  );

test('the published schema files are the ones the loader validates with, and accept every law it writes', () => {
  const files = ['law', 'expression'].map((name) => JSON.parse(readFileSync(join(ROOT, 'schema', `${name}.schema.json`), 'utf8')));
  assert.deepEqual(files, [JSON.parse(JSON.stringify(lawSchema)), JSON.parse(JSON.stringify(expressionSchema))]);
  // A validator of its own, as another program would use the files.
  const ajv = new Ajv2020({ strictRequired: false, schemas: files });
  const validate = ajv.getSchema('urn:sparselaw:schema:law:2')!;
  const lawArb = fc.array(exprArb({ variables: VARS, maxDepth: 4 }), { minLength: 1, maxLength: 3 }).map(
    (exprs): LawDocument => ({
      inputs: VARS,
      outputs: exprs.map((expr, k) => ({ name: `y${k}`, expr, terms: [{ term: print(expr), coefficient: 1 }] })),
      metrics: { kind: 'training', evaluationReturns: [-150, -170], evaluationMean: -160, terms: exprs.length, gatesBinary: true },
    }),
  );
  fc.assert(
    fc.property(lawArb, (doc) => {
      const json = JSON.parse(JSON.stringify(lawToJson(doc)));
      assert.ok(validate(json), JSON.stringify(validate.errors));
      assert.equal(json.version, LAW_VERSION);
    }),
    { numRuns: 100 },
  );
});

test('the schema lists exactly the functions the parser knows', () => {
  assert.deepEqual(expressionSchema.$defs.function.enum, [...FUNCTIONS]);
  assert.deepEqual(expressionSchema.$defs.variableName.not.enum, [...FUNCTIONS]);
});

test('term names must be expressions over the inputs; the error names the JSON path', () => {
  const cases: [string, RegExp][] = [
    ['q', /"q" is not an expression over the inputs \(the inputs are x, y\)/],
    ['sin((', /"sin\(\(" is not an expression over the inputs/],
    ['x y', /is not an expression over the inputs .*column 3/],
    ['', /expected an expression over the inputs, .*got the string ""/],
  ];
  for (const [term, pattern] of cases) {
    const j = good();
    j.outputs[0].terms[0].term = term;
    const err = errorOf(() => lawFromJson(j, 'law.json'));
    assert.equal(err.path, '$.outputs[0].terms[0].term');
    assert.match(err.message, pattern);
    assert.ok(err.message.startsWith('law.json: $.outputs[0].terms[0].term: '), err.message);
  }
});

test('typed metrics and front: wrong shapes name their path', () => {
  const cases: [(j: any) => void, string, RegExp][] = [
    [(j) => (j.metrics.kind = 'magic'), '$.metrics.kind', /expected the kind of metrics: "discovery" or "training", got the string "magic"/],
    [(j) => delete j.metrics.trainMse, '$.metrics.trainMse', /missing field/],
    [(j) => (j.metrics.trainMse = [0.1, 0.2]), '$.metrics.trainMse', /one entry per output \(1\), got 2/],
    [(j) => (j.metrics.validationMse = ['x']), '$.metrics.validationMse[0]', /expected a finite number, got the string "x"/],
    [(j) => (j.metrics.lambda = [-1]), '$.metrics.lambda', /expected the L0 strength/],
    [(j) => (j.front[0].terms = [1.5]), '$.front[0].terms[0]', /expected an integer, got the number 1.5/],
    [(j) => (j.front[0].validationMse = []), '$.front[0].validationMse', /one entry per output/],
    [(j) => (j.front[0].extra = 1), '$.front[0].extra', /unexpected field/],
    [(j) => (j.metrics = { kind: 'training', evaluationReturns: [1], evaluationMean: 1, terms: -1 }), '$.metrics.terms', /expected a number >= 0, got the number -1/],
    [(j) => (j.outputs[0].expression = { var: 'w' }), '$.outputs[0].expression', /uses "w", which is not among the inputs \(the inputs are x, y\)/],
    [(j) => (j.inputs = ['x', 'y', 'x']), '$.inputs[2]', /"x" is listed twice/],
    [(j) => (j.colour = 'red'), '$.colour', /unexpected field/],
    [(j) => (j.version = 3), '$.version', /unsupported version 3; this sparselaw reads version 1 and 2 \(the file was written by a newer sparselaw\)/],
  ];
  for (const [mutate, path, pattern] of cases) {
    const j = good();
    mutate(j);
    const err = errorOf(() => lawFromJson(j));
    assert.equal(err.path, path, err.message);
    assert.match(err.problem, pattern);
  }
  // Further metrics are carried through.
  const j = good();
  j.metrics.note = 'kept';
  assert.equal(lawFromJson(j).metrics?.note, 'kept');
});

test('version-1 documents load: their metrics get the kind their fields show', () => {
  const shipped = loadLaw(join(ROOT, 'examples/laws/pendulum-poly3.json'));
  assert.equal(shipped.metrics?.kind, 'training');
  const v1 = good();
  v1.version = 1;
  delete v1.metrics.kind;
  assert.equal(lawFromJson(v1).metrics?.kind, 'discovery');
  v1.metrics = { somethingElse: 1 };
  assert.match(errorOf(() => lawFromJson(v1, 'old.json')).message, /^old\.json: \$\.metrics: version-1 metrics that are neither discovery metrics/);
  // Saving writes the current version.
  assert.equal(lawToJson(lawFromJson(good())).version, LAW_VERSION);
});

test('export --to json refuses a law whose term is not an expression, naming the file and path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-law-'));
  try {
    const file = join(dir, 'law.json');
    const j = good();
    j.outputs[0].terms[0].term = 'sin((';
    writeFileSync(file, JSON.stringify(j));
    const r = spawnSync(process.execPath, [BIN, 'export', file, '--to', 'json'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /law\.json: \$\.outputs\[0\]\.terms\[0\]\.term: "sin\(\(" is not an expression/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
