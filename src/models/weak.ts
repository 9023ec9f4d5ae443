import { type Library, parseLibrarySpec, evaluateLibraryRows, type Columns, DataError } from '../library/index.js';
import { getColumn } from '../library/evaluate.js';
import { GramAccumulator } from '../l0/gram.js';
import { fitFromStats, type DiscoverOptions, type DiscoverResult } from './discover.js';
import { derivativeName } from './continuous.js';

export interface WeakOptions extends Omit<DiscoverOptions, 'targets' | 'robust' | 'columns' | 'n'> {
  columns: Columns;
  n: number;
  time: string;
  /** Half-width of each test function, in samples (default: 1/40 of an episode, from 8 to 200). */
  halfWidth?: number;
}

/** Exponent of the test functions φ(t) = ((t - a)(b - t))^Q: smooth enough that φ' vanishes at both ends. */
const Q = 4;

/**
 * Continuous-time discovery in the weak (integral) form: for test functions φ_k supported on short
 * windows, ∫ φ_k ẋ dt = -∫ φ_k' x dt = Σ_j ξ_j ∫ φ_k θ_j(x) dt. No derivative of the data is taken;
 * each row averages the noise over a window, so the fit stays unbiased where pointwise derivative
 * estimates amplify noise. Rows are built per episode with trapezoid weights; the last 20% of each
 * episode's test functions (or whole held-out episodes) are the validation set.
 */
export function discoverWeak(options: WeakOptions): DiscoverResult {
  const { columns, n, inputs } = options;
  const library: Library = typeof options.library === 'string' ? parseLibrarySpec(options.library, inputs) : options.library;
  const t = getColumn(columns, options.time);
  if (!t) throw new DataError(`no time column "${options.time}"`);
  const xs = inputs.map((name) => {
    const c = getColumn(columns, name);
    if (!c) throw new DataError(`no input column "${name}"`);
    return c;
  });
  const p = library.terms.length;
  const m = inputs.length;
  const train = new GramAccumulator(p, m);
  const valid = new GramAccumulator(p, m);
  const episode = getColumn(columns, 'episode');
  const heldEpisodes = new Set<number>();
  if (episode) {
    const ids = [...new Set(episode)].sort((a, b) => a - b);
    const count = Math.max(1, Math.round(ids.length * (options.validationFraction ?? 0.2)));
    if (ids.length > count) for (const id of ids.slice(ids.length - count)) heldEpisodes.add(id);
  }
  const rowTheta = new Float64Array(p);
  const rowY = new Float64Array(m);
  let rows = 0;
  for (let a = 0; a < n; ) {
    let b = a + 1;
    while (b < n && (!episode || episode[b] === episode[a])) b++;
    const len = b - a;
    const H = options.halfWidth ?? Math.max(8, Math.min(200, Math.round(len / 40)));
    if (len < 2 * H + 1) throw new DataError(`${episode ? `episode ${episode[a]}` : 'the series'} has ${len} samples, fewer than one test function needs (${2 * H + 1})`);
    for (let i = a + 1; i < b; i++) {
      if (!(t[i]! > t[i - 1]!)) throw new DataError(`time is not strictly increasing at data row ${i + 1}`);
    }
    const theta = evaluateLibraryRows(library, columns, a, len).data;
    const stride = Math.max(1, Math.floor(H / 2));
    const centres: number[] = [];
    for (let c = H; c + H < len; c += stride) centres.push(c);
    const cut = Math.floor(centres.length * (1 - (options.validationFraction ?? 0.2)));
    centres.forEach((c, index) => {
      const lo = c - H;
      const hi = c + H;
      const tl = t[a + lo]!;
      const tr = t[a + hi]!;
      rowTheta.fill(0);
      rowY.fill(0);
      let mass = 0;
      for (let i = lo; i <= hi; i++) {
        const ti = t[a + i]!;
        // Trapezoid weight of sample i inside the window.
        const w = ((i < hi ? t[a + i + 1]! - ti : 0) + (i > lo ? ti - t[a + i - 1]! : 0)) / 2;
        const u = (ti - tl) * (tr - ti);
        const phi = u ** Q;
        const dphi = Q * u ** (Q - 1) * (tr + tl - 2 * ti);
        mass += w * phi;
        for (let j = 0; j < p; j++) rowTheta[j]! += w * phi * theta[i * p + j]!;
        for (let k = 0; k < m; k++) rowY[k]! -= w * dphi * xs[k]![a + i]!;
      }
      // Each row is a weighted average, so rows from windows of any length weigh alike.
      for (let j = 0; j < p; j++) rowTheta[j]! /= mass;
      for (let k = 0; k < m; k++) rowY[k]! /= mass;
      const isValid = episode ? heldEpisodes.has(episode[a]!) : index >= cut;
      (isValid ? valid : train).add(rowTheta, rowY, 1);
      rows++;
    });
    a = b;
  }
  if (rows < 4) throw new DataError(`only ${rows} test functions fit in the data; use a smaller half-width`);
  const names = inputs.map(derivativeName);
  const result = fitFromStats(library, train.stats(), valid.stats(), { ...options, targets: names, outputNames: options.outputNames ?? names, rowsName: 'test functions' });
  result.law.metrics = { ...result.law.metrics, formulation: `weak form: ${rows} test functions ((t - a)(b - t))^${Q}` };
  return result;
}
