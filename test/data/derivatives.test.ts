import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  finiteDifference,
  savitzkyGolay,
  savitzkyGolaySmooth,
  estimateDerivative,
  estimateNoise,
  chooseWindow,
  smoothedDerivatives,
} from '../../src/data/derivatives.js';
import { SparselawError } from '../../src/errors.js';
import { lorenzTrajectory, lorenzRhs, lorenzTrueTerms } from '../../src/systems/lorenz.js';
import { sampleTrajectory } from '../../src/systems/rk4.js';
import { addRelativeNoise } from '../../src/systems/noise.js';
import { discoverLaws } from '../../src/models/discover.js';
import { Rng } from '../../src/util/rng.js';

const grid = (n: number, h: number, t0 = 0) => Float64Array.from({ length: n }, (_, i) => t0 + i * h);
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>, from = 0, to = a.length) => {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};
const rms = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s / a.length);
};

/** Strictly increasing grids with random spacings (non-uniform on purpose). */
const randomGrid = (minPoints: number) =>
  fc
    .record({
      t0: fc.double({ min: -5, max: 5, noNaN: true }),
      steps: fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: minPoints - 1, maxLength: 40 }),
    })
    .map(({ t0, steps }) => {
      const t = new Float64Array(steps.length + 1);
      t[0] = t0;
      steps.forEach((h, i) => (t[i + 1] = t[i]! + h));
      return t;
    });
const coefficient = fc.double({ min: -10, max: 10, noNaN: true });

test('finite differences are exact for quadratics on any strictly increasing grid, ends included', () => {
  fc.assert(
    fc.property(randomGrid(3), coefficient, coefficient, coefficient, (t, a, b, c) => {
      const x = Float64Array.from(t, (s) => a + b * s + c * s * s);
      const d = finiteDifference(t, x);
      t.forEach((s, i) => {
        const exact = b + 2 * c * s;
        // Rounding: values up to ~1e3 divided by spacings >= 0.1.
        assert.ok(Math.abs(d[i]! - exact) <= 1e-9 * (1 + Math.abs(a) + Math.abs(b) * 20 + Math.abs(c) * 400), `row ${i}: ${d[i]} vs ${exact}`);
      });
    }),
  );
});

test('Savitzky-Golay of order 3 is exact for cubics, uniform or not, at the shifted ends too', () => {
  fc.assert(
    fc.property(randomGrid(9), fc.array(coefficient, { minLength: 4, maxLength: 4 }), fc.constantFrom(5, 7, 9), (t, [a, b, c, e], window) => {
      const x = Float64Array.from(t, (s) => a! + b! * s + c! * s * s + e! * s ** 3);
      const d = savitzkyGolay(t, x, { window, order: 3 });
      const v = savitzkyGolaySmooth(t, x, { window, order: 3 });
      const scale = 1 + Math.abs(a!) + Math.abs(b!) * 50 + Math.abs(c!) * 2500 + Math.abs(e!) * 125000;
      t.forEach((s, i) => {
        assert.ok(Math.abs(d[i]! - (b! + 2 * c! * s + 3 * e! * s * s)) <= 1e-8 * scale, `derivative at row ${i}`);
        assert.ok(Math.abs(v[i]! - x[i]!) <= 1e-10 * scale, `value at row ${i}`);
      });
    }),
    { numRuns: 200 },
  );
  // Uniform grid (shared weights) with a large offset in t.
  const t = grid(50, 0.1, 1000);
  const x = Float64Array.from(t, (s) => 2 - (s - 1002) + 0.5 * (s - 1002) ** 2 - 0.25 * (s - 1002) ** 3);
  const exact = Float64Array.from(t, (s) => -1 + (s - 1002) - 0.75 * (s - 1002) ** 2);
  assert.ok(maxAbs(savitzkyGolay(t, x, { window: 11, order: 3 }), exact) < 1e-9);
});

