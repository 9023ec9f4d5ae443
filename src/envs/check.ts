import type { Env, StepResult } from './env.js';
import type { EnvEntry } from './registry.js';
import { completeEntry, type EnvEntryInput } from './entry-defaults.js';
import { checkEntry } from './index.js';
import { closeEnv, hasEnvState } from './env-state.js';
import { Rng } from '../util/rng.js';

/** One finding about an environment: which check found it, and where. Warnings do not fail the check. */
export interface EnvProblem {
  check: string;
  message: string;
  /** A missing optional feature (the state methods), not a defect. */
  warning?: boolean;
}

export interface CheckEnvOptions {
  /** The environment's options (resolved; default: the entry's defaults). */
  envOptions?: Record<string, number>;
  seed?: number;
  /** Episodes of random actions the step checks run (default 3). */
  episodes?: number;
}

type Report = (check: string, message: string, warning?: boolean) => void;

/**
 * Checks an environment entry the way the generic layers rely on it, in the spirit of Gymnasium's
 * environment checker: the entry's fields, names and bounds consistent, reset and step shapes,
 * finite rewards and infos, observations inside their bounds and not overwritten by later steps,
 * actions beyond the bounds acting as the clipped ones, episodes ending by the time limit, the same
 * seed giving the same episode, getState/setState (through JSON, into a fresh environment) resuming
 * bit-for-bit, parameters declared and settable, input scales and evaluation protocols well formed.
 * Returns every finding; a check that throws is a finding too. Every environment it makes is closed.
 */
export function checkEnv(input: EnvEntryInput, options: CheckEnvOptions = {}): EnvProblem[] {
  const problems: EnvProblem[] = [];
  const report: Report = (check, message, warning) => problems.push({ check, message, ...(warning ? { warning } : {}) });
  try {
    checkEntry(input, 'entry');
  } catch (err) {
    report('entry', (err as Error).message.replace(/^entry: /, ''));
    return problems;
  }
  const entry = completeEntry(input);
  const envOptions = options.envOptions ?? Object.fromEntries(entry.options.map((o) => [o.name, o.default]));
  entry.options.forEach((o) => {
    const problem = o.check?.(o.default);
    if (problem) report('options', `option ${o.name}: its default ${o.default} fails its own check (${problem})`);
  });
  const made: Env[] = [];
  const create = (): Env => {
    const env = entry.create(envOptions);
    made.push(env);
    return env;
  };
  try {
    let env: Env;
    try {
      env = create();
    } catch (err) {
      report('create', `create(options) threw: ${(err as Error).message}`);
      return problems;
    }
    checkSpaces(env, report);
    if (problems.some((p) => !p.warning)) return problems;
    const seed = options.seed ?? 0;
    const guarded = (check: string, run: () => void): void => {
      try {
        run();
      } catch (err) {
        report(check, `threw: ${(err as Error).message}`);
      }
    };
    guarded('step', () => checkEpisodes(env, seed, options.episodes ?? 3, report));
    guarded('aliasing', () => checkAliasing(env, seed, report));
    let deterministic = false;
    guarded('determinism', () => (deterministic = checkDeterminism(create, seed, report)));
    guarded('state', () => checkState(env, create, seed, report));
    guarded('action bounds', () => checkClipping(create, seed, deterministic, report));
    guarded('parameters', () => checkParameters(env, seed, report));
    guarded('input scale', () => checkInputScale(entry, env, report));
    guarded('evaluation', () => checkProtocols(entry, env, seed, report));
  } finally {
    for (const env of made) {
      try {
        closeEnv(env);
      } catch (err) {
        report('close', `close() threw: ${(err as Error).message}`);
      }
    }
  }
  return problems;
}

