import { Pendulum } from './env.js';
import { boundsScale, type EnvEntry } from '../registry.js';
import { pendulumRolloutCharts } from './charts.js';

export const pendulumEntry: EnvEntry = {
  id: 'pendulum',
  title: 'Pendulum-v1',
  description: 'Gymnasium Pendulum-v1: swing up and hold a pendulum with a bounded torque (200 steps)',
  options: [{ name: 'g', description: 'gravity (Gymnasium uses 10, the tutorial 9.81)', default: 9.81, check: (v) => (v > 0 ? undefined : 'must be positive') }],
  create: (options) => new Pendulum({ g: options.g }),
  inputScale: (env) => boundsScale(env),
  rolloutCharts: pendulumRolloutCharts,
  // Chosen by measurement (docs/results-control.md, "Defaults"): 350 episodes (hardening after 280), critics 2x128
  // and lambda 1e-2. With poly:3 (20 candidates) seeds 1, 2 and 3 gave 10, 14 and 10 terms, and a
  // larger lambda (1.5e-2, 2e-2) cost the swing-up; the swing-up's main terms (sin, cos sin,
  // cos thetaDot, thetaDot) are all of degree <= 2, and poly:2 (10 candidates) gives 5, 8 and 6 terms
  // at the same returns.
  trainDefaults: { policy: 'poly:2', episodes: 350, lambda: 1e-2, combinedLibraryLambda: 1e-2, td3: { criticHidden: [128, 128] } },
  // See docs/search.md.
  searchDefaults: { policy: 'poly:2', lambda: 1, iterations: 600, step: 0.05, rollouts: 4, maxTerms: 8, evalEvery: 50 },
  presets: {
    tutorial: {
      description: "the tutorial's protocol: poly:3, 250 episodes, critics 2x256, lambda 5e-3 (1e-2 for libraries with '+')",
      policy: 'poly:3',
      episodes: 250,
      lambda: 5e-3,
      td3: { criticHidden: [256, 256] },
    },
  },
  evaluation: {
    default: {
      description: '10 episodes from the reset distribution',
      cases: (seed) => Array.from({ length: 10 }, (_, e) => ({ seed: seed + e })),
    },
  },
};
