import { SparselawError } from '../../errors.js';
import { KsSolver } from '../../systems/ks.js';
import { Rng, type RngState } from '../../util/rng.js';
import type { Env, ResetOptions, StepResult } from '../env.js';
import { runEpisode } from '../episode.js';

/** Domain, grid and solver step of the reference environment. */
export const KS_L = 22;
export const KS_NX = 64;
export const KS_DT = 0.1;
/** Solver steps per control step (the action is held over 0.2 time units). */
export const KS_SOLVER_STEPS_PER_ACTION = 2;
/** Uncontrolled solver steps from the initial bump to the start state (t = 100.1). */
export const KS_TRANSIENT_STEPS = 1001;
/** Grid indices of the 8 actuator centres and of the 8 co-located sensors. */
export const KS_SENSOR_INDICES: readonly number[] = Object.freeze([4, 12, 20, 28, 36, 44, 52, 60]);
export const KS_ACTUATOR_CENTRES = KS_SENSOR_INDICES;
/** Width of each actuator's Gaussian, in grid-index units. */
export const KS_ACTUATOR_WIDTH = 0.8;
/** Weight of mean(a^2) in the cost. */
export const KS_ACTION_WEIGHT = 0.1;

/** The paper's training set of mu, drawn uniformly at each reset. */
export const KS_TRAIN_MUS: readonly number[] = Object.freeze([0, 0.05, -0.05, 0.1, -0.1, 0.15, -0.15, 0.2, -0.2]);

export interface KsEvalBin {
  readonly lo: number;
  readonly hi: number;
  /** True for the bins outside the training range [-0.2, 0.2]. */
  readonly beyondTraining: boolean;
}
/** Evaluation on unseen mu: one uniform draw per bin (the last two lie beyond the training range). */
export const KS_EVAL_BINS: readonly KsEvalBin[] = Object.freeze([
  { lo: 0, hi: 0.1, beyondTraining: false },
  { lo: 0.1, hi: 0.2, beyondTraining: false },
  { lo: -0.1, hi: 0, beyondTraining: false },
  { lo: -0.2, hi: -0.1, beyondTraining: false },
  { lo: 0.2, hi: 0.25, beyondTraining: true },
  { lo: -0.25, hi: -0.2, beyondTraining: true },
]);
/** One seeded draw of mu per evaluation bin, in the order of KS_EVAL_BINS. */
export function sampleKsEvalMus(seed: number): number[] {
  if (!Number.isSafeInteger(seed)) throw new SparselawError(`KS-v0: seed must be a safe integer, got ${seed}`);
  const rng = Rng.seeded(seed);
  return KS_EVAL_BINS.map((b) => rng.range(b.lo, b.hi));
}

/** Evaluation at fixed mu. */
export const KS_EVAL_FIXED: readonly number[] = Object.freeze([0.25, -0.25, 0.225, -0.225, 0.125, -0.125, 0.025, -0.025]);

/**
 * Observation bounds (they scale critic inputs; nothing is clipped to them). Uncontrolled episodes
 * at every training and evaluation mu (|mu| <= 0.25) keep the sensors within +-4.35 (99.9% of
 * readings within +-3.5, RMS 1.5; `node dist/bench/ks-proportional.js` prints this range), so
 * +-4.5 covers the attractor without stretching the typical range.
 */
export const KS_OBS_BOUND = 4.5;

export interface KuramotoSivashinskyOptions {
  /** Std of Gaussian noise added to the observed sensors (default 0; the paper evaluates with 0.25). The reward uses the true u. */
  sensorNoise?: number;
  /** Solver sub-steps per solver step (default 15). */
  substeps?: number;
  /** Control steps per episode before truncation (default 999). */
  episodeSteps?: number;
  /** Seed of the environment's random stream (mu draws, sensor noise); default 0. */
  seed?: number;
}

export interface KsStepResult extends StepResult {
  /** mean(u^2) of the state before the step. */
  stateCost: number;
  /** 0.1 mean(a^2) of the clipped action. */
  actionCost: number;
  /** The reward cap at 0 changed the reward (only when both costs are exactly 0). */
  capped: boolean;
}

interface KsState {
  kind: 'KS-v0';
  substeps: number;
  episodeSteps: number;
  sensorNoise: number;
  u: number[] | null;
  mu: number;
  steps: number;
  rng: RngState;
}

const startStates = new Map<string, Float64Array>();
let startStateComputations = 0;

