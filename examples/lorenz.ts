/**
 * Continuous-time discovery from noisy samples: a Lorenz trajectory with 1% measurement noise, time
 * derivatives estimated from the samples alone (Savitzky-Golay, window from the data), and the L0 fit
 * over the degree-2 polynomial library with lambda chosen on held-out data.
 * Run: npm run build && node dist/examples/lorenz.js   (the study over noise levels and seeds: bench/lorenz.ts)
 */
import { lorenzTrajectory, addRelativeNoise, continuousTimeData, discoverLaws, exportLaw } from 'sparselaw';

const { t, x, y, z } = lorenzTrajectory();
const [nx, ny, nz] = addRelativeNoise([x, y, z], 0.01, 1);
const columns = new Map([['t', t], ['x', nx!], ['y', ny!], ['z', nz!]]);
const data = continuousTimeData(columns, t.length, 't', ['x', 'y', 'z'], 'auto');
const { law } = discoverLaws({ columns: data.columns, n: data.n, inputs: ['x', 'y', 'z'], targets: data.names, library: 'poly:2', lambda: 'auto', seed: 1 });

console.log(`${t.length} samples with 1% noise; derivatives by Savitzky-Golay (window ${data.windows[0]})\n`);
console.log(exportLaw(law, 'text', { digits: 4 }));
console.log('true law: x_dot = -10 x + 10 y;  y_dot = 28 x - y - x z;  z_dot = x y - 2.66667 z');
