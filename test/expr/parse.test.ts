import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../support/seed.js';
import { type Expr, add, bin, call, div, equals, mul, neg, num, pow, sub, variable } from '../../src/expr/ast.js';
import { ParseError, parse } from '../../src/expr/parse.js';
import { print } from '../../src/expr/print.js';
import { SparselawError } from '../../src/errors.js';
import { exprArb } from '../../src/verify/expr-arbitraries.js';

const x = variable('x');
const y = variable('y');
const a = variable('a');
const b = variable('b');
const c = variable('c');

function assertParses(text: string, expected: Expr): void {
  const got = parse(text);
  assert.ok(equals(got, expected), `${JSON.stringify(text)} parsed as ${print(got)}, expected ${print(expected)}`);
}

/** Asserts a ParseError at the position, whose problem matches every pattern. */
function assertParseError(text: string, line: number, column: number, ...patterns: RegExp[]): ParseError {
  let caught: unknown;
  try {
    parse(text);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ParseError, `${JSON.stringify(text)} should fail with a ParseError, got ${String(caught)}`);
  assert.ok(caught instanceof SparselawError);
  assert.deepEqual([caught.line, caught.column], [line, column], `position of the error in ${JSON.stringify(text)}: ${caught.message}`);
  assert.ok(caught.message.startsWith(`line ${line}, column ${column}: `), caught.message);
  for (const p of patterns) assert.match(caught.problem, p);
  return caught;
}

describe('parse: precedence and associativity', () => {
  const cases: [string, Expr][] = [
    ['-x^2', neg(pow(x, num(2)))],
    ['(-x)^2', pow(neg(x), num(2))],
    ['2^-x', pow(num(2), neg(x))],
    ['2^-x^2', pow(num(2), neg(pow(x, num(2))))],
    ['2^--x', pow(num(2), neg(neg(x)))],
    ['a-b-c', sub(sub(a, b), c)],
    ['a-(b-c)', sub(a, sub(b, c))],
    ['a/b/c', div(div(a, b), c)],
    ['a/b*c', mul(div(a, b), c)],
    ['a/(b*c)', div(a, mul(b, c))],
    ['a^b^c', pow(a, pow(b, c))],
    ['(a^b)^c', pow(pow(a, b), c)],
    ['a+b*c', add(a, mul(b, c))],
    ['a*b+c', add(mul(a, b), c)],
    ['a*b^c', mul(a, pow(b, c))],
    ['-a*b', mul(neg(a), b)],
    ['-a+b', add(neg(a), b)],
    ['a*-b', mul(a, neg(b))],
    ['a - -b', sub(a, neg(b))],
    ['a+-b', add(a, neg(b))],
    ['--x', neg(neg(x))],
    ['-(a*b)', neg(mul(a, b))],
    ['-sin(x)^2', neg(pow(call('sin', x), num(2)))],
    ['sin(x)^2', pow(call('sin', x), num(2))],
    ['sin(x + y)', call('sin', add(x, y))],
    ['tanh(exp(-x))', call('tanh', call('exp', neg(x)))],
    ['((x))', x],
    ['-2', neg(num(2))],
    ['x^-1', pow(x, neg(num(1)))],
  ];
  for (const [text, expected] of cases) test(text, () => assertParses(text, expected));

  test('every function in FUNCTIONS is callable', () => {
    for (const fn of ['sin', 'cos', 'tan', 'exp', 'log', 'sqrt', 'abs', 'tanh'] as const) assertParses(`${fn}(x)`, call(fn, x));
  });
});

describe('parse: numbers, names, whitespace', () => {
  const numbers: [string, number][] = [
    ['0', 0],
    ['42', 42],
    ['3.25', 3.25],
    ['.5', 0.5],
    ['5.', 5],
    ['1e-7', 1e-7],
    ['2.5E+3', 2500],
    ['1.5e21', 1.5e21],
    ['1.5e+21', 1.5e21],
    ['.5e1', 5],
    ['0.1', 0.1],
    ['1e-400', 0],
  ];
  for (const [text, value] of numbers) test(`number ${text}`, () => assertParses(text, num(value)));

  test('names with letters, digits and underscores', () => {
    assertParses('_a1 + theta_dot + X9', add(add(variable('_a1'), variable('theta_dot')), variable('X9')));
    // A name that merely starts like a function is a variable.
    assertParses('sine * expo', mul(variable('sine'), variable('expo')));
  });

  test('whitespace anywhere, including newlines and tabs', () => {
    assertParses(' \n\tsin ( x )\r\n *\n-\ty ^ 2 ', mul(call('sin', x), neg(pow(y, num(2)))));
  });

  test('literals never come out negative', () => {
    const e = parse('-3');
    assert.equal(e.type, 'neg');
  });
});

