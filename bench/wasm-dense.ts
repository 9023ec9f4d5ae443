/**
 * The dense-layer Adam step with tfjs's own matMul gradient (transposed matMuls) against the transpose-free gradient of src/nn/matmul.ts
 * (transposes materialised first), on the wasm and cpu backends, in one process.
 * Run: npm run build && node dist/bench/wasm-dense.js
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend.js';
import { Mlp } from '../src/nn/mlp.js';
import { setTransposeFreeMatMulGradient } from '../src/nn/matmul.js';
import { Rng } from '../src/util/rng.js';

const BATCH = 256;
const STEPS = 30;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function stepTimes(transposeFree: boolean): number {
  setTransposeFreeMatMulGradient(transposeFree);
  const net = new Mlp([4, 256, 256, 1], { seed: 1 });
  const opt = tf.train.adam(3e-4);
  const rng = Rng.seeded(2);
  const x = tf.tensor2d(Float32Array.from({ length: BATCH * 4 }, () => rng.normal()), [BATCH, 4]);
  const y = tf.tensor2d(Float32Array.from({ length: BATCH }, () => rng.normal()), [BATCH, 1]);
  const times: number[] = [];
  for (let i = 0; i < STEPS + 5; i++) {
    const t0 = performance.now();
    const loss = opt.minimize(() => tf.losses.meanSquaredError(y, net.apply(x)) as tf.Scalar, true, net.variables);
    loss!.dataSync();
    loss!.dispose();
    if (i >= 5) times.push(performance.now() - t0);
  }
  opt.dispose();
  net.dispose();
  x.dispose();
  y.dispose();
  return median(times);
}

const rows: string[][] = [];
for (const backend of ['wasm', 'cpu'] as const) {
  if (backend === 'wasm') await initBackend('wasm');
  else await tf.setBackend('cpu');
  if (tf.getBackend() !== backend) {
    rows.push([backend, 'unavailable', '', '']);
    continue;
  }
  const plain = stepTimes(false);
  const fixed = stepTimes(true);
  rows.push([backend, plain.toFixed(2), fixed.toFixed(2), (plain / fixed).toFixed(1) + 'x']);
}
console.log(`4-256-256-1 MLP, Adam step, batch ${BATCH}, median of ${STEPS} steps (ms)`);
console.log('| backend | tfjs matMul gradient | transpose-free gradient | speed-up |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
