import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lorenzTrajectory } from '../../src/systems/lorenz.js';
import { addRelativeNoise } from '../../src/systems/noise.js';
import { discoverWeak } from '../../src/models/weak.js';
import { continuousTimeData } from '../../src/models/continuous.js';
import { writeNumericCsv } from '../../src/data/csv.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const TRUE_TERMS: Record<string, number>[] = [
  { x: -10, y: 10 },
  { x: 28, y: -1, 'x * z': -1 },
  { 'x * y': 1, z: -8 / 3 },
];

function assertLorenz(outputs: { terms: { term: string; coefficient: number }[] }[], tolerance: number): void {
  outputs.forEach((o, k) => {
    const want = TRUE_TERMS[k]!;
    assert.deepEqual(o.terms.map((t) => t.term).sort(), Object.keys(want).sort(), `output ${k}`);
    for (const t of o.terms) assert.ok(Math.abs(t.coefficient / want[t.term]! - 1) < tolerance, `${t.term}: ${t.coefficient}`);
  });
}

test('weak form: the exact Lorenz law from clean and 1%-noise samples, no derivatives taken', () => {
  const { t, x, y, z } = lorenzTrajectory({ tEnd: 6 });
  for (const [level, tolerance] of [
    [0, 1e-3],
    [0.01, 0.02],
  ] as const) {
    const [nx, ny, nz] = addRelativeNoise([x, y, z], level, 3);
    const columns = new Map([
      ['t', t],
      ['x', nx!],
      ['y', ny!],
      ['z', nz!],
    ]);
    const { law } = discoverWeak({ columns, n: t.length, time: 't', inputs: ['x', 'y', 'z'], library: 'poly:2', lambda: 'auto', seed: 1 });
    assert.deepEqual(
      law.outputs.map((o) => o.name),
      ['x_dot', 'y_dot', 'z_dot'],
    );
    assertLorenz(law.outputs, tolerance);
  }
});

test('continuous-time data: derivatives per episode, ends trimmed, smoothed states, errors name the rows', () => {
  const { t, x } = lorenzTrajectory({ tEnd: 1 });
  const n = t.length;
  const episode = Float64Array.from({ length: 2 * n }, (_, i) => (i < n ? 0 : 1));
  const tt = new Float64Array(2 * n);
  tt.set(t);
  tt.set(t, n);
  const xx = new Float64Array(2 * n);
  xx.set(x);
  xx.set(x, n);
  const data = continuousTimeData(new Map([['t', tt], ['x', xx], ['episode', episode]]), 2 * n, 't', ['x'], 'finite-difference');
  assert.equal(data.n, 2 * n);
  // The time column restarts with the second episode: without the split this would be a negative step.
  assert.ok(Number.isFinite(data.columns.get('x_dot')![n]!));
  const smooth = continuousTimeData(new Map([['t', tt], ['x', xx], ['episode', episode]]), 2 * n, 't', ['x'], 'auto');
  assert.equal(smooth.n, 2 * n - 2 * (smooth.windows[0]! - 1));
  const bad = Float64Array.from(t);
  bad[10] = bad[9]!;
  assert.throws(() => continuousTimeData(new Map([['t', bad], ['x', x]]), n, 't', ['x'], 'finite-difference', 'd.csv'), /d\.csv: data rows 1-\d+: .*row 11/);
});

test('discover --time fits derivatives of the inputs from a CSV (auto and weak)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-time-'));
  try {
    const { t, x, y, z } = lorenzTrajectory({ tEnd: 5 });
    const file = join(dir, 'lorenz.csv');
    writeNumericCsv(file, ['t', 'x', 'y', 'z'], new Map([['t', t], ['x', x], ['y', y], ['z', z]]), t.length);
    for (const method of ['auto', 'weak']) {
      const r = spawnSync(process.execPath, [BIN, 'discover', file, '--inputs', 'x,y,z', '--time', 't', '--derivative', method, '--library', 'poly:2', '--digits', '4', '--out', join(dir, `${method}.json`)], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /x_dot = -(\(?10 \* x\)?) \+ 10 \* y\n/, method);
      assert.match(r.stdout, /y_dot = 28 \* x - y - x \* z\n/, method);
      assert.match(r.stdout, /z_dot = -(\(?2\.667 \* z\)?) \+ x \* y\n|z_dot = x \* y - 2\.667 \* z\n/, method);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