function checkSpaces(env: Env, report: Report): void {
  const pairs: [string, readonly string[], ArrayLike<number>, ArrayLike<number>][] = [
    ['observation', env.observationNames, env.observationLow, env.observationHigh],
    ['action', env.actionNames, env.actionLow, env.actionHigh],
  ];
  for (const [what, names, low, high] of pairs) {
    if (!Array.isArray(names) && !ArrayBuffer.isView(names)) {
      report('spaces', `${what}Names must be an array of names, got ${JSON.stringify(names)}`);
      continue;
    }
    if (names.length === 0 && what === 'action') report('spaces', 'actionNames is empty: there is nothing to control');
    if (low?.length !== names.length || high?.length !== names.length) {
      report('spaces', `${what}Low/${what}High have ${low?.length}/${high?.length} entries for ${names.length} ${what}Names`);
      continue;
    }
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) report('spaces', `${what} name "${n}" appears twice`);
      if (!(low[i]! <= high[i]!)) report('spaces', `${what} ${n}: low ${low[i]} is not <= high ${high[i]}`);
      if (what === 'action' && !(Number.isFinite(low[i]!) && Number.isFinite(high[i]!))) report('spaces', `action ${n}: bounds must be finite, got [${low[i]}, ${high[i]}]`);
    });
  }
  if (!Array.isArray(env.parameterNames)) report('spaces', `parameterNames must be an array (empty without parameters), got ${JSON.stringify(env.parameterNames)}`);
  (env.parameterNames ?? []).forEach((n, i) => {
    if (env.observationNames.includes(n)) report('spaces', `"${n}" is both an observation and a parameter (a law's inputs need distinct names)`);
    else if (env.parameterNames.indexOf(n) !== i) report('spaces', `parameter name "${n}" appears twice`);
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
    let obs: Float64Array;
    try {
      obs = env.reset({ seed: seed + e });
    } catch (err) {
      return report('reset', `${where(-1)}: reset threw: ${(err as Error).message}`);
    }
    if (!checkObservation(env, obs, where(-1), report)) return;
    for (let t = 0; ; t++) {
      let r: StepResult;
      try {
        r = env.step(randomAction(env, rng));
      } catch (err) {
        return report('step', `${where(t)}: step threw: ${(err as Error).message}`);
      }
      if (typeof r !== 'object' || r === null) return report('step', `${where(t)}: step returned ${r}, not { observation, reward, terminated, truncated }`);
      if (!checkObservation(env, r.observation, where(t), report)) return;
      if (typeof r.reward !== 'number' || !Number.isFinite(r.reward)) return report('reward', `${where(t)}: the reward is ${r.reward}, not a finite number`);
      if (typeof r.terminated !== 'boolean' || typeof r.truncated !== 'boolean') return report('step', `${where(t)}: terminated and truncated must be booleans, got ${r.terminated} and ${r.truncated}`);
      const badInfo = Object.entries(r.info ?? {}).find(([, v]) => typeof v !== 'number' || !Number.isFinite(v));
      if (badInfo) return report('info', `${where(t)}: info.${badInfo[0]} is ${badInfo[1]}, not a finite number (rollout sums each info entry per episode)`);
      if (r.terminated || r.truncated) break;
      if (t + 1 >= env.maxEpisodeSteps) return report('time limit', `${where(t)}: the episode is neither terminated nor truncated after maxEpisodeSteps = ${env.maxEpisodeSteps} steps`);
    }
  }
}

function checkObservation(env: Env, obs: ArrayLike<number>, where: string, report: Report): boolean {
  if (!obs || typeof obs !== 'object' || obs.length !== env.observationNames.length) {
    report('shape', `${where}: the observation has ${obs?.length} entries, observationNames ${env.observationNames.length}`);
    return false;
  }
  for (let i = 0; i < obs.length; i++) {
    const v = obs[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      report('observation', `${where}: ${env.observationNames[i]} is ${v}, not a finite number`);
      return false;
    }
    if (v < env.observationLow[i]! || v > env.observationHigh[i]!) {
      report('bounds', `${where}: ${env.observationNames[i]} = ${v} is outside its bounds [${env.observationLow[i]}, ${env.observationHigh[i]}]`);
      return false;
    }
  }
  return true;
}

/** An observation already returned must keep its values: data collection reads it after the next step. */
function checkAliasing(env: Env, seed: number, report: Report): void {
  const rng = Rng.seeded(seed + 5);
  const first = env.reset({ seed });
  const copy = Array.from(first);
  const r = env.step(randomAction(env, rng));
  const i = firstDifference(Array.from(first), copy);
  if (i >= 0 || r.observation === first) {
    report('aliasing', `step 1 (reset seed ${seed}) changed the array reset returned (${env.observationNames[Math.max(0, i)]}: ${copy[Math.max(0, i)]} became ${first[Math.max(0, i)]}): return a new array from each reset and step`);
  }
}

/** Observations and rewards of a fixed action sequence from a reset seed. */
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

/** Two fresh environments reset with the same seed and given the same actions agree exactly. */
function checkDeterminism(create: () => Env, seed: number, report: Report): boolean {
  const a = trajectory(create(), seed, 50);
  const b = trajectory(create(), seed, 50);
  const i = firstDifference(a, b);
  if (i >= 0) report('determinism', `two environments reset with seed ${seed} and given the same actions differ at value ${i + 1} of their trajectories (${a[i]} and ${b[i]}): reset({ seed }) must restart every random stream`);
  return i < 0;
}

/**
 * getState, through JSON, restores exactly: into the same environment, and into a fresh one (as a
 * resumed run does). Without the state methods this is a warning: only resuming needs them.
 */
