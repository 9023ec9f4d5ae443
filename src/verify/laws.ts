import fc from 'fast-check';
import type { LawDocument } from '../law/document.js';
import type { Env } from '../envs/env.js';
import { Pendulum } from '../envs/pendulum/env.js';
import { lawPolicy } from '../rl/law-policy.js';
import { agentInput } from '../rl/evaluate.js';
import { runEpisode } from '../envs/episode.js';
import { completeEntry, type EnvEntryInput } from '../envs/entry-defaults.js';
import { resolveEnvOptions } from '../envs/registry.js';

/** An environment for a property: a function that makes one, or an environment entry (made with its default options). */
export type EnvSource = (() => Env) | EnvEntryInput;

function makeFrom(source: EnvSource): Env {
  if (typeof source === 'function') return source();
  const entry = completeEntry(source);
  return entry.create(resolveEnvOptions(entry));
}

/**
 * fast-check building blocks for verifying control laws in a user's own test suite:
 *
 *   fc.assert(lawStaysWithinBounds(law, () => new Pendulum(), pendulumStateArb()));
 *   fc.assert(formsAgree(compiled, exported, pendulumStateArb(), 1e-9));
 *   fc.assert(closedLoopReaches(law, () => new Pendulum(), pendulumStateArb(), { horizon: 200, target: upright }), { numRuns: 50 });
 */

/** A physical pendulum state; `observe` turns it into the observation an agent sees. */
export interface PendulumState {
  theta: number;
  thetaDot: number;
}

/**
 * Uniform in [lo, hi]. fast-check's `double` concentrates on tiny magnitudes and special values
 * (half its draws of an angle are below 1e-20), which tests only the upright state.
 */
export function uniformArb(lo: number, hi: number): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: 0xffffffff }).map((i) => lo + ((hi - lo) * i) / 0xffffffff);
}

export function pendulumStateArb(options: { maxSpeed?: number } = {}): fc.Arbitrary<PendulumState> {
  const w = options.maxSpeed ?? 8;
  return fc.record({ theta: uniformArb(-Math.PI, Math.PI), thetaDot: uniformArb(-w, w) });
}

/** Puts an environment in a state drawn by an arbitrary and returns the observation there. */
export type StateSetter<S> = (env: Env, state: S) => Float64Array;

export const setPendulumState: StateSetter<PendulumState> = (env, s) => {
  if (!(env instanceof Pendulum)) throw new Error(`setPendulumState needs a Pendulum, got ${env.id}: pass a state setter for this environment`);
  return env.setPhysicalState(s.theta, s.thetaDot);
};

/** The law's action stays inside the environment's action bounds at every drawn state. */
export function lawStaysWithinBounds<S>(law: LawDocument, makeEnv: EnvSource, states: fc.Arbitrary<S>, setState: StateSetter<S> = setPendulumState as StateSetter<S>) {
  const env = makeFrom(makeEnv);
  const policy = lawPolicy(law, env);
  return fc.property(states, (s) => {
    const action = policy(agentInput(setState(env, s), env));
    Array.from(action).forEach((a, k) => {
      if (!(a >= env.actionLow[k]! && a <= env.actionHigh[k]!)) {
        throw new Error(`action ${env.actionNames[k]} = ${a} is outside [${env.actionLow[k]}, ${env.actionHigh[k]}] at ${JSON.stringify(s)}`);
      }
    });
  });
}

/** Two forms of a law (compiled JS, an exported module, a tfjs graph, ...) agree within `tolerance`. */
export function formsAgree<S>(
  a: (obs: Float64Array) => ArrayLike<number>,
  b: (obs: Float64Array) => ArrayLike<number>,
  makeEnv: EnvSource,
  states: fc.Arbitrary<S>,
  tolerance: number,
  setState: StateSetter<S> = setPendulumState as StateSetter<S>,
) {
  const env = makeFrom(makeEnv);
  return fc.property(states, (s) => {
    const obs = agentInput(setState(env, s), env);
    const x = a(obs);
    const y = b(obs);
    for (let k = 0; k < x.length; k++) {
      const d = Math.abs(x[k]! - y[k]!);
      if (!(d <= tolerance * Math.max(1, Math.abs(x[k]!)))) throw new Error(`output ${k}: ${x[k]} vs ${y[k]} (difference ${d}) at ${JSON.stringify(s)}`);
    }
  });
}

export interface ClosedLoopGoal {
  /** Steps to simulate from each drawn state. */
  horizon: number;
  /** The return over the horizon must be at least this. */
  minReturn?: number;
  /** The observation must satisfy this for the last `hold` steps of the horizon. */
  target?: (obs: Float64Array) => boolean;
  hold?: number;
}

/** From every drawn initial state, the closed loop under the law meets the goal within the horizon. */
export function closedLoopReaches<S>(law: LawDocument, makeEnv: EnvSource, states: fc.Arbitrary<S>, goal: ClosedLoopGoal, setState: StateSetter<S> = setPendulumState as StateSetter<S>) {
  const env = makeFrom(makeEnv);
  const policy = lawPolicy(law, env);
  const hold = goal.hold ?? 1;
  return fc.property(states, (s) => {
    let inside = 0;
    const { return: total } = runEpisode(env, {
      reset: null,
      start: setState(env, s),
      maxSteps: goal.horizon,
      stopOnTruncation: false,
      act: (obs) => policy(agentInput(obs, env)),
      onStep: (_obs, _action, r) => {
        inside = goal.target && goal.target(r.observation) ? inside + 1 : 0;
      },
    });
    if (goal.minReturn !== undefined && !(total >= goal.minReturn)) throw new Error(`return ${total.toFixed(2)} < ${goal.minReturn} from ${JSON.stringify(s)}`);
    if (goal.target && inside < hold) throw new Error(`not in the target set for the last ${hold} steps from ${JSON.stringify(s)}`);
  });
}

/** Pendulum upright within `angle` radians and `speed` rad/s. */
export function pendulumUpright(angle = 0.1, speed = 0.5): (obs: Float64Array) => boolean {
  return (obs) => obs[0]! >= Math.cos(angle) && Math.abs(obs[2]!) <= speed;
}
