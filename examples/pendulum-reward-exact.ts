/**
 * The Pendulum-v1 reward as an exact law. Run: npm run build && node dist/examples/pendulum-reward-exact.js
 *
 * The reward -(theta^2 + 0.1 theta_dot^2 + 0.001 u^2) needs the angle itself, which no polynomial in
 * (cos, sin) expresses; atan2(sin_theta, cos_theta) is the angle exactly, so the library
 * custom{atan2(sin_theta, cos_theta)^2} + poly:2 contains the true law. The data are the CLI's
 * `simulate pendulum --episodes 40 --seed 3`. The torque term's variance is about 1.4e-6 (that is the
 * validation MSE left when it is dropped), so the automatic lambda drops it and the other two
 * coefficients absorb it (off by 2e-4); lambda = 1e-7 keeps it and recovers the law exactly.
 */
import { Pendulum, collectRandomEpisodes, discoverLaws, print, simplify } from 'sparselaw';

const INPUTS = ['cos_theta', 'sin_theta', 'theta_dot', 'torque'];
const LIBRARY = 'custom{atan2(sin_theta, cos_theta)^2} + poly:2';
const TRUTH: Record<string, number> = { 'atan2(sin_theta, cos_theta)^2': -1, 'theta_dot^2': -0.1, 'torque^2': -0.001 };

const data = collectRandomEpisodes(new Pendulum({ g: 9.81 }), { episodes: 40, seed: 3 });
for (const lambda of ['auto', 1e-7] as const) {
  const { law } = discoverLaws({ columns: data.columns, n: data.n, inputs: INPUTS, targets: ['reward'], library: LIBRARY, lambda, seed: 1 });
  const e = law.outputs[0]!.expr;
  console.log(`lambda ${lambda}: reward = ${print(simplify(e, { digits: 6 }))}`);
  console.log(`  full precision: ${print(e)}`);
}
console.log(`true law:        reward = ${Object.entries(TRUTH).map(([t, c]) => `${c} * ${t}`).join(' + ')}`);
