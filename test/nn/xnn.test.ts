import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import fc from 'fast-check';
import '../support/seed.js';
import { chooseKernelEngine, kernelSelfTest, XNNPACK_WASM_VERSION, XnnKernels, type Buf } from '../../src/nn/xnn.js';
import { XnnpackKernels } from '../../src/nn/xnnpack-internals.js';
import { PortableKernels } from '../../src/nn/portable-kernels.js';
import { FlatMlp } from '../../src/nn/flat-mlp.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };

test('package.json pins exactly the tfjs-backend-wasm version the XNNPACK engine reads the internals of', () => {
  assert.equal(pkg.dependencies['@tensorflow/tfjs-backend-wasm'], XNNPACK_WASM_VERSION);
});

test('the installed XNNPACK internals and the portable kernels pass the self-test', () => {
  assert.equal(kernelSelfTest(XnnpackKernels.create()), undefined);
  assert.equal(kernelSelfTest(new PortableKernels()), undefined);
  assert.equal(chooseKernelEngine(() => XnnpackKernels.create(), () => assert.fail('no warning expected')), 'xnnpack');
});

/** XNNPACK kernels with one entry point changed the way a new tfjs version might change it. */
function broken(change: 'wrong-product' | 'missing-kernel' | 'transpose'): XnnpackKernels {
  const k = XnnpackKernels.create();
  if (change === 'wrong-product') {
    const matMul = k.matMul.bind(k);
    k.matMul = (a, m, inner, b, n, out, ...rest) => {
      matMul(a, m, inner, b, n, out, ...rest);
      k.view(out, 1)[0]! += 1;
    };
  } else if (change === 'missing-kernel') {
    k.matMul = () => {
      throw new TypeError('Module._FusedMatMul is not a function');
    };
  } else {
    k.transpose = (src, rows, cols, dst) => k.view(dst, rows * cols).set(k.view(src, rows * cols));
  }
  return k;
}

test('kernels whose internals changed fall back to the portable kernels with a warning naming the cause', () => {
  for (const [change, cause] of [['wrong-product', /matMul gives/], ['missing-kernel', /_FusedMatMul is not a function/], ['transpose', /transpose gives/]] as const) {
    const warnings: string[] = [];
    assert.equal(chooseKernelEngine(() => broken(change), (m) => warnings.push(m)), 'portable', change);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, cause);
    assert.match(warnings[0]!, new RegExp(`self-test.*portable JavaScript kernels.*${XNNPACK_WASM_VERSION.replace(/\./g, '\\.')}`));
  }
  const warnings: string[] = [];
  assert.equal(chooseKernelEngine(() => { throw new Error("Cannot find module '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.js'"); }, (m) => warnings.push(m)), 'portable');
  assert.match(warnings[0]!, /Cannot find module/);
});

test('SPARSELAW_KERNELS chooses the engine, and a wrong value is named', () => {
  const saved = process.env.SPARSELAW_KERNELS;
  try {
    process.env.SPARSELAW_KERNELS = 'portable';
    assert.equal(chooseKernelEngine(() => assert.fail('portable needs no self-test')), 'portable');
    process.env.SPARSELAW_KERNELS = 'fast';
    assert.throws(() => chooseKernelEngine(), /SPARSELAW_KERNELS: expected xnnpack or portable, got "fast"/);
  } finally {
    if (saved === undefined) delete process.env.SPARSELAW_KERNELS;
    else process.env.SPARSELAW_KERNELS = saved;
  }
});

test('the portable kernels agree with XNNPACK on products, offsets, relu and transposes', () => {
  const x = XnnpackKernels.create();
  const p = new PortableKernels();
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 17 }), fc.integer({ min: 1, max: 17 }), fc.integer({ min: 1, max: 17 }), fc.integer({ min: 0, max: 5 }), fc.boolean(), fc.integer(), (m, inner, n, offset, relu, seed) => {
      const fill = (i: number, salt: number) => Math.sin(seed + i * 12.9898 + salt * 78.233);
      const run = (k: XnnpackKernels | PortableKernels) => {
        const bufs: Buf[] = [k.alloc(offset + m * inner), k.alloc(inner * n), k.alloc(n), k.alloc(m * n), k.alloc(m * inner)];
        const [a, b, bias, out, t] = bufs as [Buf, Buf, Buf, Buf, Buf];
        k.view(a).set(Float32Array.from({ length: a.length }, (_, i) => fill(i, 1)));
        k.view(b).set(Float32Array.from({ length: b.length }, (_, i) => fill(i, 2)));
        k.view(bias).set(Float32Array.from({ length: n }, (_, i) => fill(i, 3)));
        k.matMul(a, m, inner, b, n, out, bias, relu, offset);
        k.transpose(a, m, inner, t, offset);
        const result = [Float32Array.from(k.view(out)), Float32Array.from(k.view(t))];
        for (const buf of bufs) k.free(buf);
        return result;
      };
      const [yx, tx] = run(x);
      const [yp, tp] = run(p);
      assert.deepEqual(tp, tx);
      for (let i = 0; i < yx!.length; i++) assert.ok(Math.abs(yx![i]! - yp![i]!) <= 1e-5 * (1 + inner), `product entry ${i}: ${yx![i]} vs ${yp![i]}`);
    }),
  );
});

test('a network on the portable kernels computes what it computes on XNNPACK, across heap growth', () => {
  const sizes = [6, 32, 32, 2];
  const nets = [new FlatMlp(XnnpackKernels.create(), sizes, { seed: 3, maxRows: 4 }), new FlatMlp(new PortableKernels(), sizes, { seed: 3, maxRows: 4 })];
  const outs = nets.map((net) => {
    // 700 rows outgrow the portable heap's first buffer: pointers must survive the growth.
    const rows = 700;
    net.input(rows).set(Float32Array.from({ length: rows * 6 }, (_, i) => Math.cos(i)));
    return Float32Array.from(net.forward(rows));
  });
  for (let i = 0; i < outs[0]!.length; i++) assert.ok(Math.abs(outs[0]![i]! - outs[1]![i]!) < 1e-5, `output ${i}`);
});

test('one warning per process when worker threads fall back too', async () => {
  // Internals fail in the main thread and in two workers (a factory that throws, as a moved file would).
  const script = `
    import { Worker, isMainThread } from 'node:worker_threads';
    const { chooseKernelEngine } = await import(${JSON.stringify(new URL('../../src/nn/xnn.js', import.meta.url).href)});
    const bad = () => { throw new Error('internals gone'); };
    const engine = chooseKernelEngine(bad);
    if (isMainThread) {
      const code = 'const { chooseKernelEngine } = await import(' + JSON.stringify(${JSON.stringify(new URL('../../src/nn/xnn.js', import.meta.url).href)}) + '); chooseKernelEngine(' + bad.toString() + ');';
      await Promise.all([0, 1].map(() => new Promise((res, rej) => new Worker(code, { eval: true, type: 'module' }).on('exit', res).on('error', rej))));
      console.log(engine);
    }`;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  assert.equal(stdout.trim(), 'portable');
  assert.equal(stderr.match(/SPARSELAW_KERNEL_FALLBACK/g)?.length, 1, stderr);
});

test('XnnKernels.load gives working kernels', async () => {
  assert.equal(kernelSelfTest(await XnnKernels.load()), undefined);
});
