import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type BinaryOp, type Expr, bin, equals, neg, variable } from '../../src/expr/ast.js';
import { parse } from '../../src/expr/parse.js';
import { ATOM, BINARY, NEG_OPERAND, UNARY, level } from '../../src/expr/precedence.js';

/**
 * The printers' precedence table against the parser compiled from grammar/expr.ne: for every pair of
 * operators, text written without parentheses must parse the way the table's levels and operand
 * rules say it does.
 */
const OPS = Object.keys(BINARY) as BinaryOp[];
const [a, b, c] = ['a', 'b', 'c'].map((n) => variable(n)) as [Expr, Expr, Expr];
const text = (op: BinaryOp): string => (op === '^' ? '^' : ` ${op} `);

test('a op1 b op2 c groups as the precedence table says', () => {
  for (const p of OPS) {
    for (const q of OPS) {
      const parsed = parse(`a${text(p)}b${text(q)}c`);
      const leftGrouped = bin(q, bin(p, a, b), c);
      const rightGrouped = bin(p, a, bin(q, b, c));
      // Left grouping is what the grammar reads when (a p b) may stand bare as q's left operand and
      // c cannot be pulled under p; otherwise b q c binds first.
      const leftOk = BINARY[p].level >= BINARY[q].left;
      const rightOk = BINARY[q].level >= BINARY[p].right;
      const want = leftOk && !(rightOk && BINARY[q].level > BINARY[p].level) && !(p === q && p === '^') ? leftGrouped : rightGrouped;
      assert.ok(equals(parsed, want), `a ${p} b ${q} c`);
    }
  }
});

test('unary minus sits between products and powers, as the table says', () => {
  assert.ok(equals(parse('-a^b'), neg(bin('^', a, b))));
  assert.ok(equals(parse('-a*b'), bin('*', neg(a), b)));
  assert.ok(equals(parse('a^-b'), bin('^', a, neg(b))));
  assert.ok(equals(parse('a*-b'), bin('*', a, neg(b))));
  assert.equal(NEG_OPERAND, UNARY);
  assert.ok(BINARY['^'].level > UNARY && UNARY > BINARY['*'].level && BINARY['*'].level > BINARY['+'].level);
  assert.equal(BINARY['^'].left, ATOM);
  for (const op of OPS) assert.equal(level(bin(op, a, c)), BINARY[op].level);
});
