/**
 * Next-state models of Pendulum-v1 (tutorial comparison). Run: npm run build && node dist/bench/pendulum-dynamics.js
 * EPOCHS=n sets the training epochs of the nets (default 10).
 */
import { runPendulumComparison } from './shared/pendulum-models.js';

await runPendulumComparison('Pendulum-v1 dynamics (next cos, sin, thetaDot from cos, sin, thetaDot, torque)', ['next_cos_theta', 'next_sin_theta', 'next_theta_dot'], {
  epochs: Number(process.env.EPOCHS ?? 10),
  libraries: ['poly:3', 'fourier:1', 'poly:3+fourier:1'],
});
