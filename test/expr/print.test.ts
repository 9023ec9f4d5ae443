import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../support/seed.js';
import * as math from 'mathjs';
import { type Expr, add, bin, call, div, equals, isFnName, mul, neg, num, pow, sub, variable } from '../../src/expr/ast.js';
import { ParseError, parse } from '../../src/expr/parse.js';
import { print } from '../../src/expr/print.js';
import { exprArb } from '../../src/verify/expr-arbitraries.js';

const x = variable('x');
const y = variable('y');
const a = variable('a');
const b = variable('b');
const c = variable('c');

describe('print: known trees', () => {
  const cases: [Expr, string][] = [
    [neg(pow(x, num(2))), '-x^2'],
    [pow(neg(x), num(2)), '(-x)^2'],
    [pow(num(2), neg(x)), '2^-x'],
    [pow(x, neg(y)), 'x^-y'],
    [neg(neg(x)), '--x'],
    [sub(a, neg(b)), 'a - -b'],
    [add(a, neg(b)), 'a + -b'],
    [sub(sub(a, b), c), 'a - b - c'],
    [sub(a, sub(b, c)), 'a - (b - c)'],
    [sub(a, add(b, c)), 'a - (b + c)'],
    [add(a, add(b, c)), 'a + (b + c)'],
    [div(a, mul(b, c)), 'a / (b * c)'],
    [div(mul(a, b), c), 'a * b / c'],
    [mul(a, div(b, c)), 'a * (b / c)'],
    [pow(pow(a, b), c), '(a^b)^c'],
    [pow(a, pow(b, c)), 'a^b^c'],
    [mul(a, neg(b)), 'a * -b'],
    [mul(neg(a), b), '-a * b'],
    [neg(mul(a, b)), '-(a * b)'],
    [neg(add(a, b)), '-(a + b)'],
    [mul(add(a, b), c), '(a + b) * c'],
    [pow(mul(a, b), c), '(a * b)^c'],
    [pow(a, mul(b, c)), 'a^(b * c)'],
    [pow(a, neg(pow(b, c))), 'a^-b^c'],
    [pow(call('sin', x), num(2)), 'sin(x)^2'],
    [call('sin', add(x, y)), 'sin(x + y)'],
    [neg(call('exp', neg(x))), '-exp(-x)'],
    [add(variable('x0'), mul(num(2), variable('x1'))), 'x0 + 2 * x1'],
    [num(1e-7), '1e-7'],
    [num(1.5e21), '1.5e+21'],
    [num(0.1), '0.1'],
    [num(-2.5), '-2.5'],
    [num(-0), '0'],
    [pow(num(1e-7), num(2)), '1e-7^2'],
    [pow(x, num(2.5e-12)), 'x^2.5e-12'],
  ];
  for (const [e, expected] of cases) {
    test(expected, () => {
      assert.equal(print(e), expected);
      assert.ok(equals(parse(expected), e));
    });
  }
});

/** The spans of parentheses that are grouping (not the parentheses of a function call). */
function groupingParens(text: string): [number, number][] {
  const open: { at: number; call: boolean }[] = [];
  const pairs: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') {
      const name = /[A-Za-z_][A-Za-z0-9_]*$/.exec(text.slice(0, i));
      open.push({ at: i, call: name !== null && isFnName(name[0]) });
    } else if (text[i] === ')') {
      const o = open.pop()!;
      if (!o.call) pairs.push([o.at, i]);
    }
  }
  return pairs;
}

/** mathjs's parse tree of the printed text, mapped to our AST (parentheses dropped). */
function fromMathjs(node: math.MathNode): Expr {
  if (node.type === 'ParenthesisNode') return fromMathjs((node as math.ParenthesisNode).content);
  if (node.type === 'ConstantNode') return num((node as math.ConstantNode).value as number);
  if (node.type === 'SymbolNode') return variable((node as math.SymbolNode).name);
  if (node.type === 'FunctionNode') {
    const f = node as math.FunctionNode;
    const name = f.fn.name;
    assert.ok(isFnName(name), `unexpected mathjs function ${name}`);
    return call(name, ...f.args.map(fromMathjs));
  }
  if (node.type === 'OperatorNode') {
    const o = node as math.OperatorNode;
    const args = o.args.map(fromMathjs);
    if (o.fn === 'unaryMinus') return neg(args[0]!);
    const ops: Record<string, '+' | '-' | '*' | '/' | '^'> = { add: '+', subtract: '-', multiply: '*', divide: '/', pow: '^' };
    const op = ops[o.fn];
    assert.ok(op !== undefined && args.length === 2, `unexpected mathjs operator ${o.fn}`);
    return bin(op, args[0]!, args[1]!);
  }
  throw new Error(`unexpected mathjs node ${node.type}`);
}

describe('print: properties', () => {
  test('parse(print(e)) equals e, with odd trees weighted in', () => {
    const odd = exprArb({ ops: ['-', '/', '^'], maxDepth: 5 });
    fc.assert(
      fc.property(fc.oneof(exprArb(), odd), (e) => equals(parse(print(e)), e)),
      { numRuns: 500 },
    );
  });

  test('no parenthesis pair can be dropped: the printed text is minimal', () => {
    fc.assert(
      fc.property(exprArb({ maxDepth: 5 }), (e) => {
        const text = print(e);
        for (const [open, close] of groupingParens(text)) {
          const dropped = text.slice(0, open) + text.slice(open + 1, close) + text.slice(close + 1);
          let same = false;
          try {
            same = equals(parse(dropped), e);
          } catch (err) {
            if (!(err instanceof ParseError)) throw err;
          }
          assert.ok(!same, `parentheses at ${open} in ${JSON.stringify(text)} are redundant`);
        }
      }),
      { numRuns: 400 },
    );
  });

  test('mathjs reads the printed text as the same tree', () => {
    // Names that mathjs treats as constants or units (e, pi, i) are avoided on purpose.
    fc.assert(
      fc.property(exprArb({ variables: ['x0', 'x1', 'theta_dot'] }), (e) => equals(fromMathjs(math.parse(print(e))), e)),
      { numRuns: 300 },
    );
  });

  test('printing is deterministic and only uses the documented spacing', () => {
    fc.assert(
      fc.property(exprArb(), (e) => {
        const text = print(e);
        assert.equal(print(parse(text)), text);
        assert.doesNotMatch(text, / \^|\^ |\( | \)|  /);
        // Binary + * / have a space on each side (numbers are masked: 1.5e+21 has a bare "+").
        const masked = text.replace(/(?<![A-Za-z0-9_])(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/g, 'N');
        assert.doesNotMatch(masked, /[A-Za-z0-9_.)][+*/]|[+*/][A-Za-z0-9_.(-]/);
      }),
      { numRuns: 300 },
    );
  });
});
