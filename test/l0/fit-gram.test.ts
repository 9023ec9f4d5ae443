import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gramStats } from '../../src/l0/gram.js';
import { fitGram } from '../../src/l0/fit-gram.js';
import { lambdaPath } from '../../src/l0/lambda-path.js';
import { linearDependencies } from '../../src/l0/dependencies.js';
import { parseLibrarySpec, evaluateLibrary } from '../../src/library/index.js';
import { Pendulum } from '../../src/envs/pendulum/env.js';
import { collectRandomEpisodes } from '../../src/envs/collect.js';
import { discoverLaws } from '../../src/models/discover.js';
import { Rng } from '../../src/util/rng.js';

/** y = 2 x1 - 0.5 x3 (+ noise) over 8 standard-normal columns, 2 outputs (the second y = x0 x0-col). */
function synthetic(seed: number, n = 4000, noise = 0.01) {
  const p = 8;
  const m = 2;
  const rng = Rng.seeded(seed);
  const theta = Float64Array.from({ length: n * p }, () => rng.normal());
  const y = new Float64Array(n * m);
  for (let r = 0; r < n; r++) {
    y[r * m] = 2 * theta[r * p + 1]! - 0.5 * theta[r * p + 3]! + noise * rng.normal();
    y[r * m + 1] = 3 + 1.5 * theta[r * p + 6]! + noise * rng.normal();
  }
  return { theta, y, n, p, m };
}

test('fitGram recovers the support and debiased coefficients of a sparse linear law', () => {
  const { theta, y, n, p, m } = synthetic(1);
  // Column 0 becomes the constant term for the second output.
  for (let r = 0; r < n; r++) theta[r * p] = 1;
  const fit = fitGram(gramStats(theta, y, n, p, m), { lambda: 1e-3, seed: 5 });
  const support = (k: number) => [...Array(p).keys()].filter((j) => fit.support[j * m + k]);
  assert.deepEqual(support(0), [1, 3]);
  assert.deepEqual(support(1), [0, 6]);
  assert.ok(Math.abs(fit.coefficients[1 * m]! - 2) < 2e-3);
  assert.ok(Math.abs(fit.coefficients[3 * m]! + 0.5) < 2e-3);
  assert.ok(Math.abs(fit.coefficients[0 * m + 1]! - 3) < 2e-3);
  // Exported coefficients are exactly zero off the support, and every gate is 0 or 1 there.
  fit.coefficients.forEach((c, i) => assert.ok(fit.support[i] ? c !== 0 : c === 0));
  // Pruning during training: the active set shrinks.
  const first = fit.activeHistory[0]!.active;
  const last = fit.activeHistory.at(-1)!.active;
  assert.ok(last < first, `active terms ${first} -> ${last}`);
});

test('fitGram is deterministic for a seed', () => {
  const { theta, y, n, p, m } = synthetic(2, 1000, 0.3);
  const stats = gramStats(theta, y, n, p, m);
  const a = fitGram(stats, { lambda: 1e-2, seed: 9, steps: 300, polish: false });
  const b = fitGram(stats, { lambda: 1e-2, seed: 9, steps: 300, polish: false });
  assert.deepEqual(Array.from(a.coefficients), Array.from(b.coefficients));
  assert.deepEqual(Array.from(a.logAlpha), Array.from(b.logAlpha));
});

test('a larger lambda never keeps more terms on a clear-cut problem, and the path keeps every point', () => {
  const { theta, y, n, p, m } = synthetic(3, 3000, 0.05);
  const train = gramStats(theta.subarray(0, 2000 * p), y.subarray(0, 2000 * m), 2000, p, m);
  const valid = gramStats(theta.subarray(2000 * p), y.subarray(2000 * m), 1000, p, m);
  const path = lambdaPath(train, valid, { seed: 1, count: 8 });
  assert.equal(path.points.length, 8);
  const totals = path.points.map((pt) => pt.terms.reduce((s, t) => s + t, 0));
  for (let i = 1; i < totals.length; i++) assert.ok(totals[i]! <= totals[i - 1]!, `terms along the path: ${totals.join(' ')}`);
  // The selection picks the true 2-term laws, not the empty law at the top of the grid.
  assert.deepEqual(
    path.selected.map((s, k) => path.points[s]!.terms[k]),
    [2, 1],
  );
});

test('pendulum: the collinear degree-3 library yields exactly thetaDot + 0.73575 sin + 0.15 u', () => {
  const { columns, n } = collectRandomEpisodes(new Pendulum({ g: 9.81 }), { episodes: 60, seed: 4 });
  const { law } = discoverLaws({
    columns,
    n,
    inputs: ['cos_theta', 'sin_theta', 'theta_dot', 'torque'],
    targets: ['next_theta_dot'],
    library: 'poly:3',
    lambda: 'auto',
    seed: 2,
    lambdaCount: 12,
  });
  const terms = Object.fromEntries(law.outputs[0]!.terms.map((t) => [t.term, t.coefficient]));
  assert.deepEqual(Object.keys(terms).sort(), ['sin_theta', 'theta_dot', 'torque']);
  assert.ok(Math.abs(terms.sin_theta! / 0.73575 - 1) < 0.005, `sin coefficient ${terms.sin_theta}`);
  assert.ok(Math.abs(terms.theta_dot! - 1) < 0.005);
  assert.ok(Math.abs(terms.torque! / 0.15 - 1) < 0.005);
  assert.ok(law.warnings!.some((w) => w.includes('sin_theta^2 = 1 - cos_theta^2')), law.warnings!.join('\n'));
});

test('linearDependencies reports sin^2 = 1 - cos^2 and an all-zero column', () => {
  const n = 500;
  const rng = Rng.seeded(8);
  const th = Float64Array.from({ length: n }, () => rng.range(-Math.PI, Math.PI));
  const zero = new Float64Array(n);
  const lib = parseLibrarySpec('poly:2[c,s]+custom{z}', ['c', 's', 'z']);
  const columns = new Map([
    ['c', th.map(Math.cos)],
    ['s', th.map(Math.sin)],
    ['z', zero],
  ]);
  const t = evaluateLibrary(lib, columns, n);
  const deps = linearDependencies(gramStats(t.data, new Float64Array(n), n, t.p, 1), lib.names);
  const text = deps.map((d) => d.description);
  assert.ok(text.includes('s^2 = 1 - c^2'), text.join('; '));
  assert.ok(text.includes('z = 0 on all data'), text.join('; '));
  assert.equal(deps.length, 2);
});
