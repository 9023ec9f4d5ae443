import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ExprError, add, equals, mul, neg, num, pow, sin, variable, variables as variablesOf } from '../../src/expr/ast.js';
import { parse } from '../../src/expr/parse.js';
import { print } from '../../src/expr/print.js';
import {
  JsonFormatError,
  childPath,
  exprDocument,
  exprFromJson,
  exprToJson,
  loadExprDocument,
  locateJsonError,
  parseJsonText,
} from '../../src/export/json.js';
import { exprArb } from '../../src/verify/expr-arbitraries.js';

const x0 = variable('x0');
const x1 = variable('x1');

/** Asserts that `fn` throws a JsonFormatError with this path whose message matches. */
function assertJsonError(fn: () => unknown, path: string, pattern: RegExp, source?: string): JsonFormatError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof JsonFormatError, `expected a JsonFormatError, got ${String(caught)}`);
  assert.equal(caught.path, path, caught.message);
  assert.match(caught.problem, pattern);
  const prefix = [source, path].filter((p) => p !== undefined && p !== '').join(': ');
  assert.ok(caught.message.startsWith(prefix), `message ${JSON.stringify(caught.message)} should start with ${prefix}`);
  return caught;
}

function goodDoc(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(exprDocument(add(x0, mul(num(2), sin(x1))), ['x0', 'x1']))) as Record<string, unknown>;
}

describe('json: expression nodes', () => {
  test('the documented node shapes', () => {
    const e = add(neg(num(1.5)), mul(variable('x'), pow(sin(variable('y')), num(2))));
    assert.deepEqual(exprToJson(e), {
      op: '+',
      left: { neg: { num: 1.5 } },
      right: { op: '*', left: { var: 'x' }, right: { op: '^', left: { fn: 'sin', arg: { var: 'y' } }, right: { num: 2 } } },
    });
  });

  test('exprFromJson(exprToJson(e)) equals e', () => {
    fc.assert(
      fc.property(exprArb(), (e) => equals(exprFromJson(exprToJson(e)), e)),
      { numRuns: 500 },
    );
  });

  test('round trip through JSON text keeps every constant bit for bit', () => {
    const anyConstant = fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }).map((v) => num(v));
    const tree = fc.oneof(exprArb(), anyConstant, anyConstant.map((c) => mul(c, x0)));
    fc.assert(
      fc.property(tree, (e) => {
        const back = exprFromJson(JSON.parse(JSON.stringify(exprToJson(e))));
        return equals(back, e);
      }),
      { numRuns: 500 },
    );
  });

  test('childPath quotes keys that are not identifiers', () => {
    assert.equal(childPath('$', 'left'), '$.left');
    assert.equal(childPath('$.v', 3), '$.v[3]');
    assert.equal(childPath('$', 'a b'), '$["a b"]');
  });

  const bad: [unknown, string, RegExp][] = [
    [null, '$', /expected an object, got null/],
    [[1], '$', /expected an object, got an array/],
    [{}, '$', /expected an expression node: an object with one of the fields "num", "var", "neg", "op", "fn", got an object/],
    [{ num: 1, var: 'x' }, '$.var', /unexpected field; expected only "num"/],
    [{ num: '1' }, '$.num', /expected a finite number, got the string "1"/],
    [{ num: NaN }, '$.num', /expected a finite number, got NaN/],
    [{ num: Infinity }, '$.num', /expected a finite number, got Infinity/],
    [{ num: null }, '$.num', /expected a finite number, got null/],
    [{ num: -2 }, '$.num', /expected a number >= 0 \(a negative constant is written \{"neg": \{"num": 2\}\}.*got the number -2/],
    [{ num: 1, unit: 'm' }, '$.unit', /unexpected field/],
    [{ var: 3 }, '$.var', /expected a string, got the number 3/],
    [{ var: '1x' }, '$.var', /expected a variable name .*got the string "1x"/],
    [{ var: 'sin' }, '$.var', /not one of the functions sin, .*got the string "sin"/],
    [{ neg: { var: 'x y' } }, '$.neg.var', /expected a variable name/],
    [{ op: '%', left: { num: 1 }, right: { num: 2 } }, '$.op', /expected an operator: one of \+ - \* \/ \^, got the string "%"/],
    [{ op: '+', left: { num: 1 } }, '$.right', /missing field/],
    [{ op: '+', right: { num: 1 } }, '$.left', /missing field/],
    [{ op: '+', left: { num: 1 }, right: { fn: 'sinh', arg: { num: 1 } } }, '$.right.fn', /expected a function: one of sin, .*got the string "sinh"/],
    [{ fn: 'sin' }, '$.arg', /missing field/],
    [{ fn: 'cos', arg: { op: '*', left: { num: 1 }, right: { bogus: 1 } } }, '$.arg.right', /expected an expression node: an object with one of the fields "num", "var", "neg", "op", "fn", got an object/],
  ];
  for (const [node, path, pattern] of bad) {
    test(`rejects ${JSON.stringify(node)} at ${path}`, () => {
      assertJsonError(() => exprFromJson(node), path, pattern);
    });
  }

  test('paths start from the given root', () => {
    assertJsonError(() => exprFromJson({ neg: { fn: 'sinh', arg: { num: 1 } } }, '$.expression'), '$.expression.neg.fn', /got the string "sinh"/);
  });
});

