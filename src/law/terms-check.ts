import type { Expr } from '../expr/ast.js';
import { compileRow } from '../expr/compile.js';
import { Rng } from '../util/rng.js';

/**
 * Whether an output's expression is what its terms table says: the plain sum S = sum c_j t_j(x), or
 * a bounded control law centre + half * tanh(S). Checked at fixed probe points (positive ones, where
 * every polynomial or logarithmic term is finite, and small ones, where tanh is not saturated), so a
 * document whose table was edited apart from its expression is caught on load: exporters use the
 * expression, reports show the table, and the two must be one law. Returns a description of the
 * first disagreement, or undefined.
 */
export function termsDisagreement(expr: Expr, terms: readonly { expr: Expr; coefficient: number }[], inputs: readonly string[]): string | undefined {
  if (terms.length === 0) return undefined;
  const kernel = compileRow([expr, ...terms.map((t) => t.expr)], inputs);
  const rng = Rng.seeded(20261205);
  const out = new Float64Array(terms.length + 1);
  const points: { x: Float64Array; e: number; s: number }[] = [];
  for (let k = 0; k < 24; k++) {
    const [lo, hi] = k < 12 ? [0.5, 1.5] : [-0.05, 0.05];
    const x = Float64Array.from(inputs, () => rng.range(lo, hi));
    kernel(x, out);
    let s = 0;
    for (let j = 0; j < terms.length; j++) s += terms[j]!.coefficient * out[j + 1]!;
    if (Number.isFinite(out[0]) && Number.isFinite(s)) points.push({ x, e: out[0]!, s });
  }
  if (points.length < 3) return undefined;
  const close = (a: number, b: number, scale: number): boolean => Math.abs(a - b) <= 1e-7 * Math.max(1, scale);
  const scale = Math.max(...points.map((p) => Math.abs(p.s)));
  if (points.every((p) => close(p.e, p.s, scale))) return undefined;
  // centre + half * tanh(S): least squares for centre and half, then every point must fit.
  const { centre, half } = affineFit(points.map((p) => Math.tanh(p.s)), points.map((p) => p.e));
  if (points.every((p) => close(p.e, centre + half * Math.tanh(p.s), Math.abs(half) + Math.abs(centre)))) return undefined;
  const bad = [...points].reverse().find((p) => !close(p.e, p.s, scale))!;
  const at = inputs.map((n, i) => `${n} = ${bad.x[i]!.toPrecision(4)}`).join(', ');
  return `at ${at} the expression gives ${bad.e.toPrecision(8)} and the terms table sums to ${bad.s.toPrecision(8)}`;
}

function affineFit(u: readonly number[], y: readonly number[]): { centre: number; half: number } {
  const n = u.length;
  const mu = u.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let suu = 0;
  let suy = 0;
  for (let i = 0; i < n; i++) {
    suu += (u[i]! - mu) ** 2;
    suy += (u[i]! - mu) * (y[i]! - my);
  }
  const half = suu > 0 ? suy / suu : 0;
  return { centre: my - half * mu, half };
}