function checkState(env: Env, create: () => Env, seed: number, report: Report): void {
  if (!hasEnvState(env)) {
    const missing = ['getState', 'setState'].filter((m) => typeof (env as unknown as Record<string, unknown>)[m] !== 'function').join(' and ');
    report('state', `${missing} missing: everything works but resuming an interrupted run (--resume)`, true);
    return;
  }
  const rng = Rng.seeded(seed + 13);
  env.reset({ seed });
  for (let t = 0; t < 5; t++) if (stepEnds(env, rng)) break;
  let saved: unknown;
  try {
    saved = JSON.parse(JSON.stringify(env.getState!())) as unknown;
  } catch (err) {
    report('state', `getState() is not JSON-serialisable: ${(err as Error).message}`);
    return;
  }
  const actions = Array.from({ length: 20 }, () => randomAction(env, rng));
  const run = (e: Env): number[] => {
    const out: number[] = [];
    for (const a of actions) {
      const r = e.step(a);
      out.push(...r.observation, r.reward, r.terminated ? 1 : 0, r.truncated ? 1 : 0);
      if (r.terminated || r.truncated) break;
    }
    return out;
  };
  const first = run(env);
  for (const [target, into] of [[env, 'the same environment'], [create(), 'a fresh environment']] as const) {
    try {
      target.setState!(saved);
    } catch (err) {
      report('state', `setState(JSON of getState()) on ${into} threw: ${(err as Error).message}`);
      return;
    }
    const again = run(target);
    const i = firstDifference(first, again);
    if (i >= 0) {
      report('state', `after setState(JSON of getState()) on ${into} the next steps differ at value ${i + 1} (${first[i]} and ${again[i]}): the state must hold everything that decides the future, random streams included`);
      return;
    }
  }
}

function stepEnds(env: Env, rng: Rng): boolean {
  const r = env.step(randomAction(env, rng));
  return r.terminated || r.truncated;
}

/**
 * An action beyond the bounds must act as the clipped one (the data records the clipped action):
 * compared from the same state, restored with setState or reached by the same seed.
 */
function checkClipping(create: () => Env, seed: number, deterministic: boolean, report: Report): void {
  const a = create();
  if (!hasEnvState(a) && !deterministic) return;
  const b = hasEnvState(a) ? a : create();
  a.reset({ seed });
  const saved = hasEnvState(a) ? a.getState!() : undefined;
  const lo = a.actionLow;
  const hi = a.actionHigh;
  for (const [label, beyond, edge] of [
    ['above actionHigh', Float64Array.from(hi, (h, k) => h + 10 * Math.max(1, h - lo[k]!)), hi],
    ['below actionLow', Float64Array.from(lo, (l, k) => l - 10 * Math.max(1, hi[k]! - l)), lo],
  ] as const) {
    if (hasEnvState(a)) a.setState!(saved);
    else a.reset({ seed });
    const x = a.step(beyond);
    if (b === a) a.setState!(saved);
    else b.reset({ seed });
    const y = b.step(edge);
    const u = [...x.observation, x.reward];
    const v = [...y.observation, y.reward];
    const i = firstDifference(u, v);
    if (i >= 0) {
      const what = i < u.length - 1 ? a.observationNames[i] : 'the reward';
      report('action bounds', `an action far ${label} gives another step than the bound itself (${what}: ${u[i]} and ${v[i]}): clip actions into their bounds`);
      return;
    }
  }
}

function checkParameters(env: Env, seed: number, report: Report): void {
  env.reset({ seed });
  const p = env.parameters();
  if (!p || p.length !== env.parameterNames.length) return report('parameters', `parameters() has ${p?.length} entries, parameterNames ${env.parameterNames.length}`);
  const bad = Array.from(p).findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) return report('parameters', `after reset (seed ${seed}) ${env.parameterNames[bad]} = ${p[bad]}, not a finite number`);
  if (p.length === 0) return;
  const wanted = Array.from(p, (v, i) => v + 0.01 * (i + 1));
  env.reset({ seed, parameters: wanted });
  const got = Array.from(env.parameters());
  if (firstDifference(got, wanted) >= 0) report('parameters', `reset({ parameters: [${wanted.join(', ')}] }) left parameters() at [${got.join(', ')}]`);
}

/** The scale of the agent's inputs: one finite positive number per observation and parameter. */
function checkInputScale(entry: EnvEntry, env: Env, report: Report): void {
  const scale = entry.inputScale(env);
  const n = env.observationNames.length + env.parameterNames.length;
  const names = [...env.observationNames, ...env.parameterNames];
  if (!scale || scale.length < n) return report('input scale', `inputScale(env) has ${scale?.length} entries for ${n} observations and parameters`);
  for (let i = 0; i < n; i++) if (!(Number.isFinite(scale[i]!) && scale[i]! > 0)) return report('input scale', `inputScale(env) for ${names[i]} is ${scale[i]}: the agent's inputs are divided by it, so it must be finite and positive`);
}

function checkProtocols(entry: EnvEntry, env: Env, seed: number, report: Report): void {
  for (const [name, protocol] of Object.entries(entry.evaluation)) {
    const cases = protocol.cases(seed);
    if (!Array.isArray(cases) || cases.length === 0) report('evaluation', `protocol "${name}" gives no episodes`);
    else if (cases.some((c) => !Number.isSafeInteger(c?.seed))) report('evaluation', `protocol "${name}": episode ${cases.findIndex((c) => !Number.isSafeInteger(c?.seed)) + 1} has no integer seed`);
    else {
      const k = cases.findIndex((c) => c.parameters !== undefined && c.parameters.length !== env.parameterNames.length);
      if (k >= 0) report('evaluation', `protocol "${name}": episode ${k + 1} sets ${cases[k]!.parameters!.length} parameters, the environment has ${env.parameterNames.length}`);
    }
  }
}
