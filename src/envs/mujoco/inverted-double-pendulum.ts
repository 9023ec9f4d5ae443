import { addNormal, addUniform, clip, type MujocoTask } from './task.js';
import { mujocoEntry } from './entry.js';

/**
 * InvertedDoublePendulum-v5's model: a cart on a rail of +-1 m (limit margin 0.01) carrying two
 * 0.6 m poles (radius 0.045) on free hinges, a site at the tip; motor of gear 500, control range
 * +-1; joint damping 0.05, no contacts; RK4 with a 10 ms timestep and Gymnasium's gravity
 * (1e-5, 0, -9.81), whose tiny x part tips the upright poles.
 */
const XML = `<mujoco model="sparselaw-inverted-double-pendulum">
  <compiler inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4" gravity="1e-5 0 -9.81"/>
  <size memory="1M"/>
  <default>
    <joint damping="0.05"/>
    <geom contype="0" friction="1 0.1 0.1" type="capsule"/>
  </default>
  <worldbody>
    <geom name="rail" fromto="-1 0 0 1 0 0" size="0.02"/>
    <body name="cart">
      <joint name="slider" type="slide" axis="1 0 0" limited="true" range="-1 1" margin="0.01"/>
      <geom name="cart" fromto="-0.1 0 0 0.1 0 0" size="0.1"/>
      <body name="pole">
        <joint name="hinge" type="hinge" axis="0 1 0"/>
        <geom name="cpole" fromto="0 0 0 0 0 0.6" size="0.045"/>
        <body name="pole2" pos="0 0 0.6">
          <joint name="hinge2" type="hinge" axis="0 1 0"/>
          <geom name="cpole2" fromto="0 0 0 0 0 0.6" size="0.045"/>
          <site name="tip" pos="0 0 0.6" size="0.01"/>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="slide" joint="slider" gear="500" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;

export const INVERTED_DOUBLE_PENDULUM_WEIGHTS = { healthy: 10, x: 0.01, height: 1, v1: 1e-3, v2: 5e-3 } as const;
/** Tip height (above the rail) at or below which the episode ends. */
const MIN_TIP_HEIGHT = 1;

export const invertedDoublePendulumTask: MujocoTask = {
  id: 'inverted-double-pendulum',
  title: 'InvertedDoublePendulum-v5',
  description: 'Gymnasium InvertedDoublePendulum-v5 (MuJoCo): balance two stacked poles on a cart; terminates when the tip falls to height 1 (1000 steps)',
  xml: XML,
  frameSkip: 5,
  maxEpisodeSteps: 1000,
  observationNames: ['x', 'sin_theta1', 'sin_theta2', 'cos_theta1', 'cos_theta2', 'x_dot', 'theta1_dot', 'theta2_dot', 'rail_force'],
  actionNames: ['force'],
  observe: (data) => {
    const q = data.qpos as Float64Array;
    const v = data.qvel as Float64Array;
    const constraint = data.qfrc_constraint as Float64Array;
    return Float64Array.of(q[0]!, Math.sin(q[1]!), Math.sin(q[2]!), Math.cos(q[1]!), Math.cos(q[2]!), clip(v[0]!, -10, 10), clip(v[1]!, -10, 10), clip(v[2]!, -10, 10), clip(constraint[0]!, -10, 10));
  },
  perturb: (rng, qpos, qvel) => {
    addUniform(rng, qpos, 0.1);
    addNormal(rng, qvel, 0.1);
  },
  reward: ({ data }) => {
    const tip = data.site_xpos as Float64Array;
    const [x, y] = [tip[0]!, tip[2]!];
    const v = data.qvel as Float64Array;
    const w = INVERTED_DOUBLE_PENDULUM_WEIGHTS;
    const terminated = y <= MIN_TIP_HEIGHT;
    return {
      terms: {
        reward_survive: terminated ? 0 : w.healthy,
        reward_distance: -(w.x * x ** 2 + w.height * (y - 2) ** 2),
        reward_velocity: -(w.v1 * v[1]! ** 2 + w.v2 * v[2]! ** 2),
      },
      terminated,
    };
  },
  drawing: {
    plane: 'xz',
    joints: [
      { joint: 'hinge', label: 'pole 1' },
      { joint: 'hinge2', label: 'pole 2' },
    ],
  },
};

export const invertedDoublePendulumEntry = mujocoEntry(invertedDoublePendulumTask, { policy: 'poly:1', lambda: 1, iterations: 300, step: 0.02, rollouts: 2, maxTerms: 12, evalEvery: 25 });