describe('json: expression document', () => {
  test('document fields, and text is print(e)', () => {
    const e = parse('x0 + 2 * sin(x1)');
    const doc = exprDocument(e);
    assert.equal(doc.format, 'sparselaw');
    assert.equal(doc.version, 1);
    assert.equal(doc.kind, 'expression');
    assert.deepEqual(doc.variables, ['x0', 'x1']);
    assert.equal(doc.text, 'x0 + 2 * sin(x1)');
  });

  test('a given variable list is kept (order and extra names), and must cover the expression', () => {
    assert.deepEqual(exprDocument(x0, ['x1', 'x0']).variables, ['x1', 'x0']);
    assert.throws(() => exprDocument(add(x0, x1), ['x0']), (e: unknown) => e instanceof ExprError && /lacks "x1"/.test(e.message));
    assert.throws(() => exprDocument(x0, ['x0', 'x0']), /"x0" twice/);
    assert.throws(() => exprDocument(x0, ['x0', 'cos']), /invalid name "cos"/);
  });

  test('loading what was saved gives an equal expression and the same variables', () => {
    fc.assert(
      fc.property(exprArb(), fc.boolean(), (e, extra) => {
        const vars = extra ? [...variablesOf(e), 'unused_input'] : undefined;
        const text = JSON.stringify(exprDocument(e, vars), null, 2);
        const loaded = loadExprDocument(parseJsonText(text, 'doc.json'), 'doc.json');
        return equals(loaded.expr, e) && JSON.stringify(loaded.variables) === JSON.stringify(vars ?? variablesOf(e));
      }),
      { numRuns: 300 },
    );
  });

  test('the text field is informational', () => {
    const doc = goodDoc();
    doc.text = 'something else entirely';
    assert.ok(equals(loadExprDocument(doc).expr, parse('x0 + 2 * sin(x1)')));
    delete doc.text;
    assert.ok(equals(loadExprDocument(doc).expr, parse('x0 + 2 * sin(x1)')));
  });

  const malformed: [string, (d: Record<string, unknown>) => unknown, string, RegExp][] = [
    ['not an object', () => [1, 2], '$', /expected an object, got an array/],
    ['wrong format', (d) => ({ ...d, format: 'sympy' }), '$.format', /expected "sparselaw", got the string "sympy": this is not a sparselaw document/],
    ['missing format', ({ format: _f, ...d }) => d, '$.format', /missing field/],
    ['version 2', (d) => ({ ...d, version: 2 }), '$.version', /unsupported version 2; this sparselaw reads version 1 \(the file was written by a newer sparselaw\)/],
    ['version 0', (d) => ({ ...d, version: 0 }), '$.version', /unsupported version 0/],
    ['version as a string', (d) => ({ ...d, version: '1' }), '$.version', /expected an integer/],
    ['wrong kind', (d) => ({ ...d, kind: 'law' }), '$.kind', /expected "expression", got "law"/],
    ['missing variables', ({ variables: _v, ...d }) => d, '$.variables', /missing field/],
    ['variables not an array', (d) => ({ ...d, variables: 'x0,x1' }), '$.variables', /expected an array/],
    ['variable not a string', (d) => ({ ...d, variables: ['x0', 1] }), '$.variables[1]', /expected a string, got the number 1/],
    ['variable listed twice', (d) => ({ ...d, variables: ['x0', 'x1', 'x0'] }), '$.variables[2]', /listed twice/],
    ['variable not listed', (d) => ({ ...d, variables: ['x0'] }), '$.expression.right.right.arg.var', /variable "x1" is not listed in \$\.variables \(it has x0\)/],
    ['empty variable list', (d) => ({ ...d, variables: [] }), '$.expression.left.var', /not listed .*\(it is empty\)/],
    ['missing expression', ({ expression: _e, ...d }) => d, '$.expression', /missing field/],
    ['unknown node', (d) => ({ ...d, expression: { mul: [1, 2] } }), '$.expression', /expected an expression node: an object with one of the fields "num", "var", "neg", "op", "fn", got an object/],
    ['unknown function', (d) => ({ ...d, expression: { fn: 'sinh', arg: { var: 'x0' } } }), '$.expression.fn', /expected a function: one of .*got the string "sinh"/],
    ['missing operand', (d) => ({ ...d, expression: { op: '*', left: { num: 2 } } }), '$.expression.right', /missing field/],
    ['NaN constant', (d) => ({ ...d, expression: { num: NaN } }), '$.expression.num', /expected a finite number, got NaN/],
    ['string constant', (d) => ({ ...d, expression: { op: '+', left: { num: '2' }, right: { var: 'x0' } } }), '$.expression.left.num', /expected a finite number/],
    ['negative constant', (d) => ({ ...d, expression: { num: -1 } }), '$.expression.num', /expected a number >= 0/],
    ['text not a string', (d) => ({ ...d, text: 3 }), '$.text', /expected a string/],
    ['unknown top-level field', (d) => ({ ...d, expresion: {} }), '$.expresion', /unexpected field/],
  ];
  for (const [what, mutate, path, pattern] of malformed) {
    test(`rejects: ${what}`, () => {
      const doc = mutate(goodDoc());
      assertJsonError(() => loadExprDocument(doc, 'law.json'), path, pattern, 'law.json');
      assertJsonError(() => loadExprDocument(doc), path, pattern);
    });
  }

  test('the full message names the file and the path', () => {
    const doc = { ...goodDoc(), expression: { op: '+', left: { num: 1 }, right: { fn: 'sinh', arg: { num: 1 } } } };
    assert.throws(() => loadExprDocument(doc, 'model.json'), {
      message: 'model.json: $.expression.right.fn: expected a function: one of sin, cos, tan, exp, log, sqrt, abs, tanh, sign, atan2, min, max, clip, got the string "sinh"',
    });
  });
});

