import { Rng, type RngState } from '../../util/rng.js';
import { SparselawError } from '../../errors.js';
import type { Env, ResetOptions, StepResult } from '../env.js';

export interface PendulumOptions {
  /** Gravity; Gymnasium's default is 10, the tutorial uses 9.81. */
  g?: number;
  seed?: number;
}

interface PendulumState {
  theta: number;
  thetaDot: number;
  steps: number;
  rng: RngState;
}

const MAX_SPEED = 8;
const MAX_TORQUE = 2;
const DT = 0.05;
const M = 1;
const L = 1;

/** ((a + pi) mod 2pi) - pi, with a floored modulo as numpy's. */
export function angleNormalize(a: number): number {
  const twoPi = 2 * Math.PI;
  return ((((a + Math.PI) % twoPi) + twoPi) % twoPi) - Math.PI;
}

/**
 * Pendulum-v1 with Gymnasium's semantics: observation [cos, sin, thetaDot] in float32, torque
 * clipped to [-2, 2], reward from the pre-step state, semi-implicit Euler with dt = 0.05, speed
 * clipped to [-8, 8], reset theta ~ U(-pi, pi), thetaDot ~ U(-1, 1), truncated after 200 steps.
 */
export class Pendulum implements Env {
  readonly id = 'Pendulum-v1';
  readonly observationNames = ['cos_theta', 'sin_theta', 'theta_dot'] as const;
  readonly actionNames = ['torque'] as const;
  readonly parameterNames = [] as const;
  readonly observationLow = Float64Array.of(-1, -1, -MAX_SPEED);
  readonly observationHigh = Float64Array.of(1, 1, MAX_SPEED);
  readonly actionLow = Float64Array.of(-MAX_TORQUE);
  readonly actionHigh = Float64Array.of(MAX_TORQUE);
  readonly maxEpisodeSteps = 200;
  /** Time per step (the report's time axis). */
  readonly dt = DT;
  readonly g: number;
  private rng: Rng;
  private theta = 0;
  private thetaDot = 0;
  private steps = 0;

  constructor(options: PendulumOptions = {}) {
    this.g = options.g ?? 10;
    if (!Number.isFinite(this.g)) throw new SparselawError(`gravity must be a finite number, got ${this.g}`);
    this.rng = Rng.seeded(options.seed ?? 0);
  }

  reset(options: ResetOptions = {}): Float64Array {
    if (options.seed !== undefined) this.rng = Rng.seeded(options.seed);
    if (options.parameters !== undefined && options.parameters.length > 0) throw new SparselawError('Pendulum-v1 has no parameters');
    this.theta = this.rng.range(-Math.PI, Math.PI);
    this.thetaDot = this.rng.range(-1, 1);
    this.steps = 0;
    return this.observation();
  }

  /** Sets the physical state directly (tests, verification from chosen initial states). */
  setPhysicalState(theta: number, thetaDot: number): Float64Array {
    this.theta = theta;
    this.thetaDot = thetaDot;
    this.steps = 0;
    return this.observation();
  }

  step(action: ArrayLike<number>): StepResult {
    const raw = action[0];
    if (raw === undefined || !Number.isFinite(raw)) throw new SparselawError(`Pendulum-v1 action must be one finite torque, got ${raw}`);
    const u = Math.min(MAX_TORQUE, Math.max(-MAX_TORQUE, raw));
    const th = this.theta;
    const thDot = this.thetaDot;
    const cost = angleNormalize(th) ** 2 + 0.1 * thDot ** 2 + 0.001 * u ** 2;
    let newThDot = thDot + ((3 * this.g) / (2 * L) * Math.sin(th) + (3 / (M * L * L)) * u) * DT;
    newThDot = Math.min(MAX_SPEED, Math.max(-MAX_SPEED, newThDot));
    this.theta = th + newThDot * DT;
    this.thetaDot = newThDot;
    this.steps++;
    return { observation: this.observation(), reward: -cost, terminated: false, truncated: this.steps >= this.maxEpisodeSteps };
  }

  parameters(): Float64Array {
    return new Float64Array(0);
  }

  getState(): PendulumState {
    return { theta: this.theta, thetaDot: this.thetaDot, steps: this.steps, rng: this.rng.getState() };
  }

  setState(state: unknown): void {
    const s = state as PendulumState;
    if (!s || typeof s.theta !== 'number' || typeof s.thetaDot !== 'number' || typeof s.steps !== 'number' || !s.rng) {
      throw new SparselawError('not a Pendulum-v1 state');
    }
    this.theta = s.theta;
    this.thetaDot = s.thetaDot;
    this.steps = s.steps;
    this.rng = Rng.fromState(s.rng);
  }

  private observation(): Float64Array {
    return Float64Array.of(Math.fround(Math.cos(this.theta)), Math.fround(Math.sin(this.theta)), Math.fround(this.thetaDot));
  }
}
