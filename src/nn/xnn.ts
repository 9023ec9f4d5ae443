import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads';
import { SparselawError } from '../errors.js';
import { PortableKernels } from './portable-kernels.js';
import { installedWasmVersion, XnnpackKernels } from './xnnpack-internals.js';

/** A float32 buffer inside one kernels instance's memory (a byte offset and a length). */
export interface Buf {
  readonly ptr: number;
  readonly length: number;
}

/**
 * Matrix kernels on buffers allocated once: what the flat MLPs (critics, MLP actors) compute with.
 * The fast engine calls the XNNPACK kernels compiled into @tensorflow/tfjs-backend-wasm through its
 * internals (tensor ids, registered kernel names), which no public API promises: the package pins
 * the exact version they were written against (XNNPACK_WASM_VERSION), and the first use in each
 * thread runs a small self-test against a direct summation. If the internals are missing or give a
 * wrong result, portable JavaScript kernels take over, with one warning per process.
 */
export interface XnnKernels {
  alloc(length: number): Buf;
  free(b: Buf): void;
  /** A view of a buffer; allocations may replace the memory, so do not keep views across calls. */
  view(b: Buf, length?: number, offset?: number): Float32Array;
  /** out[m×n] = act(a[m×k] · b[k×n] + bias[n]); all row-major, `act` linear or relu. */
  matMul(a: Buf, m: number, k: number, b: Buf, n: number, out: Buf, bias?: Buf, relu?: boolean, aOffset?: number): void;
  /** dst[cols×rows] = src[rows×cols]ᵀ. */
  transpose(src: Buf, rows: number, cols: number, dst: Buf, srcOffset?: number): void;
}

/** The @tensorflow/tfjs-backend-wasm version whose internals the XNNPACK engine reads (pinned in package.json). */
export const XNNPACK_WASM_VERSION = '4.22.0';

export type KernelEngine = 'xnnpack' | 'portable';

/**
 * Runs every entry point the engine uses on small exact inputs (multiples of 1/8, so each product
 * and partial sum is exact in float32 whatever the summation order) and compares with a direct
 * summation. Returns what is wrong, or undefined when the kernels are right.
 */
export function kernelSelfTest(k: XnnKernels): string | undefined {
  const m = 3, inner = 5, n = 4, offset = 2;
  const value = (i: number, salt: number) => (((i * 7 + salt * 3) % 11) - 5) / 8;
  const a = k.alloc(offset + m * inner), b = k.alloc(inner * n), bias = k.alloc(n), out = k.alloc(m * n), t = k.alloc(m * inner);
  try {
    k.view(a).set(Float32Array.from({ length: offset + m * inner }, (_, i) => value(i, 1)));
    k.view(b).set(Float32Array.from({ length: inner * n }, (_, i) => value(i, 2)));
    k.view(bias).set(Float32Array.from({ length: n }, (_, i) => value(i, 3)));
    const av = Float32Array.from(k.view(a, m * inner, offset)), bv = Float32Array.from(k.view(b)), biasv = Float32Array.from(k.view(bias));
    for (const relu of [false, true]) {
      k.matMul(a, m, inner, b, n, out, bias, relu, offset);
      const got = k.view(out, m * n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = biasv[j]!;
          for (let p = 0; p < inner; p++) s += av[i * inner + p]! * bv[p * n + j]!;
          const want = relu ? Math.max(0, s) : s;
          if (got[i * n + j] !== want) return `matMul${relu ? ' (relu)' : ''} gives ${got[i * n + j]} at (${i}, ${j}) instead of ${want}`;
        }
      }
    }
    k.transpose(a, m, inner, t, offset);
    const tv = k.view(t, m * inner);
    for (let i = 0; i < m; i++) for (let p = 0; p < inner; p++) {
      if (tv[p * m + i] !== av[i * inner + p]) return `transpose gives ${tv[p * m + i]} at (${p}, ${i}) instead of ${av[i * inner + p]}`;
    }
    return undefined;
  } finally {
    for (const buf of [a, b, bias, out, t]) k.free(buf);
  }
}

/**
 * The engine for this thread: XNNPACK when `create` gives kernels that pass the self-test, else
 * the portable kernels and one warning (naming the cause) through `warn`, unless a thread of this
 * process already warned. SPARSELAW_KERNELS=portable chooses the portable kernels without a test.
 */
export function chooseKernelEngine(create: () => XnnKernels = () => XnnpackKernels.create(), warn: (message: string) => void = warnOnce): KernelEngine {
  const forced = process.env.SPARSELAW_KERNELS;
  if (forced !== undefined && forced !== '' && forced !== 'xnnpack' && forced !== 'portable') {
    throw new SparselawError(`SPARSELAW_KERNELS: expected xnnpack or portable, got "${forced}"`);
  }
  if (forced === 'portable') return 'portable';
  let problem: string | undefined;
  try {
    problem = kernelSelfTest(create());
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
  }
  if (problem === undefined) return 'xnnpack';
  warn(
    `the XNNPACK kernels of @tensorflow/tfjs-backend-wasm ${installedWasmVersion()} failed their self-test (${problem}); ` +
      `using portable JavaScript kernels instead (slower; sparselaw was written against ${XNNPACK_WASM_VERSION})`,
  );
  return 'portable';
}

/**
 * One warning per process, across worker threads: the flag is a SharedArrayBuffer that the main
 * thread puts in the environment data every worker it starts inherits (set when this module loads,
 * before the workers that use it exist).
 */
const WARNED_KEY = 'sparselaw:kernel-fallback-warned';
if (isMainThread && getEnvironmentData(WARNED_KEY) === undefined) setEnvironmentData(WARNED_KEY, new SharedArrayBuffer(4));

function warnOnce(message: string): void {
  const shared = getEnvironmentData(WARNED_KEY);
  const flag = shared instanceof SharedArrayBuffer ? new Int32Array(shared) : new Int32Array(1);
  if (Atomics.compareExchange(flag, 0, 0, 1) === 0) process.emitWarning(message, { code: 'SPARSELAW_KERNEL_FALLBACK' });
}

let engine: KernelEngine | undefined;

function loadSync(): XnnKernels {
  engine ??= chooseKernelEngine();
  return engine === 'xnnpack' ? XnnpackKernels.create() : new PortableKernels();
}

/** Kernels for this thread: each call gives a fresh instance with its own memory. */
export const XnnKernels = {
  async load(): Promise<XnnKernels> {
    return loadSync();
  },
  /** The same, synchronously (the wasm module compiles and starts synchronously in Node). */
  loadSync,
};
