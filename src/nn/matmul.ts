import * as tf from '@tensorflow/tfjs';

/**
 * a · b whose gradient never asks for a transposed matMul: on the wasm backend
 * matMul(..., transposeA/transposeB) is 13-19x slower than a plain one, and tfjs's own matMul
 * gradient uses exactly those. Materialising the transpose first costs one cheap copy.
 */
const kernel = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(sb)), tf.matMul(tf.transpose(sa), g)];
    },
  };
});

export function matMulNT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return kernel(a, b) as tf.Tensor2D;
}
