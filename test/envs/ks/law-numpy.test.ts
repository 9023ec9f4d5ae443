import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveLaw, type LawDocument } from '../../../src/export/law.js';
import { parse } from '../../../src/expr/parse.js';
import { evaluateKsPolicy } from '../../../src/envs/ks/env.js';
import { findNumpyPython } from '../../../bench/reference/numpy-ks.js';
import { NUMPY_KS_LAW_SCRIPT, compareLawWithNumpy } from '../../../bench/reference/numpy-ks-law.js';
import { ksLawPolicy } from '../../../src/envs/ks/agent-episodes.js';

const python = findNumpyPython();
const skip = python === null ? 'no python3 with numpy' : false;
const A = Array.from({ length: 8 }, (_, j) => `a${j + 1}`);

/**
 * A small law using every node type of the format (constants, -, *, /, ^, tanh, sin, exp, abs,
 * sqrt, and the functions of several arguments atan2, clip, max, with sign), inputs in a shuffled order and a subset of the sensors, outputs in another order.
 */
function tinyLaw(): LawDocument {
  const outputs = A.map((name, j) => {
    const m = `m${(j % 4) + 1}`;
    const text = `0.8 * tanh(-2.5 * ${m} + 0.3 * ${m}^2 / (1 + abs(mu)) - 1.7 * mu * ${m} + 0.1 * sin(m2) * exp(-sqrt(abs(m3))) + 0.05 * atan2(m1, 1 + m2^2) + 0.1 * clip(m4, -0.5, 0.5) - 0.02 * max(m1, m3) + 0.01 * sign(m2) - 0.05)`;
    return { name, expr: parse(text), terms: [] };
  });
  return { inputs: ['mu', 'm3', 'm1', 'm2', 'm4'], outputs: outputs.reverse() };
}

test('a law in the NumPy KS implementation gives sparselaw\'s return and field over a short episode', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-ksnp-'));
  try {
    const path = join(dir, 'law.json');
    const law = tinyLaw();
    saveLaw(path, law);
    const { rows } = compareLawWithNumpy(python!, path, [0.2, -0.25], 20);
    assert.equal(rows.length, 2);
    for (const r of rows) {
      assert.equal(r.steps, 20);
      // The solvers agree to ~1e-13 (docs/ks.md); over 20 steps nothing has room to grow.
      assert.ok(r.startDifference < 1e-9, `start ${r.startDifference}`);
      assert.ok(r.maxFieldDifference < 1e-9, `field ${r.maxFieldDifference}`);
      assert.equal(r.divergenceStep, null);
      assert.ok(r.exportVsTree < 1e-12, `export vs tree ${r.exportVsTree}`);
      assert.equal(r.sparselawStopped, null);
      assert.equal(r.numpyStopped, null);
      assert.ok(r.relativeDifference < 1e-10, `return ${r.relativeDifference}`);
      // sparselaw's side is the ordinary evaluation of the law.
      const own = evaluateKsPolicy(ksLawPolicy(law, path), r.mu, { episodeSteps: 20 });
      assert.equal(r.sparselawReturn, own.return);
    }
    // The law matters: a different law gives a different NumPy return.
    const other = { ...law, outputs: law.outputs.map((o) => ({ ...o, expr: parse('0') })) };
    saveLaw(path, other);
    const zero = compareLawWithNumpy(python!, path, [0.2], 20).rows[0]!;
    assert.ok(Math.abs(zero.numpyReturn - rows[0]!.numpyReturn) > 1);

  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the NumPy law evaluator refuses a law it cannot use, in one line', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-ksnp-'));
  try {
    const path = join(dir, 'law.json');
    saveLaw(path, { inputs: ['m1', 'x'], outputs: A.map((name) => ({ name, expr: parse('tanh(m1 + x)'), terms: [] })) });
    const module = join(dir, 'law_module.py');
    writeFileSync(module, 'def law(*args):\n    return {}\n');
    const r = spawnSync(python!, [NUMPY_KS_LAW_SCRIPT, path, module, '2', '0.1'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /input 'x' is not one of m1, .*, mu/);
    saveLaw(path, { inputs: ['m1'], outputs: A.slice(1).map((name) => ({ name, expr: parse('m1'), terms: [] })) });
    const missing = spawnSync(python!, [NUMPY_KS_LAW_SCRIPT, path, module, '2', '0.1'], { encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /the law has no output a1/);
    // sparselaw's own check comes first, naming the file.
    assert.throws(() => compareLawWithNumpy(python!, path, [0.1], 2), /law\.json: the law has no output "a1"/);
    // A module whose law lacks an output is refused too.
    const full = join(dir, 'full.json');
    saveLaw(full, { inputs: ['m1'], outputs: A.map((name) => ({ name, expr: parse('m1'), terms: [] })) });
    const empty = spawnSync(python!, [NUMPY_KS_LAW_SCRIPT, full, module, '2', '0.1'], { encoding: 'utf8' });
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /the exported module has no output a1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
