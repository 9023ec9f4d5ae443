import type { MjData } from 'mujoco-js';
import type { Rng } from '../../util/rng.js';

/** What a task's reward sees after the step's frames: the positions before them, the data after. */
export interface StepOutcome {
  /** qpos before the step (a copy). */
  qposBefore: Float64Array;
  data: MjData;
  /** The applied action (clipped into the control range). */
  action: Float64Array;
  /** Time per environment step: timestep times frame skip. */
  dt: number;
}

/** The named reward terms of one step (they sum to the reward) and whether the episode ended. */
export interface RewardOutcome {
  terms: Record<string, number>;
  terminated: boolean;
}

/** How the report draws the body: the plane it moves in, the ground line, the joints to chart. */
export interface Drawing {
  /** World axes of the picture: 'xz' for a side view (locomotion, pendulums), 'xy' for a top view. */
  plane: 'xz' | 'xy';
  /** Height of the floor line (absent: no floor). */
  floor?: number;
  /** Hinge joints whose angles are charted against time, with their labels. */
  joints: readonly { joint: string; label: string }[];
  /** Frames are centred on this body's horizontal position (absent: drawn where they are). */
  follow?: string;
}

/**
 * A Gymnasium MuJoCo task: its model (MJCF text), step timing, observation, reward terms,
 * termination and reset distribution. MujocoEnv turns one into an Env.
 */
export interface MujocoTask {
  /** Command-line name. */
  id: string;
  /** Gymnasium's name, e.g. Hopper-v5. */
  title: string;
  description: string;
  /**
   * The MJCF model. Each sets <size memory="1M"/>: MuJoCo's automatic arena is 13.6 MB per MjData,
   * and these models use at most about 30 kB of it (measured over random-action episodes).
   */
  xml: string;
  /** Physics steps (of the model's timestep) per environment step. */
  frameSkip: number;
  maxEpisodeSteps: number;
  observationNames: readonly string[];
  actionNames: readonly string[];
  /** The observation from the data after a reset or a step. */
  observe(data: MjData): Float64Array;
  /** Adds the reset noise to qpos and qvel (which hold the model's rest state) in place. */
  perturb(rng: Rng, qpos: Float64Array, qvel: Float64Array): void;
  reward(step: StepOutcome): RewardOutcome;
  drawing?: Drawing;
}

/** Adds U(-scale, scale) to every element (Gymnasium's uniform reset noise). */
export function addUniform(rng: Rng, values: Float64Array, scale: number): void {
  for (let i = 0; i < values.length; i++) values[i]! += rng.range(-scale, scale);
}

/** Adds scale * N(0, 1) to every element (Gymnasium's normal reset noise). */
export function addNormal(rng: Rng, values: Float64Array, scale: number): void {
  for (let i = 0; i < values.length; i++) values[i]! += scale * rng.normal();
}

export const clip = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Sum of squares of the action (the control cost before its weight). */
export function squaredNorm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return s;
}

/**
 * The observation of the locomotion tasks: qpos without its first `skip` entries (the horizontal
 * position, which v5 excludes by default), then qvel, optionally clipped to [-clipVelocity, clipVelocity].
 */
export function positionsAndVelocities(data: MjData, skip: number, clipVelocity?: number): Float64Array {
  const qpos = data.qpos as Float64Array;
  const qvel = data.qvel as Float64Array;
  const out = new Float64Array(qpos.length - skip + qvel.length);
  out.set(qpos.subarray(skip));
  const v = qpos.length - skip;
  for (let i = 0; i < qvel.length; i++) out[v + i] = clipVelocity === undefined ? qvel[i]! : clip(qvel[i]!, -clipVelocity, clipVelocity);
  return out;
}

/** Sums the terms in their order: the reward is exactly this sum. */
export function sumTerms(terms: Record<string, number>): number {
  let s = 0;
  for (const v of Object.values(terms)) s += v;
  return s;
}

/**
 * The reward of the planar walkers that must stay healthy (Hopper, Walker2d): forward velocity of the
 * root, a quadratic control cost and a survive bonus while healthy; unhealthy ends the episode.
 */
export function healthyForwardReward(
  weights: { readonly forward: number; readonly ctrl: number; readonly healthy: number },
  isHealthy: (qpos: Float64Array, qvel: Float64Array) => boolean,
): (outcome: StepOutcome) => RewardOutcome {
  return ({ qposBefore, data, action, dt }) => {
    const qpos = data.qpos as Float64Array;
    const healthy = isHealthy(qpos, data.qvel as Float64Array);
    return {
      terms: {
        reward_forward: weights.forward * ((qpos[0]! - qposBefore[0]!) / dt),
        reward_ctrl: -weights.ctrl * squaredNorm(action),
        reward_survive: healthy ? weights.healthy : 0,
      },
      terminated: !healthy,
    };
  };
}