/** How many start states have been computed (not taken from the cache) in this process. */
export function ksStartStateComputations(): number {
  return startStateComputations;
}

/** mu cos(4 pi x / L) on x = linspace(0, L, nx) with the endpoint (spacing L / (nx - 1)), the reference's grid. */
export function ksParametricForcing(mu: number, out: Float64Array = new Float64Array(KS_NX)): Float64Array {
  for (let i = 0; i < KS_NX; i++) out[i] = mu * Math.cos((4 * Math.PI * ((i * KS_L) / (KS_NX - 1))) / KS_L);
  return out;
}

/** Actuator j's shape exp(-0.5 ((i - c_j) / 0.8)^2) at grid index i, in index units without periodic wrap. */
export function ksActuatorShapes(): Float64Array[] {
  return KS_ACTUATOR_CENTRES.map((c) => {
    const g = new Float64Array(KS_NX);
    for (let i = 0; i < KS_NX; i++) g[i] = Math.exp(-0.5 * ((i - c) / KS_ACTUATOR_WIDTH) ** 2);
    return g;
  });
}

/** u = 0.5 on indices 4..44, else 0: the reference's initial bump before the transient. */
export function ksInitialBump(): Float64Array {
  const u = new Float64Array(KS_NX);
  for (let i = 4; i <= 44; i++) u[i] = 0.5;
  return u;
}

/**
 * The post-transient start state for mu: the initial bump after 1001 uncontrolled solver steps. It
 * depends only on mu and substeps, so it is computed once per pair and cached (a copy is returned).
 */
export function ksStartState(mu: number, substeps = 15): Float64Array {
  if (!Number.isFinite(mu)) throw new SparselawError(`KS-v0: mu must be a finite number, got ${mu}`);
  if (mu === 0) mu = 0; // -0 and 0 share one start state
  const key = `${substeps}:${mu}`;
  let u = startStates.get(key);
  if (u === undefined) {
    const solver = new KsSolver({ L: KS_L, nx: KS_NX, dt: KS_DT, substeps });
    solver.setForcing(ksParametricForcing(mu));
    u = ksInitialBump();
    for (let s = 0; s < KS_TRANSIENT_STEPS; s++) solver.step(u);
    startStates.set(key, u);
    startStateComputations++;
  }
  return Float64Array.from(u);
}

/**
 * Parametric Kuramoto-Sivashinsky control (KS-v0), with the numerics of the parametric-PDE-control
 * paper's code: 8 Gaussian actuators and 8 co-located sensors, one control step = 2 solver steps,
 * reward -(mean u^2 before the step + 0.1 mean a^2) capped at 0, truncation after 999 steps.
 * Observations are the sensors alone; mu is reported by parameters() (a law takes it as an input).
 */
export class KuramotoSivashinsky implements Env {
  readonly id = 'KS-v0';
  readonly observationNames: readonly string[] = Object.freeze(KS_SENSOR_INDICES.map((_, j) => `m${j + 1}`));
  readonly actionNames: readonly string[] = Object.freeze(KS_ACTUATOR_CENTRES.map((_, j) => `a${j + 1}`));
  readonly parameterNames: readonly string[] = Object.freeze(['mu']);
  readonly observationLow = new Float64Array(KS_SENSOR_INDICES.length).fill(-KS_OBS_BOUND);
  readonly observationHigh = new Float64Array(KS_SENSOR_INDICES.length).fill(KS_OBS_BOUND);
  readonly actionLow = new Float64Array(KS_ACTUATOR_CENTRES.length).fill(-1);
  readonly actionHigh = new Float64Array(KS_ACTUATOR_CENTRES.length).fill(1);
  readonly maxEpisodeSteps: number;
  readonly sensorNoise: number;
  readonly substeps: number;
  private rng: Rng;
  private readonly solver: KsSolver;
  private readonly shapes = ksActuatorShapes();
  private readonly muForcing = new Float64Array(KS_NX);
  private readonly forcing = new Float64Array(KS_NX);
  private readonly action = new Float64Array(KS_ACTUATOR_CENTRES.length);
  private u: Float64Array | null = null;
  private mu = 0;
  private steps = 0;

