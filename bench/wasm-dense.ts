/**
 * The dense-layer Adam step three ways, in one process: tfjs ops with tfjs's own matMul gradient
 * (transposed matMuls), tfjs ops with the transpose-free gradient of src/nn/matmul.ts, and FlatMlp
 * (src/nn/flat-mlp.ts: XNNPACK products on preallocated wasm buffers, fused Adam), on one thread.
 * Run: npm run build && node dist/bench/wasm-dense.js
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend.js';
import { Mlp } from './nn/mlp.js';
import { FlatMlp } from '../src/nn/flat-mlp.js';
import { XnnKernels } from '../src/nn/xnn.js';
import { setTransposeFreeMatMulGradient } from './nn/matmul.js';
import { Rng } from '../src/util/rng.js';

const BATCH = 256;
const STEPS = 30;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const data = (): { x: Float32Array; y: Float32Array } => {
  const rng = Rng.seeded(2);
  return { x: Float32Array.from({ length: BATCH * 4 }, () => rng.normal()), y: Float32Array.from({ length: BATCH }, () => rng.normal()) };
};

function tfjsStep(transposeFree: boolean): number {
  setTransposeFreeMatMulGradient(transposeFree);
  const net = new Mlp([4, 256, 256, 1], { seed: 1 });
  const opt = tf.train.adam(3e-4);
  const d = data();
  const x = tf.tensor2d(d.x, [BATCH, 4]);
  const y = tf.tensor2d(d.y, [BATCH, 1]);
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

/** The same step (mean squared error, its gradient, Adam) on FlatMlp. */
function flatStep(k: XnnKernels, matMulOnly: boolean): number {
  const net = new FlatMlp(k, [4, 256, 256, 1], { seed: 1, maxRows: BATCH });
  const d = data();
  const times: number[] = [];
  for (let i = 0; i < STEPS + 5; i++) {
    const t0 = performance.now();
    net.input(BATCH).set(d.x);
    const q = net.forward(BATCH);
    const g = net.outputGrad(BATCH);
    let loss = 0;
    for (let r = 0; r < BATCH; r++) {
      const e = q[r]! - d.y[r]!;
      loss += e * e;
      g[r] = (2 * e) / BATCH;
    }
    net.backward({ weights: true, input: false });
    if (!matMulOnly) net.adam({ lr: 3e-4 });
    if (!Number.isFinite(loss)) throw new Error('diverged');
    if (i >= 5) times.push(performance.now() - t0);
  }
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
  const plain = tfjsStep(false);
  const fixed = tfjsStep(true);
  rows.push([`tfjs ${backend}`, plain.toFixed(2), fixed.toFixed(2), (plain / fixed).toFixed(1) + 'x']);
}
const k = await XnnKernels.load();
const flat = flatStep(k, false);
const noAdam = flatStep(k, true);
// The bound: the three 256x256x256 products (forward, weight gradient, input gradient of layer 2).
const a = k.alloc(256 * 256);
const b = k.alloc(256 * 256);
const o = k.alloc(256 * 256);
const mm: number[] = [];
for (let i = 0; i < STEPS + 5; i++) {
  const t0 = performance.now();
  k.matMul(a, 256, 256, b, 256, o);
  if (i >= 5) mm.push(performance.now() - t0);
}
console.log(`4-256-256-1 MLP, Adam step, batch ${BATCH}, median of ${STEPS} steps (ms)`);
console.log('| implementation | tfjs matMul gradient | transpose-free gradient | speed-up |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(`| FlatMlp (XNNPACK, fused Adam) | | ${flat.toFixed(2)} | ${(rows[0]![2] ? Number(rows[0]![2]) / flat : NaN).toFixed(1)}x over tfjs wasm transpose-free |`);
console.log(
  `\nFlatMlp without the Adam loop: ${noAdam.toFixed(2)} ms; one 256x256x256 XNNPACK product (weights packed each call): ${median(mm).toFixed(2)} ms,` +
    ` so the step is bound by its three such products (${(3 * median(mm)).toFixed(2)} ms) on one core.`,
);
