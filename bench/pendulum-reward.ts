/**
 * Reward models of Pendulum-v1 (tutorial comparison). Run: npm run build && node dist/bench/pendulum-reward.js
 * The reward -(theta^2 + 0.1 thetaDot^2 + 0.001 u^2) uses theta = atan2(sin, cos), which no
 * polynomial or Fourier library in (cos, sin) expresses exactly: the dictionaries approximate it.
 */
import { runPendulumComparison } from './shared/pendulum-models.js';

await runPendulumComparison('Pendulum-v1 reward (from cos, sin, thetaDot, torque)', ['reward'], {
  epochs: Number(process.env.EPOCHS ?? 10),
  libraries: ['poly:3', 'fourier:1', 'poly:3+fourier:1'],
});
