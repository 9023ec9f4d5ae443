import { SparselawError } from '../errors.js';
import type { EnvEntry } from './registry.js';
import { pendulumEntry } from './pendulum/entry.js';
import { ksEntry } from './ks/entry.js';

const registry: EnvEntry[] = [pendulumEntry, ksEntry];

/** Every environment sparselaw knows, in the order of --help: the built-in ones, then those registered. */
export const ENVIRONMENTS: readonly EnvEntry[] = registry;

/**
 * Adds an environment, so that every function and command that takes an environment id knows it.
 * Registering the same entry again is a no-op; another entry under a taken id is refused.
 */
export function registerEnv(entry: EnvEntry): EnvEntry {
  checkEntry(entry);
  const same = registry.find((e) => e.id === entry.id);
  if (same === entry) return entry;
  if (same) throw new SparselawError(`an environment with id "${entry.id}" is already registered (${same.title}); give yours another id`);
  registry.push(entry);
  return entry;
}

/** The entry for a command-line name or an MDP title (case-insensitive), or the entry itself (registered on the way). */
export function getEnvEntry(name: string | EnvEntry): EnvEntry {
  if (typeof name !== 'string') return registerEnv(name);
  const key = name.trim().toLowerCase();
  const entry = registry.find((e) => e.id === key || e.title.toLowerCase() === key);
  if (!entry) throw new SparselawError(`unknown environment "${name}"; available: ${registry.map((e) => e.id).join(', ')} (or the path of an ES module whose default export is an environment entry)`);
  return entry;
}

/** What an entry must have for the generic layers to use it; each problem names the field. */
export function checkEntry(entry: unknown, where = 'the environment entry'): asserts entry is EnvEntry {
  const e = entry as Partial<EnvEntry> | null;
  const fail = (field: string, what: string) => {
    throw new SparselawError(`${where}: ${field} ${what}`);
  };
  if (typeof e !== 'object' || e === null) return fail('it', 'is not an object');
  if (typeof e.id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(e.id)) fail('id', `must be a lower-case name such as "double-integrator", got ${JSON.stringify(e.id)}`);
  if (typeof e.title !== 'string' || e.title === '') fail('title', 'must be a non-empty string');
  if (typeof e.description !== 'string') fail('description', 'must be a string (one line for --help)');
  if (typeof e.create !== 'function') fail('create', 'must be a function (options) => Env');
  if (typeof e.inputScale !== 'function') fail('inputScale', 'must be a function (env) => Float64Array (boundsScale(env) is the usual choice)');
  if (!Array.isArray(e.options)) fail('options', 'must be an array (empty when the environment has none)');
  if (typeof e.evaluation !== 'object' || e.evaluation === null || typeof e.evaluation.default?.cases !== 'function') fail('evaluation.default', "must be a protocol { description, cases(seed) } (the one training evaluates on)");
}

export type { Env, StepResult, ResetOptions } from './env.js';
export type { EnvEntry, EnvOption, EvalCase, EnvTrainDefaults, EnvSearchDefaults, EnvCommand, EnvCommandOption, EnvCommandVerb } from './registry.js';
export { resolveEnvOptions, describeOptions, boundsScale, ENV_COMMAND_VERBS } from './registry.js';
