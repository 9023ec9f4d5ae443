import type { MjData, MjModel } from 'mujoco-js';
import { Rng, type RngState } from '../../util/rng.js';
import { SparselawError } from '../../errors.js';
import type { Env, ResetOptions, StepResult } from '../env.js';
import { compiledModel, loadedMujoco, type Mujoco } from './runtime.js';
import { sumTerms, type MujocoTask } from './task.js';

/** Everything mj_step reads from MjData besides the control, plus the episode's counters. */
export interface MujocoState {
  task: string;
  time: number;
  qpos: number[];
  qvel: number[];
  act: number[];
  /** The constraint solver's warm start (the previous step's accelerations). */
  qaccWarmstart: number[];
  ctrl: number[];
  steps: number;
  rng: RngState;
}

/** Frees an environment's MjData when the environment is garbage collected (MjData lives in wasm memory). */
const finalizer = new FinalizationRegistry<MjData>((data) => {
  if (!data.isDeleted()) data.delete();
});

// mjtGeom codes (mjGEOM_SPHERE, mjGEOM_CAPSULE, mjGEOM_CYLINDER) of the geoms a drawing shows.
const SPHERE = 2;
const CAPSULE = 3;
const CYLINDER = 5;

/**
 * A Gymnasium v5 MuJoCo task on the official WebAssembly build. The action is clipped into the
 * actuators' control range (what MuJoCo applies, and what the control cost is charged on), held for
 * `frameSkip` physics steps; the reward terms go into the step's info and sum to the reward.
 * Create it only after `loadMujoco()` has resolved in this thread (the entry's prepare()).
 */
export class MujocoEnv implements Env {
  readonly id: string;
  readonly observationNames: readonly string[];
  readonly actionNames: readonly string[];
  readonly parameterNames = [] as const;
  readonly observationLow: Float64Array;
  readonly observationHigh: Float64Array;
  readonly actionLow: Float64Array;
  readonly actionHigh: Float64Array;
  readonly maxEpisodeSteps: number;
  /** Time per environment step (the report's time axis). */
  readonly dt: number;
  readonly task: MujocoTask;
  private readonly mj: Mujoco;
  /** The compiled model, shared by the task's environments in this thread: read it, do not change it. */
  readonly model: MjModel;
  /** This environment's simulation data (for inspection: writing to it bypasses reset and setState). */
  readonly data: MjData;
  private rng: Rng;
  private steps = 0;
  private readonly drawnGeoms: number[];
  private readonly chartedQpos: number[];

  constructor(task: MujocoTask, seed = 0) {
    this.task = task;
    this.mj = loadedMujoco(task.title);
    this.model = compiledModel(this.mj, task.id, task.xml);
    this.data = new this.mj.MjData(this.model);
    finalizer.register(this, this.data, this);
    const m = this.model;
    if (m.nu !== task.actionNames.length) throw new Error(`${task.title}: the model has ${m.nu} actuators, the task names ${task.actionNames.length}`);
    this.id = task.title;
    this.observationNames = task.observationNames;
    this.actionNames = task.actionNames;
    this.observationLow = new Float64Array(task.observationNames.length).fill(-Infinity);
    this.observationHigh = new Float64Array(task.observationNames.length).fill(Infinity);
    const range = m.actuator_ctrlrange as Float64Array;
    this.actionLow = Float64Array.from({ length: m.nu }, (_, i) => range[2 * i]!);
    this.actionHigh = Float64Array.from({ length: m.nu }, (_, i) => range[2 * i + 1]!);
    this.maxEpisodeSteps = task.maxEpisodeSteps;
    this.dt = m.opt.timestep * task.frameSkip;
    this.rng = Rng.seeded(seed);
    const types = m.geom_type as Int32Array;
    this.drawnGeoms = task.drawing ? [...types.keys()].filter((g) => types[g] === SPHERE || types[g] === CAPSULE || types[g] === CYLINDER) : [];
    this.chartedQpos = (task.drawing?.joints ?? []).map(({ joint }) => this.qposAddress(joint));
    this.mj.mj_resetData(m, this.data);
    this.mj.mj_forward(m, this.data);
  }

  reset(options: ResetOptions = {}): Float64Array {
    if (options.seed !== undefined) this.rng = Rng.seeded(options.seed);
    if (options.parameters !== undefined && options.parameters.length > 0) throw new SparselawError(`${this.id} has no parameters`);
    const { mj, model, data } = this;
    mj.mj_resetData(model, data);
    const qpos = Float64Array.from(data.qpos as Float64Array);
    const qvel = Float64Array.from(data.qvel as Float64Array);
    this.task.perturb(this.rng, qpos, qvel);
    (data.qpos as Float64Array).set(qpos);
    (data.qvel as Float64Array).set(qvel);
    mj.mj_forward(model, data);
    this.steps = 0;
    return this.task.observe(data);
  }

