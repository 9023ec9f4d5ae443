import { addUniform, positionsAndVelocities, squaredNorm, type MujocoTask } from './task.js';
import { mujocoEntry } from './entry.js';

/**
 * Swimmer-v5's model: three 1 m capsules (radius 0.1, density 1000) in a viscous fluid (density
 * 4000, viscosity 0.1) in the x-y plane, two hinge motors of gear 150; RK4 with a 10 ms timestep.
 * Nothing touches anything (no contacts), so Gymnasium's floor, which never collides, is left out.
 */
const XML = `<mujoco model="sparselaw-swimmer">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4" density="4000" viscosity="0.1"/>
  <size memory="1M"/>
  <default>
    <joint armature="0.1"/>
    <geom contype="0" conaffinity="0" condim="1" type="capsule" size="0.1" density="1000"/>
    <motor ctrllimited="true" ctrlrange="-1 1" gear="150"/>
  </default>
  <worldbody>
    <body name="torso">
      <joint name="slider1" type="slide" axis="1 0 0"/>
      <joint name="slider2" type="slide" axis="0 1 0"/>
      <joint name="free_body_rot" type="hinge" axis="0 0 1"/>
      <geom name="torso" fromto="1.5 0 0 0.5 0 0"/>
      <body name="mid" pos="0.5 0 0">
        <joint name="motor1_rot" type="hinge" axis="0 0 1" limited="true" range="-100 100"/>
        <geom name="mid" fromto="0 0 0 -1 0 0"/>
        <body name="back" pos="-1 0 0">
          <joint name="motor2_rot" type="hinge" axis="0 0 1" limited="true" range="-100 100"/>
          <geom name="back" fromto="0 0 0 -1 0 0"/>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="motor1" joint="motor1_rot"/>
    <motor name="motor2" joint="motor2_rot"/>
  </actuator>
</mujoco>
`;

export const SWIMMER_WEIGHTS = { forward: 1, ctrl: 1e-4 } as const;

export const swimmerTask: MujocoTask = {
  id: 'swimmer',
  title: 'Swimmer-v5',
  description: 'Gymnasium Swimmer-v5 (MuJoCo): a three-link swimmer in a viscous fluid swims forward; never terminates (1000 steps)',
  xml: XML,
  frameSkip: 4,
  maxEpisodeSteps: 1000,
  observationNames: ['angle', 'joint1', 'joint2', 'vx', 'vy', 'angle_dot', 'joint1_dot', 'joint2_dot'],
  actionNames: ['joint1_torque', 'joint2_torque'],
  observe: (data) => positionsAndVelocities(data, 2),
  perturb: (rng, qpos, qvel) => {
    addUniform(rng, qpos, 0.1);
    addUniform(rng, qvel, 0.1);
  },
  reward: ({ qposBefore, data, action, dt }) => {
    const qpos = data.qpos as Float64Array;
    return {
      terms: {
        reward_forward: SWIMMER_WEIGHTS.forward * ((qpos[0]! - qposBefore[0]!) / dt),
        reward_ctrl: -SWIMMER_WEIGHTS.ctrl * squaredNorm(action),
      },
      terminated: false,
    };
  },
  drawing: {
    plane: 'xy',
    follow: 'torso',
    joints: [
      { joint: 'free_body_rot', label: 'heading' },
      { joint: 'motor1_rot', label: 'joint1' },
      { joint: 'motor2_rot', label: 'joint2' },
    ],
  },
};

export const swimmerEntry = mujocoEntry(swimmerTask, { policy: 'poly:1', lambda: 1, iterations: 300, hardenAfter: 150, step: 0.02, rollouts: 2, maxTerms: 8, evalEvery: 25 });
