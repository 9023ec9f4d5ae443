/**
 * The two kernel engines of the flat MLPs side by side, in one process: XNNPACK through
 * tfjs-backend-wasm's internals, and the portable JavaScript kernels it falls back to when those
 * fail their start-up self-test. A 256x256x256 product (the critics' layer size at batch 256), a
 * transpose of 256x256, and one forward-backward pass of a 4-256-256-1 network.
 * Run: npm run build && node dist/bench/kernels.js
 */
import { FlatMlp } from '../src/nn/flat-mlp.js';
import { PortableKernels } from '../src/nn/portable-kernels.js';
import type { XnnKernels } from '../src/nn/xnn.js';
import { XnnpackKernels } from '../src/nn/xnnpack-internals.js';

const N = 256;
const REPEATS = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(run: () => void): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function measure(k: XnnKernels): number[] {
  const a = k.alloc(N * N), b = k.alloc(N * N), out = k.alloc(N * N);
  k.view(a).set(Float32Array.from({ length: N * N }, (_, i) => Math.sin(i)));
  k.view(b).set(Float32Array.from({ length: N * N }, (_, i) => Math.cos(i)));
  const product = time(() => k.matMul(a, N, N, b, N, out));
  const transpose = time(() => k.transpose(a, N, N, out));
  const net = new FlatMlp(k, [4, N, N, 1], { seed: 1, maxRows: N });
  net.input(N).set(Float32Array.from({ length: N * 4 }, (_, i) => Math.cos(i)));
  const pass = time(() => {
    net.forward(N);
    net.outputGrad(N).fill(1);
    net.backward({ weights: true, input: true });
  });
  return [product, transpose, pass];
}

const rows = [
  ['XNNPACK (tfjs-backend-wasm internals)', measure(XnnpackKernels.create())],
  ['portable JavaScript', measure(new PortableKernels())],
] as const;
console.log(`median of ${REPEATS} runs, ms (one thread)\n`);
console.log('| engine | matMul 256³ | transpose 256² | MLP 4-256-256-1 forward+backward, batch 256 |');
console.log('|---|---:|---:|---:|');
for (const [name, [p, t, f]] of rows) console.log(`| ${name} | ${p!.toFixed(2)} | ${t!.toFixed(3)} | ${f!.toFixed(2)} |`);
const [x, js] = [rows[0][1], rows[1][1]];
console.log(`\nportable / XNNPACK: matMul ${(js[0]! / x[0]!).toFixed(1)}x, transpose ${(js[1]! / x[1]!).toFixed(1)}x, MLP pass ${(js[2]! / x[2]!).toFixed(1)}x`);