test('convergence on sin: finite differences are second order, centred Savitzky-Golay (order 3) fourth order', () => {
  const errors = (h: number) => {
    const t = grid(Math.round(2 / h) + 1, h);
    const x = t.map(Math.sin);
    const exact = t.map(Math.cos);
    const fd = finiteDifference(t, x);
    const sg = savitzkyGolay(t, x, { window: 7, order: 3 });
    return { fd: maxAbs(fd, exact), sgInterior: maxAbs(sg, exact, 3, t.length - 3), sg: maxAbs(sg, exact) };
  };
  const coarse = errors(0.02);
  const fine = errors(0.01);
  const order = (a: number, b: number) => Math.log2(a / b);
  assert.ok(Math.abs(order(coarse.fd, fine.fd) - 2) < 0.15, `finite-difference order ${order(coarse.fd, fine.fd)}`);
  assert.ok(Math.abs(order(coarse.sgInterior, fine.sgInterior) - 4) < 0.2, `Savitzky-Golay interior order ${order(coarse.sgInterior, fine.sgInterior)}`);
  // The shifted end windows lose the symmetry: third order there.
  assert.ok(order(coarse.sg, fine.sg) > 2.8, `Savitzky-Golay order with ends ${order(coarse.sg, fine.sg)}`);
});

test('on noisy sin the automatic Savitzky-Golay derivative is far more accurate than finite differences', () => {
  const t = grid(2001, 0.005);
  const rng = Rng.seeded(7);
  const x = t.map((s) => Math.sin(3 * s) + 0.01 * rng.normal());
  const exact = t.map((s) => 3 * Math.cos(3 * s));
  const fd = rms(finiteDifference(t, x), exact);
  const auto = rms(estimateDerivative(t, x, 'auto'), exact);
  const fixed = rms(estimateDerivative(t, x, 'savitzky-golay', { window: 21 }), exact);
  assert.ok(fixed < fd / 3, `window 21: ${fixed} vs finite differences ${fd}`);
  assert.ok(auto < fd / 20, `auto: ${auto} vs finite differences ${fd}`);
  assert.ok(auto < fixed, `auto: ${auto} vs window 21: ${fixed}`);
});

test('the automatic window grows with the noise, and the noise estimate is close to the truth', () => {
  const t = grid(4001, 0.0025);
  const clean = t.map((s) => Math.sin(2 * s) + 0.3 * Math.cos(5 * s));
  assert.equal(chooseWindow(t, clean).window, 5);
  const windows = [0.001, 0.01, 0.1].map((sigma) => {
    const rng = Rng.seeded(3);
    const x = clean.map((v) => v + sigma * rng.normal());
    const noise = estimateNoise(x);
    assert.ok(Math.abs(noise / sigma - 1) < 0.1, `noise ${noise} vs ${sigma}`);
    return chooseWindow(t, x).window;
  });
  assert.ok(windows[0]! < windows[1]! && windows[1]! < windows[2]!, `windows ${windows}`);
});