  constructor(options: KuramotoSivashinskyOptions = {}) {
    const noise = options.sensorNoise ?? 0;
    if (!(Number.isFinite(noise) && noise >= 0)) throw new SparselawError(`KS-v0: sensorNoise must be a finite number >= 0, got ${noise}`);
    const substeps = options.substeps ?? 15;
    if (!(Number.isInteger(substeps) && substeps >= 1)) throw new SparselawError(`KS-v0: substeps must be a positive integer, got ${substeps}`);
    const episodeSteps = options.episodeSteps ?? 999;
    if (!(Number.isInteger(episodeSteps) && episodeSteps >= 1)) {
      throw new SparselawError(`KS-v0: episodeSteps must be a positive integer, got ${episodeSteps}`);
    }
    const seed = options.seed ?? 0;
    if (!Number.isSafeInteger(seed)) throw new SparselawError(`KS-v0: seed must be a safe integer, got ${seed}`);
    this.sensorNoise = noise;
    this.substeps = substeps;
    this.maxEpisodeSteps = episodeSteps;
    this.rng = Rng.seeded(seed);
    this.solver = new KsSolver({ L: KS_L, nx: KS_NX, dt: KS_DT, substeps });
  }

  /** Starts an episode at the cached post-transient state of mu (given, or drawn from KS_TRAIN_MUS). */
  reset(options?: ResetOptions | number): Float64Array {
    const opts: ResetOptions = typeof options === 'number' ? { seed: options } : (options ?? {});
    if (opts.seed !== undefined) {
      if (!Number.isSafeInteger(opts.seed)) throw new SparselawError(`KS-v0: reset seed must be a safe integer, got ${opts.seed}`);
      this.rng = Rng.seeded(opts.seed);
    }
    let mu: number;
    if (opts.parameters !== undefined) {
      if (opts.parameters.length !== 1 || !Number.isFinite(opts.parameters[0])) {
        throw new SparselawError(`KS-v0: reset parameters must be [mu] with one finite number, got [${Array.from(opts.parameters).join(', ')}]`);
      }
      mu = opts.parameters[0]!;
    } else {
      mu = KS_TRAIN_MUS[this.rng.int(KS_TRAIN_MUS.length)]!;
    }
    this.mu = mu;
    this.u = ksStartState(mu, this.substeps);
    this.steps = 0;
    ksParametricForcing(mu, this.muForcing);
    return this.observe();
  }

  step(action: ArrayLike<number>): KsStepResult {
    const u = this.u;
    if (u === null) throw new SparselawError('KS-v0: step() before reset()');
    if (this.steps >= this.maxEpisodeSteps) {
      throw new SparselawError(`KS-v0: the episode was truncated after ${this.maxEpisodeSteps} steps; call reset()`);
    }
    const na = this.action.length;
    if (action.length !== na) throw new SparselawError(`KS-v0: action must have ${na} values, got ${action.length}`);
    for (let j = 0; j < na; j++) {
      const a = action[j]!;
      if (!Number.isFinite(a)) throw new SparselawError(`KS-v0: action a${j + 1} must be finite, got ${a}`);
      this.action[j] = a > 1 ? 1 : a < -1 ? -1 : a;
    }
    let uu = 0;
    for (let i = 0; i < KS_NX; i++) uu += u[i]! * u[i]!;
    let aa = 0;
    for (let j = 0; j < na; j++) aa += this.action[j]! * this.action[j]!;
    const stateCost = uu / KS_NX;
    const actionCost = (KS_ACTION_WEIGHT * aa) / na;
    const raw = -(stateCost + actionCost);
    // The reference sets r = 0 when r >= 0; only a zero field with a zero action reaches it.
    const capped = raw >= 0;
    const reward = capped ? 0 : raw;

    const f = this.forcing;
    f.set(this.muForcing);
    for (let j = 0; j < na; j++) {
      const a = this.action[j]!;
      if (a === 0) continue;
      const g = this.shapes[j]!;
      for (let i = 0; i < KS_NX; i++) f[i] += a * g[i]!;
    }
    this.solver.setForcing(f);
    for (let s = 0; s < KS_SOLVER_STEPS_PER_ACTION; s++) this.solver.step(u);
    this.steps++;
    return {
      observation: this.observe(),
      reward,
      terminated: false,
      truncated: this.steps >= this.maxEpisodeSteps,
      stateCost,
      actionCost,
      capped,
      info: { stateCost, actionCost },
    };
  }

  parameters(): Float64Array {
    return Float64Array.of(this.mu);
  }

  /** Control steps taken in the current episode. */
  get stepCount(): number {
    return this.steps;
  }

