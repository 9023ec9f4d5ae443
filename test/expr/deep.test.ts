import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_DEPTH, depth, variables } from '../../src/expr/ast.js';
import { parse, ParseError } from '../../src/expr/parse.js';
import { print } from '../../src/expr/print.js';
import { interpret } from '../../src/expr/interpret.js';
import { simplify } from '../../src/expr/simplify.js';
import { derivative } from '../../src/expr/derivative.js';
import { compileScalar } from '../../src/expr/compile.js';
import { latex } from '../../src/export/latex.js';
import { cSource } from '../../src/export/c.js';
import { pythonModuleSource } from '../../src/export/python.js';
import { exprDocument, exprFromJson, JsonFormatError } from '../../src/export/json.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

/** Generated texts whose trees are `n` levels deep (or close to it). */
const SHAPES: Record<string, (n: number) => string> = {
  'nested sums (1+(1+...x))': (n) => '(1+'.repeat(n) + 'x' + ')'.repeat(n),
  'nested calls sin(sin(...))': (n) => 'sin('.repeat(n) + 'x' + ')'.repeat(n),
  'nested negations -(-(...))': (n) => '-('.repeat(n) + 'x' + ')'.repeat(n),
  'a long sum x+x+...': (n) => Array(n).fill('x').join('+'),
  'a power tower x^x^...^x': (n) => Array(n).fill('x').join('^'),
  'nested atan2 calls': (n) => 'atan2(1, '.repeat(n) + 'x' + ')'.repeat(n),
};

test('expressions at the depth limit work in every form', () => {
  for (const [name, make] of Object.entries(SHAPES)) {
    const e = parse(make(MAX_DEPTH - 1));
    assert.ok(depth(e) <= MAX_DEPTH, name);
    assert.deepEqual(variables(e), ['x'], name);
    const x = 0.3;
    const v = interpret(e, { x });
    assert.equal(compileScalar(e, ['x'])([x]), v, name);
    assert.ok(print(e).length > 0 && latex(e).length > 0 && cSource(e, ['x']).length > 0 && pythonModuleSource(e, ['x']).length > 0);
    const doc = JSON.parse(JSON.stringify(exprDocument(e)));
    assert.equal(interpret(exprFromJson(doc.expression), { x }), v, name);
  }
});

test('simplify and derivative handle deep trees whose derivative stays small', () => {
  // (Derivatives of power towers and nested calls grow with the square of the depth, which is the
  // nature of symbolic differentiation, so they are left out here.)
  for (const name of ['nested sums (1+(1+...x))', 'nested negations -(-(...))', 'a long sum x+x+...']) {
    const e = parse(SHAPES[name]!(MAX_DEPTH - 1));
    assert.ok(Number.isFinite(interpret(simplify(e), { x: 0.3 })), name);
    assert.ok(Number.isFinite(interpret(derivative(e, 'x'), { x: 0.3 })), name);
  }
});

test('deeper expressions are a parse error at the operator that crosses the limit, quickly', () => {
  for (const [name, make] of Object.entries(SHAPES)) {
    for (const n of [MAX_DEPTH + 1, 20_000]) {
      assert.throws(
        () => parse(make(n)),
        (err: unknown) => err instanceof ParseError && err.problem.startsWith(`the expression is nested more than ${MAX_DEPTH} levels deep`),
        `${name}, ${n} levels`,
      );
    }
  }
});

test('a deeply nested JSON document is rejected with its path', () => {
  let node: unknown = { var: 'x' };
  for (let i = 0; i < 20_000; i++) node = { neg: node };
  assert.throws(
    () => exprFromJson(node, '$.expression'),
    (err: unknown) => err instanceof JsonFormatError && /nested more than 1000 levels/.test(err.problem) && err.path.startsWith('$.expression.neg.neg'),
  );
});

test('the command line reports deep input as a one-line error, not a stack overflow', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-deep-'));
  try {
    const r = spawnSync(process.execPath, [BIN, 'expr', SHAPES['a power tower x^x^...^x']!(20_000)], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /nested more than 1000 levels deep/);
    let node = '{"var": "x"}';
    for (let i = 0; i < 20_000; i++) node = `{"neg": ${node}}`;
    const file = join(dir, 'deep.json');
    writeFileSync(file, `{"format": "sparselaw", "version": 1, "kind": "expression", "variables": ["x"], "expression": ${node}, "text": ""}`);
    const j = spawnSync(process.execPath, [BIN, 'expr', '--from', file], { encoding: 'utf8' });
    assert.equal(j.status, 1, j.stderr);
    assert.match(j.stderr, /deep\.json: \$\.expression(\.neg)+: the expression is nested more than 1000 levels deep/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
