import type { Env, StepResult } from './env.js';
import type { EnvEntry } from './registry.js';
import { Rng } from '../util/rng.js';

/** One defect of an environment: which check found it, and where. */
export interface EnvProblem {
  check: string;
  message: string;
}

export interface CheckEnvOptions {
  /** The environment's options (resolved). */
  envOptions: Record<string, number>;
  seed?: number;
  /** Episodes of random actions the step checks run (default 3). */
  episodes?: number;
}

/**
 * Checks an environment entry the way the generic layers rely on it, in the spirit of Gymnasium's
 * environment checker: names and bounds consistent, reset and step shapes, finite rewards,
 * observations inside their bounds, actions clipped to theirs, episodes ending by the time limit,
 * the same seed giving the same episode, getState/setState resuming bit-for-bit (also through JSON),
 * parameters declared and settable, evaluation protocols well formed. Returns every problem found.
 */
export function checkEnv(entry: EnvEntry, options: CheckEnvOptions): EnvProblem[] {
  const problems: EnvProblem[] = [];
  const report = (check: string, message: string) => problems.push({ check, message });
  let env: Env;
  try {
    env = entry.create(options.envOptions);
  } catch (err) {
    report('create', `create(options) threw: ${(err as Error).message}`);
    return problems;
  }
  checkSpaces(env, report);
  if (problems.length > 0) return problems;
  const seed = options.seed ?? 0;
  checkEpisodes(env, seed, options.episodes ?? 3, report);
  checkDeterminism(entry, options.envOptions, seed, report);
  checkState(env, seed, report);
  checkClipping(env, seed, report);
  checkParameters(env, seed, report);
  checkProtocols(entry, seed, report);
  return problems;
}

type Report = (check: string, message: string) => void;

function checkSpaces(env: Env, report: Report): void {
  const pairs: [string, readonly string[], ArrayLike<number>, ArrayLike<number>][] = [
    ['observation', env.observationNames, env.observationLow, env.observationHigh],
    ['action', env.actionNames, env.actionLow, env.actionHigh],
  ];
  for (const [what, names, low, high] of pairs) {
    if (names.length === 0 && what === 'action') report('spaces', 'actionNames is empty: there is nothing to control');
    if (low.length !== names.length || high.length !== names.length) report('spaces', `${what}Low/${what}High have ${low.length}/${high.length} entries for ${names.length} ${what}Names`);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) report('spaces', `${what} name "${n}" appears twice`);
      if (!(low[i]! <= high[i]!)) report('spaces', `${what} ${n}: low ${low[i]} is not <= high ${high[i]}`);
    });
    if (what === 'action') names.forEach((n, i) => Number.isFinite(low[i]!) && Number.isFinite(high[i]!) ? undefined : report('spaces', `action ${n}: bounds must be finite, got [${low[i]}, ${high[i]}]`));
  }
  const all = [...env.observationNames, ...env.parameterNames];
  all.forEach((n, i) => {
    if (all.indexOf(n) !== i) report('spaces', `"${n}" is both an observation and a parameter (a law's inputs need distinct names)`);
  });
  if (!(Number.isInteger(env.maxEpisodeSteps) && env.maxEpisodeSteps > 0)) report('spaces', `maxEpisodeSteps must be a positive integer, got ${env.maxEpisodeSteps}`);
}

function randomAction(env: Env, rng: Rng): Float64Array {
  return Float64Array.from(env.actionLow, (lo, k) => rng.range(lo, env.actionHigh[k]!));
}

/** Shapes, finiteness and bounds along a few random episodes, and the time limit. */
function checkEpisodes(env: Env, seed: number, episodes: number, report: Report): void {
  const rng = Rng.seeded(seed + 7);
  for (let e = 0; e < episodes; e++) {
    const where = (t: number) => `episode ${e + 1} (reset seed ${seed + e}), ${t < 0 ? 'after reset' : `step ${t + 1}`}`;
    const obs = env.reset({ seed: seed + e });
    if (!checkObservation(env, obs, where(-1), report)) return;
    for (let t = 0; ; t++) {
      let r: StepResult;
      try {
        r = env.step(randomAction(env, rng));
      } catch (err) {
        report('step', `${where(t)}: step threw: ${(err as Error).message}`);
        return;
      }
      if (!checkObservation(env, r.observation, where(t), report)) return;
      if (typeof r.reward !== 'number' || !Number.isFinite(r.reward)) return report('reward', `${where(t)}: the reward is ${r.reward}, not a finite number`);
      if (typeof r.terminated !== 'boolean' || typeof r.truncated !== 'boolean') return report('step', `${where(t)}: terminated and truncated must be booleans, got ${r.terminated} and ${r.truncated}`);
      if (r.terminated || r.truncated) break;
      if (t + 1 >= env.maxEpisodeSteps) return report('time limit', `${where(t)}: the episode is neither terminated nor truncated after maxEpisodeSteps = ${env.maxEpisodeSteps} steps`);
    }
  }
}

