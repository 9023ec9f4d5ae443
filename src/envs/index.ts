import { SparselawError } from '../errors.js';
import type { EnvEntry } from './registry.js';
import { completeEntry, type EnvEntryInput } from './entry-defaults.js';
import { pendulumEntry } from './pendulum/entry.js';
import { ksEntry } from './ks/entry.js';
import { MUJOCO_ENTRIES } from './mujoco/index.js';

const registry: EnvEntry[] = [pendulumEntry, ksEntry, ...MUJOCO_ENTRIES];
/** Ids registered while running (not part of the package), which other threads do not know. */
const runtimeIds = new Set<string>();

/** Every environment sparselaw knows, in the order of --help: the built-in ones, then those registered. */
export const ENVIRONMENTS: readonly EnvEntry[] = registry;

/**
 * Adds an environment, so that every function and command that takes an environment id knows it,
 * and returns the registered entry (the given one with its defaults filled in: see completeEntry).
 * Registering the same entry again is a no-op; another entry under a taken id is refused.
 */
export function registerEnv(input: EnvEntryInput, where?: string): EnvEntry {
  checkEntry(input, where);
  const entry = completeEntry(input);
  const same = registry.find((e) => e.id === entry.id);
  if (same === entry) return entry;
  if (same) throw new SparselawError(`an environment with id "${entry.id}" is already registered (${same.title}); give yours another id`);
  registry.push(entry);
  runtimeIds.add(entry.id);
  return entry;
}

/** Whether an id was registered while running (registerEnv, an entry object, a module) rather than built in. */
export function isRuntimeEntry(id: string): boolean {
  return runtimeIds.has(id);
}

/** The entry for a command-line name or an MDP title (case-insensitive), or the entry itself (registered on the way). */
export function getEnvEntry(name: string | EnvEntryInput): EnvEntry {
  if (typeof name !== 'string') return registerEnv(name);
  const key = name.trim().toLowerCase();
  const entry = registry.find((e) => e.id === key || e.title.toLowerCase() === key);
  if (entry) return entry;
  if (looksLikeModulePath(name)) throw new SparselawError(`environment module ${name} is not loaded: pass it to resolveEnvEntry (or loadEnvModule) first, or pass its entry`);
  throw new SparselawError(`unknown environment "${name}"; available: ${registry.map((e) => e.id).join(', ')} (or the path of an ES module whose default export is an environment entry)`);
}

/** A command-line environment name that is a module path rather than a registered id. */
export function looksLikeModulePath(name: string): boolean {
  return /^\.{0,2}[\\/]/.test(name) || /\.(m?js|cjs)$/.test(name) || /^[A-Za-z]:[\\/]/.test(name);
}

/** What an entry must have for the generic layers to use it; each problem names the field. */
export function checkEntry(entry: unknown, where = 'the environment entry'): asserts entry is EnvEntryInput {
  const e = entry as Partial<EnvEntry> | null;
  const fail = (field: string, what: string) => {
    throw new SparselawError(`${where}: ${field} ${what}`);
  };
  if (typeof e !== 'object' || e === null) return fail('it', 'is not an object');
  if (typeof e.id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(e.id)) fail('id', `must be a lower-case name such as "double-integrator", got ${JSON.stringify(e.id)}`);
  if (typeof e.title !== 'string' || e.title === '') fail('title', 'must be a non-empty string');
  if (e.description !== undefined && typeof e.description !== 'string') fail('description', 'must be a string (one line for --help)');
  if (typeof e.create !== 'function') fail('create', 'must be a function (options) => Env');
  if (e.inputScale !== undefined && typeof e.inputScale !== 'function') fail('inputScale', 'must be a function (env) => Float64Array (the default, boundsScale(env), divides each observation by its largest bound)');
  if (e.options !== undefined) {
    if (!Array.isArray(e.options)) fail('options', 'must be an array of { name, description, default } (leave it out when the environment has none)');
    e.options.forEach((o, i) => {
      if (typeof o?.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.name)) fail(`options[${i}].name`, `must be a name such as "dt", got ${JSON.stringify(o?.name)}`);
      if (typeof o.default !== 'number' || !Number.isFinite(o.default)) fail(`options[${i}].default`, `must be a finite number, got ${JSON.stringify(o.default)}`);
    });
  }
  if (e.evaluation !== undefined) {
    if (typeof e.evaluation !== 'object' || e.evaluation === null) fail('evaluation', 'must be an object of named protocols { description, cases(seed) }');
    if (typeof e.evaluation.default?.cases !== 'function') fail('evaluation.default', 'must be a protocol { description, cases(seed) } (the one training evaluates on)');
    for (const [name, p] of Object.entries(e.evaluation)) if (typeof p?.cases !== 'function') fail(`evaluation.${name}.cases`, 'must be a function (seed) => [{ seed, parameters? }, ...]');
  }
  if (e.trainDefaults !== undefined && (typeof e.trainDefaults !== 'object' || e.trainDefaults === null)) fail('trainDefaults', 'must be an object of training settings (policy, episodes, lambda, ...)');
}

export type { Env, StepResult, ResetOptions } from './env.js';
export type { EnvEntry, EnvOption, EvalCase, EnvTrainDefaults, EnvSearchDefaults, EnvCommand, EnvCommandOption, EnvCommandVerb } from './registry.js';
export { completeEntry, type EnvEntryInput } from './entry-defaults.js';
export { resolveEnvOptions, describeOptions, boundsScale, prepareEnvEntry, ENV_COMMAND_VERBS } from './registry.js';
