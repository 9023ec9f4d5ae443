import { Pendulum } from './pendulum.js';
import { boundsScale, type EnvEntry } from './registry.js';
import { pendulumRolloutCharts } from '../report/rollout-charts.js';

export const pendulumEntry: EnvEntry = {
  id: 'pendulum',
  title: 'Pendulum-v1',
  description: 'Gymnasium Pendulum-v1: swing up and hold a pendulum with a bounded torque (200 steps)',
  options: [{ name: 'g', description: 'gravity (Gymnasium uses 10, the tutorial 9.81)', default: 9.81, check: (v) => (v > 0 ? undefined : 'must be positive') }],
  create: (options) => new Pendulum({ g: options.g }),
  inputScale: (env) => boundsScale(env),
  rolloutCharts: pendulumRolloutCharts,
  // Chosen by measurement (README, "Defaults"): with critics 2x128 and lambda 1e-2 seeds 1, 2 and 3
  // each give a law of at most 10 terms with binary gates and a mean return above -200.
  trainDefaults: { lambda: 1e-2, td3: { criticHidden: [128, 128] } },
  presets: {
    tutorial: { description: "the tutorial's protocol: critics 2x256, lambda 5e-3 (1e-2 for libraries with '+')", lambda: 5e-3, td3: { criticHidden: [256, 256] } },
  },
  evaluation: {
    default: {
      description: '10 episodes from the reset distribution',
      cases: (seed) => Array.from({ length: 10 }, (_, e) => ({ seed: seed + e })),
    },
  },
};
