import { SparselawError } from '../errors.js';
import type { EnvEntry } from './registry.js';
import { pendulumEntry } from './pendulum-entry.js';
import { ksEntry } from './ks-entry.js';
import { MUJOCO_ENTRIES } from './mujoco/index.js';

/** Every environment sparselaw knows, in the order of --help. */
export const ENVIRONMENTS: readonly EnvEntry[] = [pendulumEntry, ksEntry, ...MUJOCO_ENTRIES];

/** The entry for a command-line name or an MDP title (case-insensitive). */
export function getEnvEntry(name: string): EnvEntry {
  const key = name.trim().toLowerCase();
  const entry = ENVIRONMENTS.find((e) => e.id === key || e.title.toLowerCase() === key);
  if (!entry) throw new SparselawError(`unknown environment "${name}"; available: ${ENVIRONMENTS.map((e) => e.id).join(', ')}`);
  return entry;
}

export type { Env, StepResult, ResetOptions } from './env.js';
export type { EnvEntry, EnvOption, EvalCase } from './registry.js';
export { resolveEnvOptions, describeOptions } from './registry.js';
export { prepareEnvEntry } from './mujoco/index.js';
