import { addNormal, addUniform, positionsAndVelocities, squaredNorm, type MujocoTask } from './task.js';
import { mujocoEntry } from './entry.js';

/**
 * A capsule of half-length `half` centred at (x, z) in its body's frame, its axis turned by
 * `angle` (radians) about y from vertical: the fromto attribute of that segment.
 */
function tilted(x: number, z: number, angle: number, half: number): string {
  const dx = half * Math.sin(angle);
  const dz = half * Math.cos(angle);
  return `${x - dx} 0 ${z - dz} ${x + dx} 0 ${z + dz}`;
}

/** Each limb: body offset from its parent, joint stiffness, damping and range, capsule placement. */
interface Limb {
  name: string;
  pos: [number, number];
  stiffness: number;
  damping: number;
  range: [number, number];
  capsule: [number, number, number, number];
}

const BACK: Limb[] = [
  { name: 'bthigh', pos: [-0.5, 0], stiffness: 240, damping: 6, range: [-0.52, 1.05], capsule: [0.1, -0.13, -3.8, 0.145] },
  { name: 'bshin', pos: [0.16, -0.25], stiffness: 180, damping: 4.5, range: [-0.785, 0.785], capsule: [-0.14, -0.07, -2.03, 0.15] },
  { name: 'bfoot', pos: [-0.28, -0.14], stiffness: 120, damping: 3, range: [-0.4, 0.785], capsule: [0.03, -0.097, -0.27, 0.094] },
];
const FRONT: Limb[] = [
  { name: 'fthigh', pos: [0.5, 0], stiffness: 180, damping: 4.5, range: [-1, 0.7], capsule: [-0.07, -0.12, 0.52, 0.133] },
  { name: 'fshin', pos: [-0.14, -0.24], stiffness: 120, damping: 3, range: [-1.2, 0.87], capsule: [0.065, -0.09, -0.6, 0.106] },
  { name: 'ffoot', pos: [0.13, -0.18], stiffness: 60, damping: 1.5, range: [-0.5, 0.5], capsule: [0.045, -0.07, -0.6, 0.07] },
];

/** A chain of limbs, each nested in the previous one. */
function chain(limbs: Limb[], indent = '      '): string {
  const [limb, ...rest] = limbs;
  if (!limb) return '';
  const [cx, cz, angle, half] = limb.capsule;
  return `
${indent}<body name="${limb.name}" pos="${limb.pos[0]} 0 ${limb.pos[1]}">
${indent}  <joint name="${limb.name}" type="hinge" axis="0 1 0" stiffness="${limb.stiffness}" damping="${limb.damping}" range="${limb.range.join(' ')}"/>
${indent}  <geom name="${limb.name}" type="capsule" fromto="${tilted(cx, cz, angle, half)}" size="0.046"/>${chain(rest, `${indent}  `)}
${indent}</body>`;
}

/**
 * HalfCheetah-v5's model: a torso (with head) and two three-segment legs in the x-z plane, total
 * mass 14 kg, springy damped joints, six motors with gears 120, 90, 60 (back) and 120, 60, 30
 * (front); semi-implicit Euler with a 10 ms timestep. Capsules are written by their end points here
 * (Gymnasium places them by centre and axis-angle); the geometry is the same.
 */
const XML = `<mujoco model="sparselaw-half-cheetah">
  <compiler angle="radian" inertiafromgeom="true" settotalmass="14"/>
  <option timestep="0.01" gravity="0 0 -9.81"/>
  <size memory="1M"/>
  <default>
    <joint limited="true" armature="0.1" damping="0.01" stiffness="8" solreflimit="0.02 1" solimplimit="0 0.8 0.03"/>
    <geom contype="1" conaffinity="0" condim="3" friction="0.4 0.1 0.1" solref="0.02 1" solimp="0 0.8 0.01"/>
    <motor ctrllimited="true" ctrlrange="-1 1"/>
    <default class="root">
      <joint limited="false" armature="0" damping="0" stiffness="0"/>
    </default>
  </default>
  <worldbody>
    <geom name="floor" type="plane" size="40 40 40" conaffinity="1"/>
    <body name="torso" pos="0 0 0.7">
      <joint name="rootx" class="root" type="slide" axis="1 0 0"/>
      <joint name="rootz" class="root" type="slide" axis="0 0 1"/>
      <joint name="rooty" class="root" type="hinge" axis="0 1 0"/>
      <geom name="torso" type="capsule" fromto="-0.5 0 0 0.5 0 0" size="0.046"/>
      <geom name="head" type="capsule" fromto="${tilted(0.6, 0.1, 0.87, 0.15)}" size="0.046"/>${chain(BACK)}${chain(FRONT)}
    </body>
  </worldbody>
  <actuator>
    <motor name="bthigh" joint="bthigh" gear="120"/>
    <motor name="bshin" joint="bshin" gear="90"/>
    <motor name="bfoot" joint="bfoot" gear="60"/>
    <motor name="fthigh" joint="fthigh" gear="120"/>
    <motor name="fshin" joint="fshin" gear="60"/>
    <motor name="ffoot" joint="ffoot" gear="30"/>
  </actuator>
</mujoco>
`;

export const HALF_CHEETAH_WEIGHTS = { forward: 1, ctrl: 0.1 } as const;
const JOINTS = [...BACK, ...FRONT].map((l) => l.name);

export const halfCheetahTask: MujocoTask = {
  id: 'half-cheetah',
  title: 'HalfCheetah-v5',
  description: 'Gymnasium HalfCheetah-v5 (MuJoCo): a planar cheetah runs forward; never terminates (1000 steps)',
  xml: XML,
  frameSkip: 5,
  maxEpisodeSteps: 1000,
  observationNames: ['z', 'angle', ...JOINTS, 'vx', 'vz', 'angle_dot', ...JOINTS.map((j) => `${j}_dot`)],
  actionNames: JOINTS.map((j) => `${j}_torque`),
  observe: (data) => positionsAndVelocities(data, 1),
  perturb: (rng, qpos, qvel) => {
    addUniform(rng, qpos, 0.1);
    addNormal(rng, qvel, 0.1);
  },
  reward: ({ qposBefore, data, action, dt }) => {
    const qpos = data.qpos as Float64Array;
    return {
      terms: {
        reward_forward: HALF_CHEETAH_WEIGHTS.forward * ((qpos[0]! - qposBefore[0]!) / dt),
        reward_ctrl: -HALF_CHEETAH_WEIGHTS.ctrl * squaredNorm(action),
      },
      terminated: false,
    };
  },
  drawing: {
    plane: 'xz',
    floor: 0,
    follow: 'torso',
    joints: [{ joint: 'rooty', label: 'torso' }, ...JOINTS.map((j) => ({ joint: j, label: j }))],
  },
};

export const halfCheetahEntry = mujocoEntry(halfCheetahTask, { policy: 'poly:1', lambda: 150, iterations: 300, step: 0.02, rollouts: 1, directions: 32, top: 4, sigma: 0.03, maxTerms: 24, evalEvery: 20, center: true });
