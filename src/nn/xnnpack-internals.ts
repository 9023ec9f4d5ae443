import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Buf, XnnKernels } from './xnn.js';

/**
 * Direct access to the XNNPACK matrix multiply compiled into @tensorflow/tfjs-backend-wasm, without
 * tfjs's tensors around it. Each instance owns one WebAssembly module (its own memory), so every
 * worker thread can have one: that is how training uses both cores, since tfjs-wasm's own threaded
 * build cannot start its workers in Node (it starts them from blob: URLs, which Node refuses).
 *
 * Why not tfjs ops: a tfjs op costs tens of microseconds of dispatch (an output allocation, engine
 * bookkeeping), tfjs's matMul gradient uses transposed products that tfjs-wasm computes with a naive
 * loop (13-19x slower), and Adam costs a dozen ops per variable. Here a matrix product is one wasm
 * call on buffers allocated once, and everything elementwise is a plain loop over the same memory.
 *
 * The kernels are the ones tfjs registers (`_FusedMatMul`, `Transpose`); they address buffers by a
 * tensor id, so each call registers its operands under fresh ids and disposes them afterwards.
 * Disposing the weight operand also drops XNNPACK's packed copy of it, which must not outlive the
 * values it was packed from (weights change in place after every step).
 */

interface EmscriptenModule {
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  cwrap(name: string, ret: null | 'number', args: string[]): (...args: unknown[]) => unknown;
}

interface FactoryConfig {
  locateFile: (path: string) => string;
  instantiateWasm?: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) => WebAssembly.Exports;
}
type Factory = (config: FactoryConfig) => Promise<EmscriptenModule>;


const FUSED_LINEAR = 0;
const FUSED_RELU = 1;
const DTYPE_FLOAT32 = 0;

let factoryCache: Factory | undefined;
let compiled: WebAssembly.Module | undefined;

/** The installed @tensorflow/tfjs-backend-wasm's version (named in the fallback warning). */
export function installedWasmVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function loadFactory(): { factory: Factory; dir: string } {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  if (!factoryCache) {
    // The emscripten glue ends by patching a global its bundler normally defines; give it one.
    const g = globalThis as { WasmBackendModule?: unknown };
    g.WasmBackendModule ??= {};
    factoryCache = require(join(dir, 'tfjs-backend-wasm-simd.js')) as Factory;
  }
  return { factory: factoryCache, dir };
}

const shape3 = (rows: number, cols: number): Uint8Array => new Uint8Array(Int32Array.of(1, rows, cols).buffer);

/** The kernels tfjs-backend-wasm registers, called on its internal tensor ids (see xnn.ts for the checks). */
export class XnnpackKernels implements XnnKernels {
  private nextId = 1;
  private readonly fusedMatMul: (...args: unknown[]) => unknown;
  private readonly transposeKernel: (...args: unknown[]) => unknown;
  private readonly register: (id: number, size: number, ptr: number) => void;
  private readonly disposeData: (id: number) => void;
  private readonly perm = new Uint8Array(Int32Array.of(1, 0).buffer);

  private constructor(private readonly m: EmscriptenModule) {
    (m.cwrap('init', null, []) as () => void)();
    this.register = m.cwrap('register_tensor', null, ['number', 'number', 'number']) as (id: number, size: number, ptr: number) => void;
    this.disposeData = m.cwrap('dispose_data', null, ['number']) as (id: number) => void;
    this.fusedMatMul = m.cwrap('_FusedMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'number']);
    this.transposeKernel = m.cwrap('Transpose', null, ['number', 'array', 'number', 'number', 'number', 'array', 'number']);
  }

  /**
   * Instantiates a fresh module (single-threaded, SIMD), synchronously: Node compiles and instantiates wasm synchronously, and emscripten's
   * glue then initialises the runtime before the factory returns, on the config object itself
   * (it becomes the module). Lets constructors (an actor's) own a module without going async.
   */
  static create(): XnnpackKernels {
    const { factory, dir } = loadFactory();
    compiled ??= new WebAssembly.Module(readFileSync(join(dir, 'tfjs-backend-wasm-simd.wasm')));
    const mod = compiled;
    const config: FactoryConfig = {
      locateFile: (path) => join(dir, path),
      instantiateWasm: (imports, receive) => {
        const instance = new WebAssembly.Instance(mod, imports);
        receive(instance);
        return instance.exports;
      },
    };
    // The glue registers process-wide uncaughtException / unhandledRejection handlers per module
    // (rethrowing, as Node does anyway); drop them so that many modules do not pile up listeners.
    const before = { uncaughtException: process.listeners('uncaughtException'), unhandledRejection: process.listeners('unhandledRejection') };
    void factory(config);
    const emitter = process as unknown as { listeners(e: string): unknown[]; off(e: string, l: unknown): void };
    for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
      for (const l of emitter.listeners(event)) if (!(before[event] as unknown[]).includes(l)) emitter.off(event, l);
    }
    const m = config as unknown as EmscriptenModule;
    if (typeof m._malloc !== 'function' || !(m.HEAPF32 instanceof Float32Array)) throw new Error('the XNNPACK wasm module did not initialise synchronously');
    return new XnnpackKernels(m);
  }

  alloc(length: number): Buf {
    const ptr = this.m._malloc(Math.max(1, length) * 4);
    if (!ptr) throw new Error(`wasm allocation of ${length} floats failed`);
    this.m.HEAPF32.fill(0, ptr >> 2, (ptr >> 2) + length);
    return { ptr, length };
  }

  free(b: Buf): void {
    this.m._free(b.ptr);
  }

  /**
   * A view of a buffer. Memory growth (any allocation, XNNPACK's packing included) replaces the
   * underlying ArrayBuffer, so take views after the kernels ran and do not keep them across calls.
   */
  view(b: Buf, length = b.length, offset = 0): Float32Array {
    return new Float32Array(this.m.HEAPF32.buffer, b.ptr + offset * 4, length);
  }

  private ids(): number {
    const id = this.nextId;
    this.nextId += 4;
    if (this.nextId > 0x3fffffff) this.nextId = 1;
    return id;
  }

  /** out[m×n] = act(a[m×k] · b[k×n] + bias[n]); all row-major, `act` linear or relu. */
  matMul(a: Buf, m: number, k: number, b: Buf, n: number, out: Buf, bias?: Buf, relu = false, aOffset = 0): void {
    const id = this.ids();
    this.register(id, m * k, a.ptr + aOffset * 4);
    this.register(id + 1, k * n, b.ptr);
    this.register(id + 2, m * n, out.ptr);
    if (bias) this.register(id + 3, n, bias.ptr);
    this.fusedMatMul(id, shape3(m, k), 3, id + 1, shape3(k, n), 3, 0, 0, relu ? FUSED_RELU : FUSED_LINEAR, bias ? id + 3 : 0, 0, 0, id + 2);
    this.disposeData(id);
    this.disposeData(id + 1);
    this.disposeData(id + 2);
    if (bias) this.disposeData(id + 3);
  }

  /** dst[cols×rows] = src[rows×cols]ᵀ. */
  transpose(src: Buf, rows: number, cols: number, dst: Buf, srcOffset = 0): void {
    const id = this.ids();
    this.register(id, rows * cols, src.ptr + srcOffset * 4);
    this.register(id + 1, rows * cols, dst.ptr);
    this.transposeKernel(id, new Uint8Array(Int32Array.of(rows, cols).buffer), 2, DTYPE_FLOAT32, id + 1, this.perm, 2);
    this.disposeData(id);
    this.disposeData(id + 1);
  }
}
