import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KsSolver } from '../../src/systems/ks.js';
import { SparselawError } from '../../src/errors.js';

const FC_SEED = Number(process.env.SPARSELAW_TEST_SEED ?? 20240917);

type Complex = { re: number[]; im: number[] };

function dft(re: number[], im: number[], sign: -1 | 1): Complex {
  const n = re.length;
  const out: Complex = { re: new Array<number>(n).fill(0), im: new Array<number>(n).fill(0) };
  for (let m = 0; m < n; m++) {
    for (let j = 0; j < n; j++) {
      const t = (sign * 2 * Math.PI * m * j) / n;
      out.re[m] += re[j]! * Math.cos(t) - im[j]! * Math.sin(t);
      out.im[m] += re[j]! * Math.sin(t) + im[j]! * Math.cos(t);
    }
    if (sign === 1) {
      out.re[m] /= n;
      out.im[m] /= n;
    }
  }
  return out;
}

/**
 * The scheme exactly as the paper's code computes it, the obvious way: full complex spectra, an O(N^2) DFT,
 * fresh arrays everywhere, the nonlinear term recomputed from IFFT(v) at every sub-step (including
 * the first), the complex square kept complex, and the real part taken only at the end.
 */
function slowStep(u: number[], f: number[], L: number, dt: number, substeps: number): number[] {
  const n = u.length;
  const kx = Array.from({ length: n }, (_, j) => (j < n / 2 ? j : j === n / 2 ? 0 : j - n));
  const k = kx.map((x) => (2 * Math.PI * x) / L);
  const lam = k.map((x) => x * x - x ** 4);
  const h = dt / substeps;
  const zeros = new Array<number>(n).fill(0);
  const nonlinear = (re: number[], im: number[]): Complex => {
    const sqRe = re.map((r, j) => r * r - im[j]! * im[j]!);
    const sqIm = re.map((r, j) => 2 * r * im[j]!);
    const s = dft(sqRe, sqIm, -1);
    // -0.5 i k (a + i b) = 0.5 k b - 0.5 i k a
    return { re: s.im.map((b, m) => 0.5 * k[m]! * b), im: s.re.map((a, m) => -0.5 * k[m]! * a) };
  };
  const F = dft(f, zeros, -1);
  let nNow = nonlinear(u, zeros);
  let v = dft(u, zeros, -1);
  for (let s = 0; s < substeps; s++) {
    const nPrev = nNow;
    const w = dft(v.re, v.im, 1);
    nNow = nonlinear(w.re, w.im);
    const a = (m: number) => 1 / (1 - (h / 2) * lam[m]!);
    const b = (m: number) => 1 + (h / 2) * lam[m]!;
    v = {
      re: v.re.map((x, m) => a(m) * (b(m) * x + 1.5 * h * nNow.re[m]! - 0.5 * h * nPrev.re[m]! + h * F.re[m]!)),
      im: v.im.map((x, m) => a(m) * (b(m) * x + 1.5 * h * nNow.im[m]! - 0.5 * h * nPrev.im[m]! + h * F.im[m]!)),
    };
  }
  return dft(v.re, v.im, 1).re;
}

function smoothField(n: number, coeffs: number[]): number[] {
  return Array.from({ length: n }, (_, i) =>
    coeffs.reduce((s, c, j) => s + c * Math.cos(((j + 1) * 2 * Math.PI * i) / n + j), 0),
  );
}

test('the fast solver matches an O(N^2) DFT implementation of the same scheme to 1e-10', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 64, maxLength: 64 }),
      fc.integer({ min: 1, max: 20 }),
      (coeffs, forcing, substeps) => {
        const u0 = smoothField(64, coeffs);
        const solver = new KsSolver({ substeps });
        solver.setForcing(forcing);
        const u = Float64Array.from(u0);
        solver.step(u);
        solver.step(u);
        const slow = slowStep(slowStep(u0, forcing, 22, 0.1, substeps), forcing, 22, 0.1, substeps);
        for (let i = 0; i < 64; i++) assert.ok(Math.abs(u[i]! - slow[i]!) < 1e-10, `u[${i}] = ${u[i]} vs ${slow[i]}`);
      },
    ),
    { seed: FC_SEED, numRuns: 12 },
  );
});

test('other domains and grids agree with the slow implementation too', () => {
  const u0 = smoothField(16, [0.4, -0.3, 0.2]);
  const forcing = Array.from({ length: 16 }, (_, i) => 0.1 * Math.sin(i));
  const solver = new KsSolver({ L: 13, nx: 16, dt: 0.05, substeps: 4 });
  solver.setForcing(forcing);
  const u = Float64Array.from(u0);
  solver.step(u);
  const slow = slowStep(u0, forcing, 13, 0.05, 4);
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(u[i]! - slow[i]!) < 1e-12);
});

test('halving the sub-step converges at second order (successive differences shrink about 4x)', () => {
  const u0 = smoothField(64, [1, -0.6, 0.4, 0.3]);
  const forcing = Array.from({ length: 64 }, (_, i) => 0.2 * Math.exp(-0.5 * ((i - 20) / 0.8) ** 2));
  const run = (substeps: number) => {
    const solver = new KsSolver({ substeps });
    solver.setForcing(forcing);
    const u = Float64Array.from(u0);
    for (let s = 0; s < 10; s++) solver.step(u);
    return u;
  };
  const [a, b, c] = [run(15), run(30), run(60)];
  const diff = (x: Float64Array, y: Float64Array) => Math.sqrt(x.reduce((s, xi, i) => s + (xi - y[i]!) ** 2, 0));
  const ratio = diff(a, b) / diff(b, c);
  assert.ok(diff(a, b) > 1e-8, 'the sub-step must matter at all');
  assert.ok(ratio > 3.5 && ratio < 4.5, `ratio ${ratio}`);
});

test('without forcing the mean of u is conserved and the zero field stays zero', () => {
  const solver = new KsSolver();
  const u = Float64Array.from(smoothField(64, [1, 0.5]), (x) => x + 0.3);
  const mean0 = u.reduce((s, x) => s + x, 0) / 64;
  for (let s = 0; s < 20; s++) solver.step(u);
  assert.ok(Math.abs(u.reduce((s, x) => s + x, 0) / 64 - mean0) < 1e-12);
  const z = new Float64Array(64);
  solver.step(z);
  assert.ok(z.every((x) => x === 0));
});

test('bad solver options and mismatched lengths are SparselawErrors', () => {
  assert.throws(() => new KsSolver({ nx: 48 }), (e: unknown) => e instanceof SparselawError && /power of two/.test(e.message));
  assert.throws(() => new KsSolver({ substeps: 0 }), /substeps must be a positive integer/);
  assert.throws(() => new KsSolver({ dt: Number.NaN }), /dt must be/);
  assert.throws(() => new KsSolver({ L: -1 }), /L must be/);
  const s = new KsSolver();
  assert.throws(() => s.setForcing(new Float64Array(10)), /forcing must have 64/);
  assert.throws(() => s.step(new Float64Array(63)), /u must have 64/);
});
