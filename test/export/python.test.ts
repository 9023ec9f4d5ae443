import { findNumpyPython } from '../../bench/reference/find-python.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { TEST_SEED } from '../support/seed.js';
import { exprArb, pointArb } from '../../src/verify/expr-arbitraries.js';
import { interpret } from '../../src/expr/interpret.js';
import { parse } from '../../src/expr/parse.js';
import { pythonModuleSource, pythonLawSource, pyExpr } from '../../src/export/python.js';
import { close } from '../support/tolerance.js';

const VARS = ['x0', 'x1', 'x2'];

/** A python3 with NumPy (`.ci/run` installs Debian's); the tests skip, saying so, without. */
const PYTHON = findNumpyPython();
function numpyPython(): boolean {
  return PYTHON !== null;
}
const SKIP = 'python3 with NumPy is not installed (apt-get install python3 python3-numpy)';

function runPython(dir: string, script: string): string {
  writeFileSync(join(dir, 'main.py'), script);
  const r = spawnSync(PYTHON!, [join(dir, 'main.py')], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const pyFloat = (v: number): string => (Number.isFinite(v) ? v.toPrecision(17) : Number.isNaN(v) ? 'float("nan")' : v > 0 ? 'float("inf")' : 'float("-inf")');

test('the Python module, run under NumPy, agrees with the interpreter on scalars and arrays', (t) => {
  if (!numpyPython()) return t.skip(SKIP);
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-py-'));
  try {
    const cases = fc.sample(fc.tuple(exprArb(), fc.array(pointArb(VARS), { minLength: 3, maxLength: 3 })), { numRuns: 60, seed: TEST_SEED });
    const lines = ['import json, numpy as np', 'results = []'];
    cases.forEach(([e, pts], k) => {
      writeFileSync(join(dir, `m${k}.py`), pythonModuleSource(e, VARS));
      lines.push(`import m${k}`);
      const col = (v: string): string => `np.array([${pts.map((p) => pyFloat(p[v]!)).join(', ')}])`;
      // Scalars one point at a time, then the three points as arrays, inputs by name.
      pts.forEach((p) => lines.push(`results.append(float(m${k}.law(${VARS.map((v) => `${v}=${pyFloat(p[v]!)}`).join(', ')})))`));
      lines.push(`results.extend(float(v) for v in m${k}.law(${VARS.map((v) => `${v}=${col(v)}`).join(', ')}))`);
    });
    lines.push('print(json.dumps([repr(v) for v in results]))');
    const got = (JSON.parse(runPython(dir, lines.join('\n'))) as string[]).map((s) => Number(s.replace(/^nan$/, 'NaN').replace(/^(-?)inf$/, '$1Infinity')));
    let i = 0;
    for (const [e, pts] of cases) {
      const want = pts.map((p) => interpret(e, p));
      for (const w of [...want, ...want]) {
        const g = got[i++]!;
        // pow(1, nan) is 1 in C and NumPy but NaN in JavaScript; otherwise non-finite values match.
        const ok = close(g, w, 1e-12, 1e-300) || (Number.isNaN(w) && !Number.isFinite(g)) || (Number.isNaN(w) && g === 1);
        assert.ok(ok, `python ${g} vs ${w} for ${pyExpr(e)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a law module broadcasts, keeps scalars scalar, and never raises on a domain error', (t) => {
  if (!numpyPython()) return t.skip(SKIP);
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-py-'));
  try {
    writeFileSync(
      join(dir, 'law.py'),
      pythonLawSource(['theta', 'lambda', 'u'], [
        { name: 'y', expr: parse('atan2(sin(theta), cos(theta))^2 + lambda') },
        { name: 'z', expr: parse('clip(u, -2, 2) + 1/0 * 0 + 3') },
        { name: 'w', expr: parse('2') },
      ]),
    );
    const out = runPython(
      dir,
      [
        'import numpy as np, law',
        'r = law.law(theta=np.array([0.5, -1.0]), lambda_=1.0, u=np.array([[3.0], [0.5]]))',
        'print(r["y"].shape, r["z"].shape, r["w"].shape)',
        's = law.law(0.5, 1.0, 3.0)',
        'print(type(s["y"]).__name__, repr(float(s["y"])), repr(float(s["w"])))',
        'print(np.isnan(law.law_z(0.0, 0.0, 1.0)))',
      ].join('\n'),
    );
    const [shapes, scalar, nan] = out.trim().split('\n');
    assert.equal(shapes, '(2, 2) (2, 2) (2, 2)');
    assert.equal(scalar, `float64 ${String(0.25 + 1)} 2.0`);
    assert.equal(nan, 'True');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Python names: keywords get a suffix, constants alone go through NumPy', () => {
  assert.match(pythonModuleSource(parse('lambda * 2'), ['lambda']), /def law\(lambda_\):/);
  assert.equal(pyExpr(parse('1/0 + (0-8)^0.5 * x')), '(np.divide(1.0, 0.0) + (np.power((0.0 - 8.0), 0.5) * x))');
  assert.throws(() => pythonModuleSource(parse('x + y'), ['x']), /variable y/);
});