describe('json: text', () => {
  test('valid text parses like JSON.parse, with or without a byte-order mark', () => {
    assert.deepEqual(parseJsonText('{"a": [1, 2.5e-3]}', 'f.json'), { a: [1, 2.5e-3] });
    assert.deepEqual(parseJsonText('\ufeff{"a": 1}', 'f.json'), { a: 1 });
  });

  const broken: [string, number, number, RegExp][] = [
    ['{"a": }', 1, 7, /unexpected "}"; expected a value/],
    ['{\n  "a": 1,\n  "b": tru\n}', 3, 8, /expected a value/],
    ['', 1, 1, /unexpected end of input/],
    ['{"a": 1', 1, 8, /unexpected end of input; expected "," or "}"/],
    ['[1, 2] x', 1, 8, /expected the end of the input/],
    ['{"a": NaN}', 1, 7, /unexpected "N"/],
    ['{"a": 1,}', 1, 9, /expected a property name in double quotes/],
    ["{'a': 1}", 1, 2, /expected a property name/],
    ['{"a": 01}', 1, 8, /unexpected "1"; expected "," or "}"/],
    ['{"a": 1.}', 1, 9, /expected a digit after "\."/],
    ['{"a": "x\ny"}', 1, 9, /control character/],
    ['{"a": "\\q"}', 1, 8, /invalid escape/],
    ['{"a": "abc', 1, 11, /unterminated string/],
    ['[1 2]', 1, 4, /expected "," or "\]"/],
  ];
  for (const [text, line, column, pattern] of broken) {
    test(`syntax error in ${JSON.stringify(text)} at line ${line}, column ${column}`, () => {
      const err = assertJsonError(() => parseJsonText(text, 'bad.json'), '', pattern, 'bad.json');
      assert.ok(err.message.startsWith(`bad.json: line ${line}, column ${column}: invalid JSON: `), err.message);
    });
  }

  test('the scanner accepts exactly what JSON.parse accepts', () => {
    const jsonish = fc.oneof(
      fc.json(),
      fc.json().map((s) => s.slice(0, Math.floor(s.length / 2))),
      fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', 'x', '-', '.', '\\', '\n', '01', 'e')).map(([s, p, ins]) => {
        const i = p % (s.length + 1);
        return s.slice(0, i) + ins + s.slice(i);
      }),
    );
    fc.assert(
      fc.property(jsonish, (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        return (locateJsonError(text) === undefined) === valid;
      }),
      { numRuns: 1000 },
    );
  });
});

describe('json: helpers used by other documents', () => {
  test('print of a loaded document equals its text', () => {
    const doc = goodDoc();
    assert.equal(print(loadExprDocument(doc).expr), doc.text);
  });

  test('errors are SparselawErrors with a path field', () => {
    const err = assertJsonError(() => exprFromJson({ neg: 5 }, '$.terms[0].expression'), '$.terms[0].expression.neg', /expected an object, got the number 5/);
    assert.equal(err.source, undefined);
    assert.equal(err.withSource('a.json').message, 'a.json: $.terms[0].expression.neg: expected an object, got the number 5');
  });
});
