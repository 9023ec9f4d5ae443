import type { Rng } from './rng.js';

/**
 * One epoch of shuffled minibatches: fills `bx` (rows×p) and `by` (rows×m) from the row-major
 * `x` and `y` and yields the number of rows (the last batch may be short). `order` is reshuffled
 * in place, so successive epochs continue the same seeded stream.
 */
export function* minibatches(
  order: Uint32Array,
  rng: Rng,
  batchSize: number,
  x: Float32Array,
  p: number,
  y: Float32Array,
  m: number,
  bx: Float32Array,
  by: Float32Array,
): Generator<number> {
  rng.shuffle(order);
  for (let start = 0; start < order.length; start += batchSize) {
    const rows = Math.min(batchSize, order.length - start);
    for (let r = 0; r < rows; r++) {
      const src = order[start + r]!;
      bx.set(x.subarray(src * p, src * p + p), r * p);
      by.set(y.subarray(src * m, src * m + m), r * m);
    }
    yield rows;
  }
}
