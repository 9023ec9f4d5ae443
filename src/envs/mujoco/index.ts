import { invertedPendulumEntry } from './inverted-pendulum.js';
import { invertedDoublePendulumEntry } from './inverted-double-pendulum.js';
import { reacherEntry } from './reacher.js';
import { swimmerEntry } from './swimmer.js';
import { hopperEntry } from './hopper.js';
import { halfCheetahEntry } from './half-cheetah.js';
import { walker2dEntry } from './walker2d.js';
import type { MujocoEntry } from './entry.js';

/**
 * The Gymnasium v5 MuJoCo tasks. Importing this module does not load MuJoCo: each entry's
 * prepare() does, and must have resolved (in the calling thread) before its create().
 */
export const MUJOCO_ENTRIES: readonly MujocoEntry[] = [
  invertedPendulumEntry,
  invertedDoublePendulumEntry,
  reacherEntry,
  swimmerEntry,
  hopperEntry,
  halfCheetahEntry,
  walker2dEntry,
];

export { mujocoEntry, type MujocoEntry } from './entry.js';
export { MujocoEnv, type MujocoState } from './mujoco-env.js';
export { loadMujoco, mujocoIsLoaded } from './runtime.js';
export type { MujocoTask, Drawing, StepOutcome, RewardOutcome } from './task.js';
