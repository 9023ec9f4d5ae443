import { boundsScale, type EnvEntry, type EnvSearchDefaults } from '../registry.js';
import { MujocoEnv } from './mujoco-env.js';
import { filmStripCharts } from './film-strip.js';
import { loadMujoco } from './runtime.js';
import type { MujocoTask } from './task.js';

/**
 * A MuJoCo task's entry. `create` is synchronous like every entry's, and throws a one-line error
 * until `prepare()` has resolved in the calling thread (each worker thread prepares for itself).
 */
export interface MujocoEntry extends EnvEntry {
  readonly task: MujocoTask;
  prepare(): Promise<void>;
}

export function mujocoEntry(task: MujocoTask, searchDefaults?: EnvSearchDefaults): MujocoEntry {
  return {
    ...(searchDefaults ? { searchDefaults } : {}),
    id: task.id,
    title: task.title,
    description: task.description,
    task,
    options: [],
    prepare: async () => {
      await loadMujoco();
    },
    create: () => new MujocoEnv(task),
    // Gymnasium declares every observation unbounded, so the inputs go to the agent unscaled.
    inputScale: (env) => boundsScale(env),
    ...(task.drawing ? { rolloutCharts: filmStripCharts(task.drawing) } : {}),
    evaluation: {
      default: {
        description: '10 episodes from the reset distribution',
        cases: (seed) => Array.from({ length: 10 }, (_, e) => ({ seed: seed + e })),
      },
    },
  };
}
