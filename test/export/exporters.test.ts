import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import '../support/seed.js';
import katex from 'katex';
import { exprArb, pointArb } from '../../src/verify/expr-arbitraries.js';
import { interpret } from '../../src/expr/interpret.js';
import { parse } from '../../src/expr/parse.js';
import { simplify } from '../../src/expr/simplify.js';
import { latex, latexEquation, latexName } from '../../src/export/latex.js';
import { jsModuleSource, jsLawModuleSource, jsFunction } from '../../src/export/js.js';
import { cSource, cLawSource } from '../../src/export/c.js';
import { close } from '../support/tolerance.js';

const VARS = ['x0', 'x1', 'x2'];

test('every generated LaTeX renders in KaTeX', () => {
  fc.assert(
    fc.property(exprArb({ variables: ['x0', 'theta_dot', 'cos_theta', 'mu'] }), fc.boolean(), (e, simp) => {
      const tex = latex(simp ? simplify(e) : e);
      katex.renderToString(tex, { throwOnError: true });
    }),
    { numRuns: 400 },
  );
});

test('LaTeX names, coefficients and structure', () => {
  assert.equal(latexName('x0'), 'x_{0}');
  assert.equal(latexName('theta'), '\\theta');
  assert.equal(latexName('theta_dot'), '\\theta_{\\mathrm{dot}}');
  assert.equal(latex(parse('1.5e-7 * x')), '1.5 \\cdot 10^{-7} \\, x');
  assert.equal(latex(parse('0.15 * u + sin(theta)')), '0.15 \\, u + \\sin\\left(\\theta\\right)');
  assert.equal(latex(parse('(a + b) / c')), '\\frac{a + b}{c}');
  assert.equal(latex(parse('-x^2')), '-x^{2}');
  assert.equal(latex(parse('(-x)^2')), '\\left(-x\\right)^{2}');
  assert.equal(latexEquation('y', parse('x')), 'y = x');
  assert.equal(latex(parse('0.123456789 * x'), { digits: 3 }), '0.123 \\, x');
});

test('the standalone JS module, imported from disk, agrees with the interpreter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-js-'));
  try {
    const samples = fc.sample(fc.tuple(exprArb(), pointArb(VARS)), { numRuns: 60, seed: 7 });
    for (const [k, [e, p]] of samples.entries()) {
      const file = join(dir, `m${k}.mjs`);
      writeFileSync(file, jsModuleSource(e, VARS));
      const mod = (await import(pathToFileURL(file).href)) as { default: (x: Record<string, number>) => number };
      const want = interpret(e, p);
      const got = mod.default(p);
      assert.ok(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)), `${got} vs ${want}`);
    }
    const law = join(dir, 'law.mjs');
    writeFileSync(
      law,
      jsLawModuleSource(['a', 'b'], [
        { name: 'y', expr: parse('a + 2 * b') },
        { name: 'z', expr: parse('sin(a) * b') },
      ]),
    );
    const mod = (await import(pathToFileURL(law).href)) as { default: (x: Record<string, number>) => Record<string, number> };
    assert.deepEqual(mod.default({ a: 1, b: 2 }), { y: 5, z: Math.sin(1) * 2 });
    assert.throws(() => mod.default({ a: 1 }), /input "b" must be a finite number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('jsFunction rejects a missing or non-finite input by name', () => {
  const f = jsFunction(parse('x + y'), ['x', 'y']);
  assert.throws(() => f({ x: 1 }), /input "y"/);
  assert.throws(() => f({ x: 1, y: NaN }), /input "y"/);
});

function haveCompiler(): boolean {
  return spawnSync('cc', ['--version']).status === 0;
}

test('the C export, compiled with the system compiler, agrees with the interpreter', (t) => {
  if (!haveCompiler()) {
    t.skip('no C compiler (cc) on this machine');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-c-'));
  try {
    const cases = fc.sample(fc.tuple(exprArb(), fc.array(pointArb(VARS), { minLength: 3, maxLength: 3 })), { numRuns: 40, seed: 11 });
    const parts: string[] = ['#include <stdio.h>', '#include <math.h>'];
    const calls: string[] = [];
    cases.forEach(([e], k) => parts.push(cSource(e, VARS, { name: `f${k}` }).replace('#include <math.h>', '')));
    cases.forEach(([, pts], k) =>
      pts.forEach((p) => calls.push(`  printf("%.17g\\n", f${k}(${VARS.map((v) => p[v]!.toPrecision(17)).join(', ')}));`)),
    );
    parts.push('int main(void) {', ...calls, '  return 0;', '}');
    writeFileSync(join(dir, 'main.c'), parts.join('\n'));
    execFileSync('cc', ['-std=c99', '-O0', '-o', join(dir, 'main'), join(dir, 'main.c'), '-lm']);
    const lines = execFileSync(join(dir, 'main')).toString().trim().split('\n');
    let i = 0;
    for (const [e, pts] of cases) {
      for (const p of pts) {
        const want = interpret(e, p);
        const got = Number(lines[i++]!.replace(/^-?nan$/i, 'NaN').replace(/^(-?)inf$/i, '$1Infinity'));
        assert.ok(close(got, want, 1e-12, 1e-300), `C ${got} vs ${want} for ${cSource(e, VARS)}`);
      }
    }
    // The multi-output law compiles too, and maps in[]/out[] by index.
    writeFileSync(
      join(dir, 'law.c'),
      cLawSource(['a', 'b'], [{ name: 'y', expr: parse('a / 2 + b') }]) +
        '\n#include <stdio.h>\nint main(void) { double in[2] = {1, 3}; double out[1]; law(in, out); printf("%.17g\\n", out[0]); return 0; }\n',
    );
    execFileSync('cc', ['-std=c99', '-Wall', '-Werror', '-o', join(dir, 'law'), join(dir, 'law.c'), '-lm']);
    assert.equal(Number(execFileSync(join(dir, 'law')).toString()), 3.5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
