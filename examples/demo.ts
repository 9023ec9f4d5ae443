/**
 * The main demo: discover the Pendulum-v1 dynamics from random-action data, see the exact law come
 * out of a collinear degree-3 library, and ship it as LaTeX, a JavaScript module and C.
 * Run: npm run demo   (about ten seconds)
 */
import { Pendulum, collectRandomEpisodes, discoverLaws, lawMse, exportLaw, formatTable } from 'sparselaw';

const inputs = ['cos_theta', 'sin_theta', 'theta_dot', 'torque'];
const targets = ['next_cos_theta', 'next_sin_theta', 'next_theta_dot'];

let t0 = performance.now();
const train = collectRandomEpisodes(new Pendulum({ g: 9.81 }), { episodes: 1000, seed: 1 });
const test = collectRandomEpisodes(new Pendulum({ g: 9.81 }), { episodes: 100, seed: 2 });
console.log(`Pendulum-v1 (g = 9.81): ${train.n} random-action transitions simulated in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

t0 = performance.now();
const { law } = discoverLaws({ columns: train.columns, n: train.n, inputs, targets, library: 'poly:3', lambda: 'auto', seed: 1 });
const seconds = (performance.now() - t0) / 1000;
console.log(`L0 fit over the 35-term degree-3 library, 20-value lambda path, 3 outputs: ${seconds.toFixed(2)} s\n`);
console.log(exportLaw(law, 'text', { digits: 5 }));
console.log('true velocity law: next_theta_dot = theta_dot + 0.73575 sin_theta + 0.15 torque (then clipped to [-8, 8])\n');

const testMse = lawMse(law, test.columns, test.n, targets);
console.log(
  formatTable(
    ['output', 'terms', 'test MSE (100 other episodes)'],
    law.outputs.map((o, k) => [o.name, String(o.terms.length), testMse[k]!.toExponential(2)]),
  ),
);
console.log('\nnotes:');
for (const w of law.warnings ?? []) console.log(`- ${w}`);

const velocity = { ...law, outputs: law.outputs.filter((o) => o.name === 'next_theta_dot') };
console.log('\nLaTeX:\n' + exportLaw(velocity, 'latex', { digits: 5 }));
console.log('JavaScript module (default export: inputs by name -> outputs by name):\n' + exportLaw(velocity, 'js', { digits: 5 }));
console.log('C:\n' + exportLaw(velocity, 'c', { digits: 5 }));
console.log('Next: npx sparselaw --help (simulate, discover, train, rollout, compare, search-law, check-env, report, sweep, worker, export, expr, eval)');
