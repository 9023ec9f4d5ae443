import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseLibrarySpec, polynomial, fourier, evaluateLibrary, LibraryError, DataError } from '../../src/library/index.js';
import { interpret } from '../../src/expr/interpret.js';

const binomial = (n: number, k: number): number => (k === 0 ? 1 : (binomial(n, k - 1) * (n - k + 1)) / k);

test('polynomial libraries have the expected number of monomials', () => {
  const inputs = ['cos_theta', 'sin_theta', 'theta_dot', 'torque'];
  assert.equal(parseLibrarySpec('poly:3', inputs).terms.length, 35);
  assert.equal(parseLibrarySpec('poly:3:nobias', inputs).terms.length, 34);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (d, k) => {
      const names = ['a', 'b', 'c', 'd'].slice(0, k);
      assert.equal(polynomial(names, { degree: d }).terms.length, binomial(k + d, d));
    }),
  );
  // Interaction only: products of distinct inputs, x*y*z once, no powers.
  const inter = parseLibrarySpec('poly:3:interaction', ['x', 'y', 'z']);
  assert.deepEqual(inter.names, ['1', 'x', 'y', 'z', 'x * y', 'x * z', 'y * z', 'x * y * z']);
});

test('fourier libraries name their terms by the printed expressions, with cross terms on request', () => {
  const lib = parseLibrarySpec('fourier:2', ['x']);
  assert.deepEqual(lib.names, ['sin(x)', 'cos(x)', 'sin(2 * x)', 'cos(2 * x)']);
  const cross = fourier(['x', 'y'], { frequencies: 1, crossTerms: true });
  assert.equal(cross.terms.length, 4 + 6);
  assert.ok(cross.names.includes('sin(x) * cos(y)'), cross.names.join(', '));
});

test('concatenation with subsets and tensor products; duplicates are dropped', () => {
  const lib = parseLibrarySpec('poly:1[x]+poly:1[x,y]', ['x', 'y']);
  assert.deepEqual(lib.names, ['1', 'x', 'y']);
  const t = parseLibrarySpec('poly:1:nobias[x]*fourier:1[y]', ['x', 'y']);
  assert.deepEqual(t.names, ['sin(y) * x', 'cos(y) * x']);
});

test('custom terms are parsed with the declared inputs only', () => {
  const lib = parseLibrarySpec('custom{sin(x)*y; x^2}', ['x', 'y']);
  assert.deepEqual(lib.names, ['sin(x) * y', 'x^2']);
  assert.throws(() => parseLibrarySpec('custom{sin(w)}', ['x']), /w/);
});

test('bad specs name the problem and the column', () => {
  assert.throws(() => parseLibrarySpec('poly:', ['x']), (e: Error) => e instanceof LibraryError && /column 6/.test(e.message) && /integer/.test(e.message));
  assert.throws(() => parseLibrarySpec('poly:2[q]', ['x']), (e: Error) => e instanceof LibraryError && /q/.test(e.message));
  assert.throws(() => parseLibrarySpec('spline:3', ['x']), LibraryError);
  assert.throws(() => parseLibrarySpec('poly:2 junk', ['x']), LibraryError);
});

test('the library matrix from the compiled kernel equals the interpreter, term by term', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })), { minLength: 1, maxLength: 20 }), (rows) => {
      const lib = parseLibrarySpec('poly:3+fourier:2:cross', ['x', 'y']);
      const columns = { x: Float64Array.from(rows, (r) => r[0]), y: Float64Array.from(rows, (r) => r[1]) };
      const t = evaluateLibrary(lib, columns, rows.length);
      rows.forEach(([x, y], r) =>
        lib.terms.forEach((term, j) => {
          const want = interpret(term, { x, y });
          assert.ok(Math.abs(t.data[r * t.p + j]! - want) <= 1e-12 * Math.max(1, Math.abs(want)));
        }),
      );
    }),
    { numRuns: 100 },
  );
});

test('a missing input column or a non-finite library value is a DataError naming it', () => {
  const lib = parseLibrarySpec('custom{log(x)}', ['x']);
  assert.throws(() => evaluateLibrary(lib, { y: Float64Array.of(1) }, 1), (e: Error) => e instanceof DataError && /"x"/.test(e.message));
  assert.throws(() => evaluateLibrary(lib, { x: Float64Array.of(1, -1) }, 2), (e: Error) => e instanceof DataError && /log\(x\)/.test(e.message) && /row 2/.test(e.message));
});