describe('parse: errors', () => {
  test('unexpected token, with line, column, expected items and a caret', () => {
    const err = assertParseError('1 + )', 1, 5, /^unexpected "\)"; expected a number, a variable, a function call, "\(" or "-"$/);
    assert.equal(err.message, 'line 1, column 5: unexpected ")"; expected a number, a variable, a function call, "(" or "-"\n  1 + )\n      ^');
  });

  test('errors on later lines report that line and show it', () => {
    const err = assertParseError('x0 +\n  2 ** x1', 2, 6, /unexpected "\*"/, /powers are written with "\^"/);
    assert.match(err.message, /\n {4}2 \*\* x1\n {7}\^$/);
  });

  test('the caret keeps tabs so it lines up', () => {
    const err = assertParseError('\tx +\t)', 1, 6);
    assert.ok(err.message.endsWith('\n  \tx +\t)\n  \t   \t^'), JSON.stringify(err.message));
  });

  test('source name prefixes the message', () => {
    assert.throws(() => parse('x +', { source: 'law.txt' }), (e: unknown) => e instanceof ParseError && e.message.startsWith('law.txt: line 1, column 4: unexpected end of input'));
  });

  test('unexpected end of input is reported as such, with what was expected', () => {
    assertParseError('x +', 1, 4, /^unexpected end of input; expected a number, a variable, a function call, "\(" or "-"$/);
    assertParseError('x +\n\n', 1, 4, /^unexpected end of input/);
    assertParseError('(x', 1, 3, /^unexpected end of input; expected "\+", "-", "\*", "\/", "\^" or "\)"$/);
    assertParseError('sin(x', 1, 6, /^unexpected end of input; expected .*"\)"$/);
    assertParseError('sin', 1, 4, /^unexpected end of input; expected "\("; a function's argument goes in parentheses/);
  });

  test('empty input', () => {
    assertParseError('', 1, 1, /^empty expression/);
    assertParseError('  \n ', 1, 1, /^empty expression/);
  });

  test('implicit multiplication is rejected', () => {
    assertParseError('2x', 1, 2, /unexpected variable "x"; expected "\+", "-", "\*", "\/", "\^" or the end of the input/, /implicit multiplication/);
    assertParseError('2 x', 1, 3, /implicit multiplication/);
    assertParseError('x y', 1, 3, /unexpected variable "y"/, /implicit multiplication/);
    assertParseError('(a)(b)', 1, 4, /unexpected "\("/, /implicit multiplication/);
    assertParseError('2 sin(x)', 1, 3, /unexpected function name "sin"/, /implicit multiplication/);
    assertParseError('x (y)', 1, 3, /implicit multiplication/);
    assertParseError('2 3', 1, 3, /unexpected number 3/);
  });

  test('unknown function is named at its position', () => {
    assertParseError('x + sinh(x)', 1, 5, /^unknown function "sinh"; the functions are sin, cos, tan, exp, log, sqrt, abs, tanh, sign, atan2, min, max, clip$/);
    assertParseError('f(1)', 1, 1, /unknown function "f"/);
  });

  test('a function name is not a variable', () => {
    assertParseError('sin + 1', 1, 5, /unexpected "\+"; expected "\("/, /sin\(x\)/);
    assertParseError('sin x', 1, 5, /unexpected variable "x"; expected "\("/);
  });

  test('bad numbers', () => {
    assertParseError('1e', 1, 1, /malformed number "1e"/);
    assertParseError('x + 2.5e+', 1, 5, /malformed number "2.5e\+"/);
    assertParseError('1ex', 1, 1, /malformed number "1ex"/);
    assertParseError('1.2.3', 1, 4, /unexpected "\." after the number 1.2/);
    assertParseError('1e400', 1, 1, /too large/);
  });

  test('unexpected characters', () => {
    assertParseError('x $ y', 1, 3, /^unexpected character "\$"$/);
    assertParseError('x = 1', 1, 3, /unexpected character "="/);
    assertParseError('x + π', 1, 5, /unexpected character "π"/);
    assertParseError('.', 1, 1, /unexpected character "\."/);
  });

  test('undeclared variables are named along with the declared ones', () => {
    assert.ok(equals(parse('x0 + x1', { variables: ['x0', 'x1'] }), add(variable('x0'), variable('x1'))));
    let err: unknown;
    try {
      parse('x0 +\n 2 * x3', { variables: ['x0', 'x1', 'x2'] });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ParseError);
    assert.equal(err.problem, 'unknown variable "x3"; the declared variables are x0, x1, x2');
    assert.deepEqual([err.line, err.column], [2, 6]);
    assert.throws(() => parse('y', { variables: [] }), /no variables are declared/);
  });

  test('syntax errors come before variable checks, and the leftmost error wins', () => {
    assert.throws(() => parse('zz +', { variables: ['x'] }), /unexpected end of input/);
    assertParseError('1 + + sinh(x) $', 1, 5, /unexpected "\+"/);
  });
});

describe('parse: properties', () => {
  test('parse(print(e)) equals e', () => {
    fc.assert(
      fc.property(exprArb(), (e) => equals(parse(print(e)), e)),
      { numRuns: 500 },
    );
  });

  test('whitespace between tokens does not matter (removed or widened)', () => {
    const spaces = fc.array(fc.constantFrom(' ', '\n', '\t', '\r\n', '  '), { maxLength: 3 }).map((s) => s.join(''));
    fc.assert(
      fc.property(exprArb({ maxDepth: 4 }), fc.infiniteStream(spaces), (e, ws) => {
        const printed = print(e);
        const squeezed = printed.replace(/ /g, '');
        // Re-space by inserting whitespace at every existing space and around every parenthesis.
        const widened = printed.replace(/ |(?=[()])/g, () => ` ${ws.next().value}`);
        return equals(parse(squeezed), e) && equals(parse(widened), e);
      }),
      { numRuns: 300 },
    );
  });

  test('declared variables: parse succeeds exactly when all used names are declared', () => {
    fc.assert(
      fc.property(exprArb({ variables: ['x0', 'x1', 'x2'] }), fc.subarray(['x0', 'x1', 'x2']), (e, declared) => {
        const text = print(e);
        const used = ['x0', 'x1', 'x2'].filter((v) => new RegExp(`\\b${v}\\b`).test(text));
        const ok = used.every((v) => declared.includes(v));
        try {
          parse(text, { variables: declared });
          return ok;
        } catch (err) {
          return !ok && err instanceof ParseError && /unknown variable/.test(err.problem);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('a random edit gives a tree or a ParseError, never another kind of error', () => {
    const alphabet = fc.constantFrom('x', '1', '.', 'e', '+', '-', '*', '/', '^', '(', ')', ' ', 'sin', '$', '\n');
    fc.assert(
      fc.property(exprArb({ maxDepth: 3 }), fc.nat(), fc.nat(2), alphabet, (e, pos, deleteCount, insert) => {
        const text = print(e);
        const p = pos % (text.length + 1);
        const edited = text.slice(0, p) + insert + text.slice(p + deleteCount);
        try {
          parse(edited);
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
          assert.ok(err.line >= 1 && err.column >= 1);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('binary trees built directly agree with the parser on operator strings', () => {
    // Left-associative chains of mixed + - and * / must parse as left-folded trees.
    const opsArb = fc.array(fc.tuple(fc.constantFrom('+', '-', '*', '/') as fc.Arbitrary<'+' | '-' | '*' | '/'>, fc.nat(9)), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.nat(9), opsArb, (first, rest) => {
        const sameLevel = rest.every(([op]) => op === '+' || op === '-') || rest.every(([op]) => op === '*' || op === '/');
        fc.pre(sameLevel);
        const text = `${first}${rest.map(([op, n]) => ` ${op} ${n}`).join('')}`;
        const expected = rest.reduce<Expr>((acc, [op, n]) => bin(op, acc, num(n)), num(first));
        return equals(parse(text), expected);
      }),
      { numRuns: 300 },
    );
  });
});
