import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng.js';
import { BETA, GAMMA, ZETA } from './hard-concrete.js';

/** The hard-concrete gates of hard-concrete.ts as batched, differentiable tfjs ops. */

const SHIFT = BETA * Math.log(-GAMMA / ZETA);
/** Same clamp of the uniforms as src/l0/hard-concrete.ts, so log(u) and log(1 - u) stay finite. */
const EPS = 1e-6;

/**
 * Logistic noise log(u) - log(1 - u) for `count` uniforms of the seeded stream. Computed in float64
 * before the tensor is made: in float32, 1 - u rounds badly near u = 1.
 */
export function logisticNoise(rng: Rng, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const u = Math.min(1 - EPS, Math.max(EPS, rng.uniform()));
    out[i] = Math.log(u) - Math.log(1 - u);
  }
  return out;
}

/** Training-time gates from logistic noise (same shape as logAlpha, or broadcastable against it). */
export function sampleGatesFromNoise(logAlpha: tf.Tensor, noise: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(tf.add(tf.mul(tf.sigmoid(tf.div(tf.add(noise, logAlpha), BETA)), ZETA - GAMMA), GAMMA), 0, 1));
}

/** Training-time gates from uniforms u in (0, 1) (clamped to [1e-6, 1 - 1e-6] like the scalar version). */
export function sampleGates(logAlpha: tf.Tensor, u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const v = tf.clipByValue(u, EPS, 1 - EPS);
    return sampleGatesFromNoise(logAlpha, tf.sub(tf.log(v), tf.log1p(tf.neg(v))));
  });
}

/** Test-time gates. */
export function deterministicGates(logAlpha: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(tf.add(tf.mul(tf.sigmoid(logAlpha), ZETA - GAMMA), GAMMA), 0, 1));
}

/** P(z != 0) per gate; its sum is the expected L0 norm (differentiable in logAlpha). */
export function probNonZeroTensor(logAlpha: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sigmoid(tf.sub(logAlpha, SHIFT)));
}
