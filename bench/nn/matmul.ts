import * as tf from '@tensorflow/tfjs';

/**
 * On the wasm backend matMul(..., transposeA/transposeB) is 13-19x slower than a plain matMul, and
 * tfjs's own matMul gradient uses exactly those. This gradient materialises the transposes first
 * (one cheap copy each) and, unlike a tf.customGrad, stays lazy: tfjs only computes the gradient of
 * the inputs it needs (the actor step of TD3 needs no gradient for the critic's weights).
 */
const swapLast = (t: tf.Tensor): tf.Tensor => {
  const perm = [...Array(t.rank).keys()];
  [perm[t.rank - 2], perm[t.rank - 1]] = [perm[t.rank - 1]!, perm[t.rank - 2]!];
  return tf.transpose(t, perm);
};

const transposeFree: tf.GradConfig = {
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const g = dy as tf.Tensor;
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const mm = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => tf.matMul(x, y);
    if (!transposeA && !transposeB) return { a: () => mm(g, swapLast(b)), b: () => mm(swapLast(a), g) };
    if (!transposeA && transposeB) return { a: () => mm(g, b), b: () => mm(swapLast(g), a) };
    if (transposeA && !transposeB) return { a: () => mm(b, swapLast(g)), b: () => mm(a, g) };
    return { a: () => mm(swapLast(b), swapLast(g)), b: () => mm(swapLast(g), swapLast(a)) };
  },
};

const original = tf.getGradient('BatchMatMul');

/** Chooses the matMul gradient (on by default; the benchmark switches it off to compare). */
export function setTransposeFreeMatMulGradient(on: boolean): void {
  tf.registerGradient(on ? transposeFree : original);
}

setTransposeFreeMatMulGradient(true);