  step(action: ArrayLike<number>): StepResult {
    const applied = this.applied(action);
    const { mj, model, data } = this;
    const qposBefore = Float64Array.from(data.qpos as Float64Array);
    (data.ctrl as Float64Array).set(applied);
    for (let k = 0; k < this.task.frameSkip; k++) mj.mj_step(model, data);
    this.steps++;
    const { terms, terminated } = this.task.reward({ qposBefore, data, action: applied, dt: this.dt });
    return {
      observation: this.task.observe(data),
      reward: sumTerms(terms),
      terminated,
      // As Gymnasium's TimeLimit: the last step of an episode may be both terminated and truncated.
      truncated: this.steps >= this.maxEpisodeSteps,
      info: terms,
    };
  }

  parameters(): Float64Array {
    return new Float64Array(0);
  }

  getState(): MujocoState {
    const d = this.data;
    return {
      task: this.task.id,
      time: d.time,
      qpos: Array.from(d.qpos as Float64Array),
      qvel: Array.from(d.qvel as Float64Array),
      act: Array.from(d.act as Float64Array),
      qaccWarmstart: Array.from(d.qacc_warmstart as Float64Array),
      ctrl: Array.from(d.ctrl as Float64Array),
      steps: this.steps,
      rng: this.rng.getState(),
    };
  }

  setState(state: unknown): void {
    const s = state as Partial<MujocoState> | null;
    const d = this.data;
    const fits = (v: unknown, n: number) => Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number');
    if (
      !s ||
      s.task !== this.task.id ||
      typeof s.time !== 'number' ||
      typeof s.steps !== 'number' ||
      !s.rng ||
      !fits(s.qpos, this.model.nq) ||
      !fits(s.qvel, this.model.nv) ||
      !fits(s.act, this.model.na) ||
      !fits(s.qaccWarmstart, this.model.nv) ||
      !fits(s.ctrl, this.model.nu)
    ) {
      throw new SparselawError(`not a ${this.id} state`);
    }
    d.time = s.time;
    (d.qpos as Float64Array).set(s.qpos!);
    (d.qvel as Float64Array).set(s.qvel!);
    (d.act as Float64Array).set(s.act!);
    (d.qacc_warmstart as Float64Array).set(s.qaccWarmstart!);
    (d.ctrl as Float64Array).set(s.ctrl!);
    // Positions of bodies (field()) follow the restored state; mj_forward leaves the state itself alone.
    this.mj.mj_forward(this.model, d);
    this.steps = s.steps;
    this.rng = Rng.fromState(s.rng);
  }

  /**
   * The body as the report draws it: [n, then per drawn geom x1, y1, x2, y2, radius in the drawing's
   * plane (a sphere has both ends at its centre), then the charted joint angles].
   */
  field(): Float64Array {
    const d = this.data;
    const plane = this.task.drawing?.plane ?? 'xz';
    const v = plane === 'xz' ? 2 : 1;
    const pos = d.geom_xpos as Float64Array;
    const mat = d.geom_xmat as Float64Array;
    const size = this.model.geom_size as Float64Array;
    const types = this.model.geom_type as Int32Array;
    const out = new Float64Array(1 + 5 * this.drawnGeoms.length + this.chartedQpos.length);
    out[0] = this.drawnGeoms.length;
    this.drawnGeoms.forEach((g, i) => {
      // A capsule's or cylinder's axis is its local z: the third column of its rotation matrix.
      const half = types[g] === SPHERE ? 0 : size[3 * g + 1]!;
      const ax = mat[9 * g + 2]! * half;
      const av = mat[9 * g + 2 + 3 * v]! * half;
      const cx = pos[3 * g]!;
      const cv = pos[3 * g + v]!;
      out.set([cx - ax, cv - av, cx + ax, cv + av, size[3 * g]!], 1 + 5 * i);
    });
    const qpos = d.qpos as Float64Array;
    this.chartedQpos.forEach((adr, j) => (out[1 + 5 * this.drawnGeoms.length + j] = qpos[adr]!));
    return out;
  }

  /** Frees the simulation data now rather than at garbage collection; the environment is unusable afterwards. */
  close(): void {
    finalizer.unregister(this);
    if (!this.data.isDeleted()) this.data.delete();
  }

  private applied(action: ArrayLike<number>): Float64Array {
    const n = this.actionLow.length;
    if (action.length !== n) throw new SparselawError(`${this.id} takes ${n} actions (${this.actionNames.join(', ')}), got ${action.length}`);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = action[i]!;
      if (!Number.isFinite(a)) throw new SparselawError(`${this.id} action ${this.actionNames[i]} must be a finite number, got ${a}`);
      out[i] = Math.min(this.actionHigh[i]!, Math.max(this.actionLow[i]!, a));
    }
    return out;
  }

  private qposAddress(joint: string): number {
    const id = this.mj.mj_name2id(this.model, this.mj.mjtObj.mjOBJ_JOINT.value, joint);
    if (id < 0) throw new Error(`${this.id}: the model has no joint "${joint}"`);
    return (this.model.jnt_qposadr as Int32Array)[id]!;
  }
}
