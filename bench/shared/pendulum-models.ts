/**
 * The tutorial's model-learning comparison on Pendulum-v1 (g = 9.81): 1000 random-action episodes
 * for training, 100 for testing; a dense net, an L0 (input-gated) dense net, and L0 dictionary
 * models with polynomial, Fourier and polynomial + Fourier libraries. Shared by the dynamics and
 * reward examples.
 */
import { initBackend, describeBackend } from '../../src/backend.js';
import { Pendulum } from '../../src/envs/pendulum/env.js';
import { collectRandomEpisodes } from '../../src/envs/collect.js';
import { discoverLaws } from '../../src/models/discover.js';
import { lawMse } from '../../src/models/metrics.js';
import { exportLaw } from '../../src/export/law.js';
import { Regressor } from '../nn/l0-dense.js';
import { formatTable } from '../../src/cli/table.js';

const INPUTS = ['cos_theta', 'sin_theta', 'theta_dot', 'torque'];

function matrix(columns: Map<string, Float64Array>, names: readonly string[], n: number): Float64Array {
  const out = new Float64Array(n * names.length);
  names.forEach((name, k) => {
    const c = columns.get(name)!;
    for (let r = 0; r < n; r++) out[r * names.length + k] = c[r]!;
  });
  return out;
}

function mseOf(pred: Float64Array, y: Float64Array, n: number, m: number): number[] {
  return Array.from({ length: m }, (_, k) => {
    let s = 0;
    for (let r = 0; r < n; r++) s += (pred[r * m + k]! - y[r * m + k]!) ** 2;
    return s / n;
  });
}

const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;
const sci = (v: number): string => v.toExponential(2);

export async function runPendulumComparison(title: string, targets: readonly string[], options: { epochs: number; libraries: string[] }): Promise<void> {
  await initBackend();
  const train = collectRandomEpisodes(new Pendulum({ g: 9.81 }), { episodes: 1000, seed: 1 });
  const test = collectRandomEpisodes(new Pendulum({ g: 9.81 }), { episodes: 100, seed: 2 });
  console.log(`${title}: ${train.n} training transitions (1000 episodes), ${test.n} test transitions (100 other episodes); ${describeBackend()}`);
  const rows: string[][] = [];
  const equations: string[] = [];
  const yTrain = matrix(train.columns, targets, train.n);
  const yTest = matrix(test.columns, targets, test.n);
  const xTrain = matrix(train.columns, INPUTS, train.n);
  const xTest = matrix(test.columns, INPUTS, test.n);

  for (const [name, lambda] of [
    ['dense net (4-128-128)', 0],
    ['L0 dense net (gated inputs)', 1e-4],
  ] as const) {
    const t0 = performance.now();
    const net = new Regressor(INPUTS.length, targets.length, { hidden: [128, 128], lambda, seed: 1 });
    net.fit(xTrain, yTrain, train.n, { epochs: options.epochs, batchSize: 256, lr: 1e-3, label: name });
    const seconds = (performance.now() - t0) / 1000;
    const trainMse = mseOf(net.predict(xTrain, train.n), yTrain, train.n, targets.length);
    const testMse = mseOf(net.predict(xTest, test.n), yTest, test.n, targets.length);
    const open = Array.from(net.inputGates()).filter((g) => g > 0).length;
    rows.push([name, sci(mean(trainMse)), sci(mean(testMse)), ...testMse.map(sci), `${open} of 4 inputs`, `${seconds.toFixed(1)} s`]);
    net.dispose();
  }
  for (const library of options.libraries) {
    const t0 = performance.now();
    const { law } = discoverLaws({ columns: train.columns, n: train.n, inputs: INPUTS, targets, library, lambda: 'auto', seed: 1 });
    const seconds = (performance.now() - t0) / 1000;
    const trainMse = lawMse(law, train.columns, train.n, targets);
    const testMse = lawMse(law, test.columns, test.n, targets);
    const terms = law.outputs.map((o) => o.terms.length);
    rows.push([`L0 dictionary ${library}`, sci(mean(trainMse)), sci(mean(testMse)), ...testMse.map(sci), `${terms.reduce((s, v) => s + v, 0)} terms (${terms.join('+')})`, `${seconds.toFixed(1)} s`]);
    equations.push(`${library}:\n${exportLaw(law, 'text', { digits: 5 })}`);
  }
  console.log(`\nnets: Adam lr 1e-3, batch 256, ${options.epochs} epochs (the tutorial trains 500); dictionaries: lambda path of 20 values, chosen on held-out episodes`);
  console.log('MSE over all rows of each set, in the original units\n');
  console.log(formatTable(['model', 'train MSE', 'test MSE', ...targets.map((t) => `test ${t}`), 'size', 'wall time'], rows));
  console.log(`\ndiscovered equations\n\n${equations.join('\n')}`);
}