function checkObservation(env: Env, obs: ArrayLike<number>, where: string, report: Report): boolean {
  if (!obs || obs.length !== env.observationNames.length) {
    report('shape', `${where}: the observation has ${obs?.length} entries, observationNames ${env.observationNames.length}`);
    return false;
  }
  for (let i = 0; i < obs.length; i++) {
    const v = obs[i]!;
    if (!Number.isFinite(v)) {
      report('observation', `${where}: ${env.observationNames[i]} is ${v}`);
      return false;
    }
    if (v < env.observationLow[i]! || v > env.observationHigh[i]!) {
      report('bounds', `${where}: ${env.observationNames[i]} = ${v} is outside its bounds [${env.observationLow[i]}, ${env.observationHigh[i]}]`);
      return false;
    }
  }
  return true;
}

/** A fixed action sequence from the same reset seed, on two fresh environments. */
function trajectory(env: Env, seed: number, steps: number): number[] {
  const rng = Rng.seeded(seed + 11);
  const out = Array.from(env.reset({ seed }));
  for (let t = 0; t < steps; t++) {
    const r = env.step(randomAction(env, rng));
    out.push(...r.observation, r.reward);
    if (r.terminated || r.truncated) break;
  }
  return out;
}

function firstDifference(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function checkDeterminism(entry: EnvEntry, envOptions: Record<string, number>, seed: number, report: Report): void {
  const a = trajectory(entry.create(envOptions), seed, 50);
  const b = trajectory(entry.create(envOptions), seed, 50);
  const i = firstDifference(a, b);
  if (i >= 0) report('determinism', `two environments reset with seed ${seed} and given the same actions differ at value ${i + 1} of their trajectories (${a[i]} and ${b[i]}): reset({ seed }) must restart every random stream`);
}

function checkState(env: Env, seed: number, report: Report): void {
  if (typeof env.getState !== 'function' || typeof env.setState !== 'function') {
    report('state', 'getState/setState are missing: training cannot be resumed from a checkpoint');
    return;
  }
  const rng = Rng.seeded(seed + 13);
  env.reset({ seed });
  for (let t = 0; t < 5; t++) if (stepEnds(env, rng)) break;
  const saved = JSON.parse(JSON.stringify(env.getState())) as unknown;
  const actions = Array.from({ length: 20 }, () => randomAction(env, rng));
  const run = (): number[] => {
    const out: number[] = [];
    for (const a of actions) {
      const r = env.step(a);
      out.push(...r.observation, r.reward, r.terminated ? 1 : 0, r.truncated ? 1 : 0);
      if (r.terminated || r.truncated) break;
    }
    return out;
  };
  const first = run();
  try {
    env.setState(saved);
  } catch (err) {
    report('state', `setState(JSON of getState()) threw: ${(err as Error).message}`);
    return;
  }
  const second = run();
  const i = firstDifference(first, second);
  if (i >= 0) report('state', `after setState(JSON of getState()) the next steps differ at value ${i + 1} (${first[i]} and ${second[i]}): the state must hold everything that decides the future, random streams included`);
}

function stepEnds(env: Env, rng: Rng): boolean {
  const r = env.step(randomAction(env, rng));
  return r.terminated || r.truncated;
}

/** An action beyond the bounds must act as the clipped one (the data records the clipped action). */
function checkClipping(env: Env, seed: number, report: Report): void {
  if (typeof env.getState !== 'function') return;
  env.reset({ seed });
  const saved = env.getState();
  const beyond = Float64Array.from(env.actionHigh, (h, k) => h + 10 * Math.max(1, h - env.actionLow[k]!));
  const a = env.step(beyond);
  env.setState(saved);
  const b = env.step(env.actionHigh);
  const i = firstDifference([...a.observation, a.reward], [...b.observation, b.reward]);
  if (i >= 0) report('action bounds', `an action far above actionHigh gives another step than actionHigh itself (value ${i + 1}: ${[...a.observation, a.reward][i]} and ${[...b.observation, b.reward][i]}): clip actions into their bounds`);
}

function checkParameters(env: Env, seed: number, report: Report): void {
  env.reset({ seed });
  const p = env.parameters();
  if (p.length !== env.parameterNames.length) return report('parameters', `parameters() has ${p.length} entries, parameterNames ${env.parameterNames.length}`);
  if (p.length === 0) return;
  const wanted = Array.from(p, (v, i) => v + 0.01 * (i + 1));
  env.reset({ seed, parameters: wanted });
  const got = Array.from(env.parameters());
  if (firstDifference(got, wanted) >= 0) report('parameters', `reset({ parameters: [${wanted.join(', ')}] }) left parameters() at [${got.join(', ')}]`);
}

function checkProtocols(entry: EnvEntry, seed: number, report: Report): void {
  for (const [name, protocol] of Object.entries(entry.evaluation)) {
    const cases = protocol.cases(seed);
    if (!Array.isArray(cases) || cases.length === 0) report('evaluation', `protocol "${name}" gives no episodes`);
    else if (cases.some((c) => !Number.isInteger(c.seed))) report('evaluation', `protocol "${name}" gives an episode without an integer seed`);
  }
}
