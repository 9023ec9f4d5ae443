import { addUniform, type MujocoTask } from './task.js';
import { mujocoEntry } from './entry.js';

/**
 * InvertedPendulum-v5's model: a cart (capsule, radius 0.1) on a rail of +-1 m carrying a 0.6 m
 * pole (radius 0.049, its tip 1 mm off vertical), motor of gear 100 with control range +-3; damped
 * joints, no contacts; RK4 with a 20 ms timestep.
 */
const XML = `<mujoco model="sparselaw-inverted-pendulum">
  <compiler angle="radian" inertiafromgeom="true"/>
  <option timestep="0.02" integrator="RK4" gravity="0 0 -9.81"/>
  <size memory="1M"/>
  <default>
    <joint limited="true" damping="1" armature="0"/>
    <geom contype="0" friction="1 0.1 0.1" type="capsule"/>
  </default>
  <worldbody>
    <geom name="rail" fromto="-1 0 0 1 0 0" size="0.02"/>
    <body name="cart">
      <joint name="slider" type="slide" axis="1 0 0" range="-1 1"/>
      <geom name="cart" fromto="-0.1 0 0 0.1 0 0" size="0.1"/>
      <body name="pole">
        <joint name="hinge" type="hinge" axis="0 1 0" range="${-Math.PI / 2} ${Math.PI / 2}"/>
        <geom name="cpole" fromto="0 0 0 0.001 0 0.6" size="0.049"/>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="slide" joint="slider" gear="100" ctrllimited="true" ctrlrange="-3 3"/>
  </actuator>
</mujoco>
`;

/** The pole counts as upright while |angle| <= 0.2 rad. */
const MAX_ANGLE = 0.2;

export const invertedPendulumTask: MujocoTask = {
  id: 'inverted-pendulum',
  title: 'InvertedPendulum-v5',
  description: 'Gymnasium InvertedPendulum-v5 (MuJoCo): balance a pole on a cart, +1 per upright step; terminates when |angle| > 0.2 (1000 steps)',
  xml: XML,
  frameSkip: 2,
  maxEpisodeSteps: 1000,
  observationNames: ['x', 'theta', 'x_dot', 'theta_dot'],
  actionNames: ['force'],
  observe: (data) => Float64Array.from([...(data.qpos as Float64Array), ...(data.qvel as Float64Array)]),
  perturb: (rng, qpos, qvel) => {
    addUniform(rng, qpos, 0.01);
    addUniform(rng, qvel, 0.01);
  },
  reward: ({ data }) => {
    const qpos = data.qpos as Float64Array;
    const qvel = data.qvel as Float64Array;
    const finite = [...qpos, ...qvel].every(Number.isFinite);
    const terminated = !finite || Math.abs(qpos[1]!) > MAX_ANGLE;
    return { terms: { reward_survive: terminated ? 0 : 1 }, terminated };
  },
  drawing: { plane: 'xz', joints: [{ joint: 'hinge', label: 'pole' }] },
};

// Measured: a linear law of 4 or 5 terms balances for the full 1000 steps within 30 iterations (docs/search.md).
export const invertedPendulumEntry = mujocoEntry(invertedPendulumTask, { policy: 'poly:1', lambda: 1, iterations: 30, step: 0.02, rollouts: 2, maxTerms: 8, evalEvery: 10 });
