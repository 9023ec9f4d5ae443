import { addUniform, healthyForwardReward, positionsAndVelocities, type MujocoTask } from './task.js';
import { mujocoEntry } from './entry.js';

/** One leg of the walker (thigh, leg, foot), its frames on its joints; `suffix` names the left one. */
function leg(suffix: string): string {
  return `
      <body name="thigh${suffix}" pos="0 0 -0.2">
        <joint name="thigh${suffix}_joint" type="hinge" axis="0 -1 0" range="-150 0"/>
        <geom name="thigh${suffix}_geom" type="capsule" fromto="0 0 0 0 0 -0.45" size="0.05" friction="0.9"/>
        <body name="leg${suffix}" pos="0 0 -0.45">
          <joint name="leg${suffix}_joint" type="hinge" axis="0 -1 0" range="-150 0"/>
          <geom name="leg${suffix}_geom" type="capsule" fromto="0 0 0 0 0 -0.5" size="0.04" friction="0.9"/>
          <body name="foot${suffix}" pos="0 0 -0.5">
            <joint name="foot${suffix}_joint" type="hinge" axis="0 -1 0" range="-45 45"/>
            <geom name="foot${suffix}_geom" type="capsule" fromto="0 0 0 0.2 0 0" size="0.06" friction="1.9"/>
          </body>
        </body>
      </body>`;
}

/**
 * Walker2d-v5's model: a torso on two identical legs in the x-z plane (v5 gives both feet friction
 * 1.9), six hinge motors of gear 100; RK4 with a 2 ms timestep. Body frames sit on the joints; the
 * geometry, masses (density 1000), joints, contacts and actuators are Gymnasium's.
 */
const XML = `<mujoco model="sparselaw-walker2d">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.002" integrator="RK4"/>
  <size memory="1M"/>
  <default>
    <joint limited="true" armature="0.01" damping="0.1"/>
    <geom contype="1" conaffinity="0" condim="3" density="1000" friction="0.7 0.1 0.1"/>
    <motor ctrllimited="true" ctrlrange="-1 1" gear="100"/>
    <default class="root">
      <joint limited="false" armature="0" damping="0" stiffness="0"/>
    </default>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="40 40 40" conaffinity="1"/>
    <body name="torso" pos="0 0 1.25">
      <joint name="rootx" class="root" type="slide" axis="1 0 0"/>
      <joint name="rootz" class="root" type="slide" axis="0 0 1" ref="1.25"/>
      <joint name="rooty" class="root" type="hinge" axis="0 1 0"/>
      <geom name="torso_geom" type="capsule" fromto="0 0 0.2 0 0 -0.2" size="0.05" friction="0.9"/>${leg('')}${leg('_left')}
    </body>
  </worldbody>
  <actuator>
    <motor name="thigh" joint="thigh_joint"/>
    <motor name="leg" joint="leg_joint"/>
    <motor name="foot" joint="foot_joint"/>
    <motor name="thigh_left" joint="thigh_left_joint"/>
    <motor name="leg_left" joint="leg_left_joint"/>
    <motor name="foot_left" joint="foot_left_joint"/>
  </actuator>
</mujoco>
`;

export const WALKER2D_WEIGHTS = { forward: 1, ctrl: 1e-3, healthy: 1 } as const;

/** Gymnasium's is_healthy for Walker2d: 0.8 < z < 2 and -1 < torso angle < 1. */
export function walkerHealthy(qpos: Float64Array): boolean {
  const z = qpos[1]!;
  const angle = qpos[2]!;
  return z > 0.8 && z < 2 && angle > -1 && angle < 1;
}

const JOINTS = ['thigh', 'leg', 'foot', 'thigh_left', 'leg_left', 'foot_left'];

export const walker2dTask: MujocoTask = {
  id: 'walker2d',
  title: 'Walker2d-v5',
  description: 'Gymnasium Walker2d-v5 (MuJoCo): a planar biped walks forward; terminates when it falls (1000 steps)',
  xml: XML,
  frameSkip: 4,
  maxEpisodeSteps: 1000,
  observationNames: ['z', 'angle', ...JOINTS, 'vx', 'vz', 'angle_dot', ...JOINTS.map((j) => `${j}_dot`)],
  actionNames: JOINTS.map((j) => `${j}_torque`),
  observe: (data) => positionsAndVelocities(data, 1, 10),
  perturb: (rng, qpos, qvel) => {
    addUniform(rng, qpos, 5e-3);
    addUniform(rng, qvel, 5e-3);
  },
  reward: healthyForwardReward(WALKER2D_WEIGHTS, (qpos) => walkerHealthy(qpos)),
  drawing: {
    plane: 'xz',
    floor: 0,
    follow: 'torso',
    joints: [{ joint: 'rooty', label: 'torso' }, ...JOINTS.map((j) => ({ joint: `${j}_joint`, label: j }))],
  },
};

export const walker2dEntry = mujocoEntry(walker2dTask, { policy: 'poly:1', lambda: 3, iterations: 400, step: 0.02, rollouts: 1, directions: 40, top: 30, sigma: 0.025, maxTerms: 24, evalEvery: 20, center: true, rewardShift: 1 });
