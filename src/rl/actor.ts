import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng.js';
import type { LawDocument } from '../export/law.js';

/**
 * What the training loop, its callbacks and the run files need from the policy being trained,
 * whatever trains it: evaluation acts with it, the sparsity schedule scales its penalty and ends its
 * structure search, and a finished run exports its law.
 */
export interface Policy {
  /** Deterministic action for one input (the observation, then the parameters the agent sees). */
  act(obs: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Multiplies the penalty (the loop ramps it from 0 so the critic can learn before gates close). */
  setPenaltyScale(scale: number): void;
  /** Ends the structure search: a sparse policy's gates become exactly 0 or 1; a dense one ignores it. */
  harden(): void;
  /** Surviving terms and whether every gate is exactly 0 or 1, for a policy that is a law. */
  sparsity(): { terms: number; gatesBinary: boolean } | undefined;
  /** The closed-form law in the inputs' own names and units, for a policy that is a law. */
  toLaw(): LawDocument | undefined;
}

/**
 * What TD3 needs from a policy. Everything that differs between a dense actor and a sparse law
 * (its optimisers, the L0 penalty, hardening, the exported law) lives behind this interface, so the
 * update and the training loop never ask which actor they have.
 */
export interface Actor extends Policy {
  readonly kind: string;
  readonly variables: tf.Variable[];
  /** Batched differentiable action (rows×a); 'sample' draws fresh hard-concrete gates where there are any. */
  forward(obs: Float32Array, rows: number, gates: 'sample' | 'deterministic', rng?: Rng): tf.Tensor2D;
  /**
   * One optimiser step on objective(forward(obs, 'sample')) plus the actor's own penalty; returns the
   * loss (the caller disposes it). The actor owns its optimisers and their step sizes.
   */
  step(objective: (action: tf.Tensor2D) => tf.Scalar, obs: Float32Array, rows: number, rng: Rng): tf.Scalar;
  /** Refreshes the tfjs-free copy of the weights that `act` uses (after the weights change). */
  sync(): void;
  /** Starts from a law document instead of random weights; absent where the actor cannot be a law. */
  startFromLaw?(law: LawDocument, source?: string): void;
  getWeights(): Float32Array[];
  setWeights(w: readonly Float32Array[]): void;
  /** JSON state beyond the weights (a sparse actor's frozen gates), for checkpoints. */
  getState(): unknown;
  setState(state: unknown): void;
  /** The actor's optimisers by name, for checkpoints (Adam moments resume bit-for-bit). */
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  copyFrom(other: Actor): void;
  polyakUpdate(source: Actor, tau: number): void;
  dispose(): void;
}

export interface ActorSpec {
  /** The agent's inputs: the observations, then the environment's parameters. */
  inputNames: readonly string[];
  actionNames: readonly string[];
  /** Inputs are divided by this before the library or the network sees them. */
  inputScale: Float64Array;
  actionLow: Float64Array;
  actionHigh: Float64Array;
  seed: number;
}

/** Actions live in [low, high]; networks produce tanh in [-1, 1], mapped by centre + half * tanh. */
export function actionAffine(spec: Pick<ActorSpec, 'actionLow' | 'actionHigh'>): { centre: Float64Array; half: Float64Array } {
  const centre = Float64Array.from(spec.actionLow, (lo, k) => (lo + spec.actionHigh[k]!) / 2);
  const half = Float64Array.from(spec.actionLow, (lo, k) => (spec.actionHigh[k]! - lo) / 2);
  return { centre, half };
}
