/**
 * Continuous-time discovery on the Lorenz system: sample a trajectory, add measurement noise,
 * estimate the time derivatives from the noisy samples alone, and let discoverLaws find
 * x_dot, y_dot, z_dot over the degree-2 polynomial library with lambda chosen on held-out data.
 * Nothing is tuned per noise level: the Savitzky-Golay window comes from the data.
 * Run: npx tsc -p tsconfig.json && node dist/bench/lorenz.js
 * (SEEDS=1,2,...,30 for more noise seeds.)
 */
import { lorenzTrajectory, lorenzTrueTerms } from '../src/systems/lorenz.js';
import { addRelativeNoise } from '../src/systems/noise.js';
import { continuousTimeData } from '../src/models/continuous.js';
import { discoverWeak } from '../src/models/weak.js';
import { discoverLaws } from '../src/models/discover.js';
import { exportLaw } from '../src/export/law.js';
import type { LawDocument } from '../src/law/document.js';
import { formatTable } from '../src/cli/table.js';

const NOISE_LEVELS = [0, 0.01, 0.05];
const SEEDS = process.env.SEEDS ? process.env.SEEDS.split(',').map(Number) : [1, 2, 3];
const STATES = ['x', 'y', 'z'] as const;

type Method = 'auto' | 'finite-difference' | 'weak';

/** Library inputs and derivative targets, prepared exactly as `sparselaw discover --time t` does. */
function prepare(t: Float64Array, states: Float64Array[], method: 'auto' | 'finite-difference') {
  const columns = new Map<string, Float64Array>([['t', t], ...STATES.map((s, k) => [s, states[k]!] as [string, Float64Array])]);
  const data = continuousTimeData(columns, t.length, 't', STATES, method);
  return { columns: data.columns, n: data.n, window: data.windows[0]! };
}

/** Whether the surviving terms are exactly the true ones, and the worst relative error over the true coefficients. */
function score(law: LawDocument): { exact: boolean; maxRelError: number; worst: string } {
  const truth = lorenzTrueTerms();
  let exact = true;
  let maxRelError = 0;
  let worst = '';
  law.outputs.forEach((o, k) => {
    const want = truth[k]!;
    const got = new Map(o.terms.map((term) => [term.term, term.coefficient]));
    if (got.size !== want.size || [...want.keys()].some((name) => !got.has(name))) exact = false;
    for (const [name, c] of want) {
      const e = Math.abs((got.get(name) ?? 0) - c) / Math.abs(c);
      if (e > maxRelError) [maxRelError, worst] = [e, `${o.name}: ${name}`];
    }
  });
  return { exact, maxRelError, worst };
}

const { t, x, y, z } = lorenzTrajectory();
console.log(`Lorenz (sigma 10, rho 28, beta 8/3) from (-8, 8, 27): ${t.length} samples at dt = 0.002 on [0, 10]; library poly:2 (10 terms per output), lambda auto`);
console.log('true law (7 terms): x_dot = -10 x + 10 y;  y_dot = 28 x - y - x z;  z_dot = x y - 2.66667 z');
console.log('noise: Gaussian, standard deviation = level x the standard deviation of each state\n');
const header = ['noise', 'seed', 'derivative', 'window', 'rows', 'terms', 'exact', 'max rel err', 'worst coefficient', 'time'];
const rows: string[][] = [];
const shown: string[] = [];
const started = performance.now();
const TARGET: Record<number, number> = { 0: 0.01, 0.01: 0.02, 0.05: 0.05 };
const summary = new Map<string, { exact: number; within: number; errors: number[] }>();
for (const level of NOISE_LEVELS) {
  for (const seed of SEEDS) {
    const noisy = addRelativeNoise([x, y, z], level, seed);
    const methods: Method[] = level === 0 ? ['finite-difference', 'auto', 'weak'] : ['auto', 'weak'];
    for (const method of methods) {
      const start = performance.now();
      let law: LawDocument;
      let n: number;
      let window: number | string;
      if (method === 'weak') {
        const columns = new Map<string, Float64Array>([['t', t], ...STATES.map((s, k) => [s, noisy[k]!] as [string, Float64Array])]);
        ({ law } = discoverWeak({ columns, n: t.length, time: 't', inputs: STATES, library: 'poly:2', lambda: 'auto', seed }));
        n = t.length;
        window = '±125 (φ)';
      } else {
        const prepared = prepare(t, noisy, method as 'auto' | 'finite-difference');
        ({ n, window } = prepared);
        ({ law } = discoverLaws({
          columns: prepared.columns,
          n,
          inputs: STATES,
          targets: ['x_dot', 'y_dot', 'z_dot'],
          library: 'poly:2',
          lambda: 'auto',
          seed,
        }));
      }
      const seconds = (performance.now() - start) / 1000;
      const { exact, maxRelError, worst } = score(law);
      rows.push([
        `${(level * 100).toFixed(0)}%`,
        String(seed),
        method,
        String(window),
        String(n),
        law.outputs.map((o) => o.terms.length).join('+'),
        exact ? 'yes' : 'no',
        `${(maxRelError * 100).toFixed(3)}%`,
        worst,
        `${seconds.toFixed(2)} s`,
      ]);
      const key = `${(level * 100).toFixed(0)}%|${method}`;
      const group = summary.get(key) ?? { exact: 0, within: 0, errors: [] as number[] };
      group.exact += exact ? 1 : 0;
      group.within += exact && maxRelError <= TARGET[level]! ? 1 : 0;
      group.errors.push(maxRelError);
      summary.set(key, group);
      if (seed === SEEDS[0]) shown.push(`noise ${(level * 100).toFixed(0)}%, seed ${seed}, ${method}:\n${exportLaw(law, 'text', { digits: 6 })}`);
    }
  }
}
console.log(formatTable(header, rows));
console.log(`\nsummary over ${SEEDS.length} noise seed(s); target: exact support, coefficients within 1% / 2% / 5% at 0% / 1% / 5% noise`);
console.log(
  formatTable(
    ['noise', 'derivative', 'exact support', 'exact and within target', 'mean worst error', 'max worst error'],
    [...summary.entries()].map(([key, g]) => {
      const [noise, method] = key.split('|') as [string, string];
      const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
      return [noise, method, `${g.exact}/${g.errors.length}`, `${g.within}/${g.errors.length}`, pct(g.errors.reduce((a, b) => a + b, 0) / g.errors.length), pct(Math.max(...g.errors))];
    }),
  ),
);
console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s\n\n${shown.join('\n')}`);
