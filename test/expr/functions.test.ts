import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FUNCTION_TABLE, FUNCTIONS, functionSpec } from '../../src/expr/functions.js';
import { call, equals, num, variable } from '../../src/expr/ast.js';
import { parse, ParseError } from '../../src/expr/parse.js';
import { print } from '../../src/expr/print.js';
import { interpret } from '../../src/expr/interpret.js';
import { simplify } from '../../src/expr/simplify.js';
import { derivative } from '../../src/expr/derivative.js';
import { exprFromJson, exprToJson, JsonFormatError } from '../../src/export/json.js';
import { latex } from '../../src/export/latex.js';

test('every registry row is complete: arity, parameter names, and every form', () => {
  for (const name of FUNCTIONS) {
    const spec = functionSpec(name);
    assert.equal(spec.params.length, spec.arity, name);
    const args = spec.params.map((p) => variable(p === 'lo' || p === 'hi' ? `${p}_` : p));
    const e = call(name, ...args);
    // The lexer takes its function names from the registry: no grammar edit for a new row.
    assert.ok(equals(parse(print(e)), e), `${name} parses back`);
    assert.equal(spec.partials(args, e).length, spec.arity, `${name} has a partial per argument`);
    assert.ok(latex(e).length > 0);
  }
  assert.deepEqual(Object.keys(FUNCTION_TABLE), [...FUNCTIONS]);
});

test('the new functions evaluate as their definitions', () => {
  const at = { x: -0.7, y: 2.5 };
  const v = (text: string): number => interpret(parse(text), at);
  assert.equal(v('atan2(y, x)'), Math.atan2(2.5, -0.7));
  assert.equal(v('min(x, y)'), -0.7);
  assert.equal(v('max(x, y)'), 2.5);
  assert.equal(v('clip(x, -0.5, 0.5)'), -0.5);
  assert.equal(v('clip(y, -0.5, 0.5)'), 0.5);
  assert.equal(v('clip(0.1, -0.5, 0.5)'), 0.1);
  assert.equal(v('sign(x)'), -1);
  assert.equal(v('sign(0)'), 0);
  assert.ok(Number.isNaN(v('min(log(x), y)')), 'NaN propagates through min');
  // atan2 recovers the angle from its cosine and sine, which no polynomial in them does.
  for (const theta of [-3, -1, 0, 0.5, 3]) {
    assert.ok(Math.abs(interpret(parse('atan2(s, c)'), { s: Math.sin(theta), c: Math.cos(theta) }) - theta) < 1e-15);
  }
});

test('a call with the wrong number of arguments is a parse error at the function name', () => {
  const err = (text: string): ParseError => {
    try {
      parse(text);
    } catch (e) {
      if (e instanceof ParseError) return e;
      throw e;
    }
    assert.fail(`${text} parsed`);
  };
  assert.match(err('x + atan2(y)').message, /^line 1, column 5: atan2 takes 2 arguments, got 1; write atan2\(y, x\)/);
  assert.match(err('sin(x, y)').problem, /^sin takes 1 argument, got 2/);
  assert.match(err('clip(1, 2, 3, 4, 5)').problem, /too many arguments/);
  assert.match(err('sin(x').problem, /expected "\+", "-", "\*", "\/", "\^" or "\)"$/);
  assert.match(err('atan2(y').problem, /"\)" or ","$/);
  assert.match(err('min(,x)').problem, /^unexpected ","/);
});

test('simplify folds constant calls and keeps the rest', () => {
  assert.equal(print(simplify(parse('min(2, 3) + max(2, 3) + clip(5, 0, 1) + sign(-2) + atan2(0, 1)'))), '5');
  assert.equal(print(simplify(parse('min(x + x, y) - min(2*x, y)'))), '0');
  assert.equal(print(simplify(parse('1/0'))), '1 / 0');
  assert.equal(print(simplify(parse('x/0'))), 'x / 0');
});

test('derivatives of the new functions, with the mean of one-sided slopes at kinks', () => {
  const d = (text: string, at: Record<string, number>, wrt = 'x'): number => interpret(derivative(parse(text), wrt), at);
  assert.equal(d('abs(x)', { x: 0 }), 0);
  assert.equal(d('abs(x)', { x: -2 }), -1);
  assert.equal(d('sign(x)', { x: 0.3 }), 0);
  assert.equal(d('min(x, y)', { x: 1, y: 1 }), 0.5);
  assert.equal(d('min(x, y)', { x: 0, y: 1 }), 1);
  assert.equal(d('min(x, y)', { x: 2, y: 1 }), 0);
  assert.equal(d('max(x, y)', { x: 2, y: 1 }), 1);
  assert.equal(d('max(x, y)', { x: 1, y: 1 }, 'y'), 0.5);
  assert.equal(d('clip(x, -1, 1)', { x: 0.2 }), 1);
  assert.equal(d('clip(x, -1, 1)', { x: 3 }), 0);
  assert.equal(d('clip(x, -1, 1)', { x: 1 }), 0.5);
  assert.equal(d('clip(x, -1, 1)', { x: -1 }), 0.5);
  assert.equal(d('clip(0, x, 1)', { x: 0.5 }), 1);
  assert.equal(d('clip(5, 0, x)', { x: 2 }), 1);
  const at = { x: 0.6, y: -1.3 };
  assert.ok(Math.abs(d('atan2(y, x)', at) - 1.3 / (0.36 + 1.69)) < 1e-15);
  assert.ok(Math.abs(d('atan2(y, x)', at, 'y') - 0.6 / (0.36 + 1.69)) < 1e-15);
});

test('JSON writes one-argument calls with "arg" and the others with "args", and reads them back', () => {
  const e = parse('atan2(sin(t), clip(c, -1, 1))');
  const json = exprToJson(e);
  assert.deepEqual(Object.keys(json).sort(), ['args', 'fn']);
  assert.ok(equals(exprFromJson(JSON.parse(JSON.stringify(json))), e));
  assert.throws(() => exprFromJson({ fn: 'atan2', args: [{ num: 1 }] }), (err: unknown) => err instanceof JsonFormatError && err.path === '$.args' && /atan2 takes 2 arguments/.test(err.problem));
  assert.throws(() => exprFromJson({ fn: 'min', arg: { num: 1 } }), JsonFormatError);
  assert.ok(equals(exprFromJson({ fn: 'sign', arg: { neg: { num: 2 } } }), call('sign', num(-2))));
});
