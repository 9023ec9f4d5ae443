import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng.js';

/** What TD3 needs from a policy; both actors act from plain JS between updates. */
export interface Actor {
  readonly kind: 'mlp' | 'sparse';
  readonly variables: tf.Variable[];
  /** Batched differentiable action (B×a); `sampleGates` draws fresh hard-concrete gates. */
  forward(obs: Float32Array, rows: number, gates: 'sample' | 'deterministic', rng?: Rng): tf.Tensor2D;
  /** lambda * E[L0], or undefined for a dense actor. */
  penalty(): tf.Scalar | undefined;
  /** Deterministic action for one observation, without tfjs (call sync() after the weights change). */
  act(obs: ArrayLike<number>, out?: Float64Array): Float64Array;
  sync(): void;
  getWeights(): Float32Array[];
  setWeights(w: readonly Float32Array[]): void;
  copyFrom(other: Actor): void;
  polyakUpdate(source: Actor, tau: number): void;
  dispose(): void;
}

export interface ActorSpec {
  observationNames: readonly string[];
  actionNames: readonly string[];
  /** Observations are divided by this before the library or the network sees them. */
  obsScale: Float64Array;
  maxAction: Float64Array;
  seed: number;
}
