import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { exportLaw } from '../../src/export/law.js';
import { lawFromJson, lawToJson, loadLaw, saveLaw } from '../../src/law/io.js';
import type { LawDocument } from '../../src/law/document.js';
import { interpret } from '../../src/expr/interpret.js';
import { equals, variable } from '../../src/expr/ast.js';
import { exprArb, pointArb } from '../../src/verify/expr-arbitraries.js';
import { print } from '../../src/expr/print.js';

const VARS = ['x0', 'x1', 'x2'];

const lawArb = fc.array(exprArb({ variables: VARS, maxDepth: 4 }), { minLength: 1, maxLength: 3 }).map(
  (exprs): LawDocument => ({
    inputs: VARS,
    outputs: exprs.map((expr, k) => ({ name: `y${k}`, expr, terms: [{ term: print(expr), coefficient: 1 }] })),
    metrics: { kind: 'discovery', terms: exprs.map(() => 1), trainMse: exprs.map(() => 0.5), validationMse: exprs.map(() => 0.25), lambda: 1e-3 },
    warnings: ['a note'],
  }),
);

test('law documents round-trip through JSON', () => {
  fc.assert(
    fc.property(lawArb, (doc) => {
      const back = lawFromJson(JSON.parse(JSON.stringify(lawToJson(doc))));
      assert.deepEqual(back.inputs, doc.inputs);
      back.outputs.forEach((o, k) => {
        assert.equal(o.name, doc.outputs[k]!.name);
        assert.ok(equals(o.expr, doc.outputs[k]!.expr));
        assert.deepEqual(o.terms, doc.outputs[k]!.terms);
      });
      assert.deepEqual(back.metrics, doc.metrics);
      assert.deepEqual(back.warnings, doc.warnings);
    }),
    { numRuns: 200 },
  );
});

test('malformed law documents name the offending path and file', () => {
  const good = lawToJson({ inputs: ['x'], outputs: [{ name: 'y', expr: variable('x'), terms: [] }] });
  const bad = (mutate: (j: any) => void, pattern: RegExp) => {
    const j = JSON.parse(JSON.stringify(good));
    mutate(j);
    assert.throws(() => lawFromJson(j, 'law.json'), (e: Error) => pattern.test(e.message) && /law\.json/.test(e.message), pattern.source);
  };
  bad((j) => delete j.outputs, /\$\.outputs/);
  bad((j) => (j.outputs = []), /\$\.outputs: expected a non-empty list of outputs/);
  bad((j) => (j.outputs[0].expression = { var: 'z' }), /\$\.outputs\[0\]\.expression.*"z"/);
  bad((j) => (j.outputs[0].terms = [{ term: 'x', coefficient: 'big' }]), /\$\.outputs\[0\]\.terms\[0\]\.coefficient/);
  bad((j) => (j.version = 99), /version/);
  bad((j) => j.outputs.push(j.outputs[0]), /"y" appears twice/);
});

test('the exported JS module takes inputs by name and returns outputs by name, like the interpreter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-law-'));
  try {
    const doc = fc.sample(lawArb, { seed: 3, numRuns: 1 })[0]!;
    const file = join(dir, 'law.json');
    saveLaw(file, doc);
    const loaded = loadLaw(file);
    const js = join(dir, 'law.mjs');
    writeFileSync(js, exportLaw(loaded, 'js'));
    const mod = (await import(pathToFileURL(js).href)) as { default: (x: Record<string, number>) => Record<string, number> };
    for (const point of fc.sample(pointArb(VARS), { seed: 4, numRuns: 50 })) {
      const got = mod.default(point);
      doc.outputs.forEach((o) => {
        const want = interpret(o.expr, point);
        if (!Number.isFinite(want)) return;
        assert.ok(Math.abs(got[o.name]! - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${o.name}: ${got[o.name]} vs ${want}`);
      });
    }
    assert.match(exportLaw(loaded, 'c'), /#include <math\.h>/);
    assert.match(exportLaw(loaded, 'latex'), /\\begin\{aligned\}/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
