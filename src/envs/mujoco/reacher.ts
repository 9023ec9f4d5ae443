import { addUniform, squaredNorm, type MujocoTask } from './task.js';
import { mujocoEntry } from './entry.js';

/**
 * Reacher-v5's model: a two-link arm (0.1 m links, radius 0.01) on a table, seen from above, with a
 * fingertip body 0.11 m along the second link and a target moved by two slide joints (their range
 * +-0.27); hinge motors of gear 200; armature and damping 1, no contacts; RK4 with a 10 ms
 * timestep. The target body sits at the origin with its slides' reference 0 (Gymnasium's sits at
 * (0.1, -0.1) with references 0.1 and -0.1): the same target coordinates in qpos.
 */
const XML = `<mujoco model="sparselaw-reacher">
  <compiler angle="radian" inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4" gravity="0 0 -9.81"/>
  <size memory="1M"/>
  <default>
    <joint limited="true" armature="1" damping="1"/>
    <geom contype="0" friction="1 0.1 0.1"/>
  </default>
  <worldbody>
    <geom name="ground" type="plane" size="1 1 10" conaffinity="0"/>
    <geom name="side_s" type="capsule" fromto="-0.3 -0.3 0.01 0.3 -0.3 0.01" size="0.02" conaffinity="0"/>
    <geom name="side_e" type="capsule" fromto="0.3 -0.3 0.01 0.3 0.3 0.01" size="0.02" conaffinity="0"/>
    <geom name="side_n" type="capsule" fromto="-0.3 0.3 0.01 0.3 0.3 0.01" size="0.02" conaffinity="0"/>
    <geom name="side_w" type="capsule" fromto="-0.3 -0.3 0.01 -0.3 0.3 0.01" size="0.02" conaffinity="0"/>
    <geom name="root" type="cylinder" fromto="0 0 0 0 0 0.02" size="0.011" conaffinity="0"/>
    <body name="body0" pos="0 0 0.01">
      <joint name="joint0" type="hinge" axis="0 0 1" limited="false"/>
      <geom name="link0" type="capsule" fromto="0 0 0 0.1 0 0" size="0.01"/>
      <body name="body1" pos="0.1 0 0">
        <joint name="joint1" type="hinge" axis="0 0 1" range="-3 3"/>
        <geom name="link1" type="capsule" fromto="0 0 0 0.1 0 0" size="0.01"/>
        <body name="fingertip" pos="0.11 0 0">
          <geom name="fingertip" type="sphere" size="0.01"/>
        </body>
      </body>
    </body>
    <body name="target" pos="0 0 0.01">
      <joint name="target_x" type="slide" axis="1 0 0" range="-0.27 0.27" armature="0" damping="0"/>
      <joint name="target_y" type="slide" axis="0 1 0" range="-0.27 0.27" armature="0" damping="0"/>
      <geom name="target" type="sphere" size="0.009" conaffinity="0"/>
    </body>
  </worldbody>
  <actuator>
    <motor name="joint0" joint="joint0" gear="200" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="joint1" joint="joint1" gear="200" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;

/**
 * Weights of the distance and control terms. Gymnasium's Reacher-v5 code defaults
 * reward_control_weight to 1 (as v4 behaved) while its documentation table says 0.1; this follows
 * the code, which is what Gymnasium runs.
 */
export const REACHER_WEIGHTS = { distance: 1, ctrl: 1 } as const;
/** Indices of the fingertip and target bodies in the model (world is 0). */
const FINGERTIP = 3;
const TARGET = 4;
const GOAL_RADIUS = 0.2;

function fingertipToTarget(xpos: Float64Array): [number, number, number] {
  return [xpos[3 * FINGERTIP]! - xpos[3 * TARGET]!, xpos[3 * FINGERTIP + 1]! - xpos[3 * TARGET + 1]!, xpos[3 * FINGERTIP + 2]! - xpos[3 * TARGET + 2]!];
}

export const reacherTask: MujocoTask = {
  id: 'reacher',
  title: 'Reacher-v5',
  description: 'Gymnasium Reacher-v5 (MuJoCo): move a two-link arm\'s fingertip to a random target; never terminates (50 steps)',
  xml: XML,
  frameSkip: 2,
  maxEpisodeSteps: 50,
  observationNames: ['cos_q1', 'cos_q2', 'sin_q1', 'sin_q2', 'target_x', 'target_y', 'q1_dot', 'q2_dot', 'tip_dx', 'tip_dy'],
  actionNames: ['q1_torque', 'q2_torque'],
  observe: (data) => {
    const q = data.qpos as Float64Array;
    const v = data.qvel as Float64Array;
    const [dx, dy] = fingertipToTarget(data.xpos as Float64Array);
    return Float64Array.of(Math.cos(q[0]!), Math.cos(q[1]!), Math.sin(q[0]!), Math.sin(q[1]!), q[2]!, q[3]!, v[0]!, v[1]!, dx, dy);
  },
  perturb: (rng, qpos, qvel) => {
    addUniform(rng, qpos, 0.1);
    // The goal: uniform in the disc of radius 0.2 (rejection from the square), at rest.
    let gx: number;
    let gy: number;
    do {
      gx = rng.range(-GOAL_RADIUS, GOAL_RADIUS);
      gy = rng.range(-GOAL_RADIUS, GOAL_RADIUS);
    } while (!(Math.hypot(gx, gy) < GOAL_RADIUS));
    qpos[2] = gx;
    qpos[3] = gy;
    addUniform(rng, qvel, 0.005);
    qvel[2] = 0;
    qvel[3] = 0;
  },
  reward: ({ data, action }) => {
    const [dx, dy, dz] = fingertipToTarget(data.xpos as Float64Array);
    return {
      terms: {
        reward_dist: -REACHER_WEIGHTS.distance * Math.hypot(dx, dy, dz),
        reward_ctrl: -REACHER_WEIGHTS.ctrl * squaredNorm(action),
      },
      terminated: false,
    };
  },
  drawing: {
    plane: 'xy',
    joints: [
      { joint: 'joint0', label: 'shoulder' },
      { joint: 'joint1', label: 'elbow' },
    ],
  },
};

export const reacherEntry = mujocoEntry(reacherTask);