  /** u on the 64-point grid (a copy). */
  field(): Float64Array {
    if (this.u === null) throw new SparselawError('KS-v0: field() before reset()');
    return Float64Array.from(this.u);
  }

  getState(): KsState {
    return {
      kind: 'KS-v0',
      substeps: this.substeps,
      episodeSteps: this.maxEpisodeSteps,
      sensorNoise: this.sensorNoise,
      u: this.u === null ? null : Array.from(this.u),
      mu: this.mu,
      steps: this.steps,
      rng: this.rng.getState(),
    };
  }

  setState(state: unknown): void {
    const s = state as Partial<KsState> | null;
    if (!s || typeof s !== 'object' || s.kind !== 'KS-v0') throw new SparselawError('KS-v0: setState got something that is not a KS-v0 state');
    if (s.substeps !== this.substeps || s.episodeSteps !== this.maxEpisodeSteps || s.sensorNoise !== this.sensorNoise) {
      throw new SparselawError(
        `KS-v0: state was saved with substeps ${s.substeps}, episodeSteps ${s.episodeSteps}, sensorNoise ${s.sensorNoise}; ` +
          `this environment has ${this.substeps}, ${this.maxEpisodeSteps}, ${this.sensorNoise}`,
      );
    }
    if (typeof s.mu !== 'number' || !Number.isFinite(s.mu)) throw new SparselawError(`KS-v0: state field mu must be a finite number`);
    if (!Number.isInteger(s.steps) || s.steps! < 0 || s.steps! > this.maxEpisodeSteps) {
      throw new SparselawError(`KS-v0: state field steps must be an integer in [0, ${this.maxEpisodeSteps}], got ${s.steps}`);
    }
    if (s.u !== null && (!Array.isArray(s.u) || s.u.length !== KS_NX || !s.u.every((x) => typeof x === 'number' && Number.isFinite(x)))) {
      throw new SparselawError(`KS-v0: state field u must be null or ${KS_NX} finite numbers`);
    }
    if (!s.rng || !Array.isArray(s.rng.generator)) throw new SparselawError('KS-v0: state field rng is missing');
    this.u = s.u === null || s.u === undefined ? null : Float64Array.from(s.u);
    this.mu = s.mu;
    this.steps = s.steps!;
    this.rng = Rng.fromState(s.rng);
    ksParametricForcing(this.mu, this.muForcing);
  }

  private observe(): Float64Array {
    const u = this.u!;
    const obs = new Float64Array(KS_SENSOR_INDICES.length);
    for (let j = 0; j < obs.length; j++) {
      obs[j] = u[KS_SENSOR_INDICES[j]!]!;
      if (this.sensorNoise > 0) obs[j] += this.sensorNoise * this.rng.normal();
    }
    return obs;
  }
}

export interface KsEpisodeCosts {
  /** Sum of rewards. */
  return: number;
  /** Sum over steps of mean(u^2) before each step. */
  stateCost: number;
  /** Sum over steps of 0.1 mean(a^2). */
  actionCost: number;
  /** Steps at which the reward cap at 0 changed the reward (then return != -(state + action)). */
  cappedSteps: number;
  steps: number;
}

export interface KsEvaluateOptions {
  sensorNoise?: number;
  /** Seed of the sensor noise (default 0). */
  seed?: number;
  substeps?: number;
  episodeSteps?: number;
}

/** One episode of a deterministic policy (obs, mu) -> action at the given mu; returns the return and its two costs. */
export function evaluateKsPolicy(
  policy: (obs: Float64Array, mu: number) => ArrayLike<number>,
  mu: number,
  options: KsEvaluateOptions = {},
): KsEpisodeCosts {
  const env = new KuramotoSivashinsky({
    sensorNoise: options.sensorNoise,
    substeps: options.substeps,
    episodeSteps: options.episodeSteps,
    seed: options.seed,
  });
  const out: KsEpisodeCosts = { return: 0, stateCost: 0, actionCost: 0, cappedSteps: 0, steps: 0 };
  const episode = runEpisode(env, {
    reset: { parameters: [mu] },
    act: (obs) => policy(obs, mu),
    onStep: (_obs, _action, r) => {
      out.stateCost += r.stateCost;
      out.actionCost += r.actionCost;
      if (r.capped) out.cappedSteps++;
    },
  });
  out.return = episode.return;
  out.steps = episode.steps;
  return out;
}