test('bad input is a SparselawError that names the row', () => {
  const x = new Float64Array([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  const fails = (f: () => unknown, pattern: RegExp) =>
    assert.throws(f, (err: unknown) => err instanceof SparselawError && pattern.test(err.message), String(pattern));
  const repeated = new Float64Array([0, 1, 2, 2, 3, 4, 5, 6, 7]);
  const decreasing = new Float64Array([0, 1, 2, 3, 4, 3.5, 5, 6, 7]);
  for (const method of ['finite-difference', 'savitzky-golay', 'auto'] as const) {
    fails(() => estimateDerivative(repeated, x, method, { window: 5 }), /not strictly increasing at row 4 \(t = 2 after 2 at row 3\)/);
    fails(() => estimateDerivative(decreasing, x, method, { window: 5 }), /not strictly increasing at row 6/);
    fails(() => estimateDerivative(grid(9, 1).map((v, i) => (i === 6 ? NaN : v)), x, method, { window: 5 }), /time is NaN at row 7/);
    fails(() => estimateDerivative(grid(9, 1), x.map((v, i) => (i === 2 ? Infinity : v)), method, { window: 5 }), /series is Infinity at row 3/);
    fails(() => estimateDerivative(grid(8, 1), x, method, { window: 5 }), /time has 8 samples but the series has 9/);
  }
  fails(() => savitzkyGolay(grid(9, 1), x, { window: 21 }), /window of 21 samples needs at least 21 samples, got 9/);
  fails(() => savitzkyGolay(grid(9, 1), x, { window: 6 }), /odd integer, got 6/);
  fails(() => savitzkyGolay(grid(9, 1), x, { window: 5, order: 4 }), /exceed the order/);
  fails(() => finiteDifference(grid(2, 1), x.subarray(0, 2)), /at least 3 samples, got 2/);
  fails(() => estimateDerivative(grid(9, 1), x, 'spline' as never), /unknown derivative method "spline"/);
  // Too short for any Savitzky-Golay window: 'auto' falls back to finite differences.
  assert.deepEqual(estimateDerivative(grid(4, 0.5), Float64Array.of(0, 1, 4, 9), 'auto'), finiteDifference(grid(4, 0.5), Float64Array.of(0, 1, 4, 9)));
});

test('seeded relative noise is deterministic, independent across series, and has the requested level', () => {
  // 5001 samples: the standard errors are about 1% (level) and 0.014 (correlation), 4-5x below the bounds.
  const { x, y } = lorenzTrajectory({ tEnd: 10 });
  const [a1, b1] = addRelativeNoise([x, y], 0.05, 11);
  const [a2, b2] = addRelativeNoise([x, y], 0.05, 11);
  const [a3] = addRelativeNoise([x, y], 0.05, 12);
  assert.deepEqual(a1, a2);
  assert.deepEqual(b1, b2);
  assert.notDeepEqual(a1, a3);
  const sd = (v: Float64Array) => {
    const m = v.reduce((s, u) => s + u, 0) / v.length;
    return Math.sqrt(v.reduce((s, u) => s + (u - m) ** 2, 0) / v.length);
  };
  const ex = a1!.map((v, i) => v - x[i]!);
  const ey = b1!.map((v, i) => v - y[i]!);
  assert.ok(Math.abs(sd(ex) / (0.05 * sd(x)) - 1) < 0.05);
  assert.ok(Math.abs(sd(ey) / (0.05 * sd(y)) - 1) < 0.05);
  let cross = 0;
  ex.forEach((v, i) => (cross += v * ey[i]!));
  assert.ok(Math.abs(cross / ex.length / (sd(ex) * sd(ey))) < 0.06, 'noise of different series is uncorrelated');
  assert.deepEqual(addRelativeNoise([x], 0, 1)[0], x);
});

test('the RK4 sampler is accurate: Lorenz samples agree with a twice finer integration', () => {
  const coarse = lorenzTrajectory({ tEnd: 1 });
  const fine = lorenzTrajectory({ tEnd: 1, substeps: 20 });
  assert.equal(coarse.t.length, 501);
  assert.equal(coarse.t[500], 1);
  for (const k of ['x', 'y', 'z'] as const) assert.ok(maxAbs(coarse[k], fine[k]) < 1e-9, k);
  // Harmonic oscillator against the closed form.
  const { t, states } = sampleTrajectory((_t, s, out) => ((out[0] = s[1]!), (out[1] = -s[0]!)), [1, 0], { dt: 0.1, tEnd: 10 });
  assert.ok(maxAbs(states[0]!, t.map(Math.cos)) < 1e-9);
  const out = new Float64Array(3);
  lorenzRhs()(0, Float64Array.of(1, 2, 3), out);
  assert.deepEqual([...out], [10, 1 * (28 - 3) - 2, 2 - 8]);
});

test('Lorenz at 0% noise: discovery on automatic derivatives finds exactly the 7 true terms within 1%', () => {
  const start = performance.now();
  const { t, x, y, z } = lorenzTrajectory({ tEnd: 4 });
  const { values, derivatives, trim, window } = smoothedDerivatives(t, [x, y, z]);
  assert.equal(window, 5);
  const keep = (a: Float64Array) => a.slice(trim, a.length - trim);
  const names = ['x', 'y', 'z'];
  const columns = new Map<string, Float64Array>();
  names.forEach((s, k) => {
    columns.set(s, keep(values[k]!));
    columns.set(`d${s}`, keep(derivatives[k]!));
  });
  const { law } = discoverLaws({
    columns,
    n: t.length - 2 * trim,
    inputs: names,
    targets: ['dx', 'dy', 'dz'],
    library: 'poly:2',
    lambda: 'auto',
    seed: 1,
  });
  lorenzTrueTerms().forEach((want, k) => {
    const got = new Map(law.outputs[k]!.terms.map((term) => [term.term, term.coefficient]));
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `support of output ${k}`);
    for (const [name, c] of want) assert.ok(Math.abs(got.get(name)! / c - 1) < 0.01, `${name} in output ${k}: ${got.get(name)} vs ${c}`);
  });
  assert.ok(performance.now() - start < 5000);
});
