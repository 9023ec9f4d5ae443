import type { Buf, XnnKernels } from './xnn.js';

const ALIGN = 16;

/**
 * The same kernels in plain JavaScript over a heap addressed like wasm memory: byte offsets into one
 * growable float32 buffer, so callers' pointer arithmetic works unchanged. Used when the XNNPACK
 * internals fail their start-up check. Not tfjs's public ops: those run on the wasm backend in the
 * main thread and on the cpu backend in worker threads, so one and two critic threads would no
 * longer train bit-identically; this code is the same in every thread. Products accumulate in
 * float64 and are rounded once. Slower than XNNPACK (bench/kernels.ts compares them), never wrong.
 */
export class PortableKernels implements XnnKernels {
  private heap = new Float32Array(1 << 14);
  /** Byte offset of the first unused byte; 0 is never handed out (a null pointer, as in wasm). */
  private top = ALIGN;
  private readonly sizes = new Map<number, number>();
  private readonly freeBySize = new Map<number, number[]>();
  private row = new Float64Array(64);

  alloc(length: number): Buf {
    const n = Math.max(1, length);
    const ptr = this.freeBySize.get(n)?.pop() ?? this.bump(n);
    this.sizes.set(ptr, n);
    this.heap.fill(0, ptr >> 2, (ptr >> 2) + n);
    return { ptr, length };
  }

  free(b: Buf): void {
    const n = this.sizes.get(b.ptr);
    if (n === undefined) return;
    this.sizes.delete(b.ptr);
    const list = this.freeBySize.get(n) ?? [];
    list.push(b.ptr);
    this.freeBySize.set(n, list);
  }

  /** Like wasm memory, growth replaces the buffer: take views after the kernels ran. */
  view(b: Buf, length = b.length, offset = 0): Float32Array {
    return new Float32Array(this.heap.buffer, b.ptr + offset * 4, length);
  }

  matMul(a: Buf, m: number, k: number, b: Buf, n: number, out: Buf, bias?: Buf, relu = false, aOffset = 0): void {
    const h = this.heap;
    const a0 = (a.ptr >> 2) + aOffset, b0 = b.ptr >> 2, o0 = out.ptr >> 2, c0 = bias ? bias.ptr >> 2 : -1;
    const row = this.row.length >= n ? this.row : (this.row = new Float64Array(n));
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) row[j] = c0 >= 0 ? h[c0 + j]! : 0;
      for (let p = 0; p < k; p++) {
        const aip = h[a0 + i * k + p]!;
        if (aip === 0) continue;
        const bp = b0 + p * n;
        for (let j = 0; j < n; j++) row[j]! += aip * h[bp + j]!;
      }
      const oi = o0 + i * n;
      for (let j = 0; j < n; j++) h[oi + j] = relu && row[j]! < 0 ? 0 : row[j]!;
    }
  }

  transpose(src: Buf, rows: number, cols: number, dst: Buf, srcOffset = 0): void {
    const h = this.heap;
    const s0 = (src.ptr >> 2) + srcOffset, d0 = dst.ptr >> 2;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) h[d0 + j * rows + i] = h[s0 + i * cols + j]!;
  }

  private bump(n: number): number {
    const ptr = this.top;
    this.top += Math.ceil((n * 4) / ALIGN) * ALIGN;
    if (this.top > this.heap.byteLength) {
      const grown = new Float32Array(Math.max(this.heap.length * 2, this.top >> 2));
      grown.set(this.heap);
      this.heap = grown;
    }
    return ptr;
  }
}
