import { Pendulum } from './pendulum.js';
import { boundsScale, type EnvEntry } from './registry.js';

export const pendulumEntry: EnvEntry = {
  id: 'pendulum',
  title: 'Pendulum-v1',
  description: 'Gymnasium Pendulum-v1: swing up and hold a pendulum with a bounded torque (200 steps)',
  options: [{ name: 'g', description: 'gravity (Gymnasium uses 10, the tutorial 9.81)', default: 9.81, check: (v) => (v > 0 ? undefined : 'must be positive') }],
  create: (options) => new Pendulum({ g: options.g }),
  inputScale: (env) => boundsScale(env),
  evaluation: {
    default: {
      description: '10 episodes from the reset distribution',
      cases: (seed) => Array.from({ length: 10 }, (_, e) => ({ seed: seed + e })),
    },
  },
};
