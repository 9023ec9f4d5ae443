import { SparselawError } from '../errors.js';
import type { Env } from './env.js';

/** Whether an environment can be saved and restored (both state methods present). */
export function hasEnvState(env: Env): boolean {
  return typeof env.getState === 'function' && typeof env.setState === 'function';
}

/** The environment's state for a checkpoint, or null when it has no state methods (its run cannot be resumed). */
export function saveEnvState(env: Env): unknown {
  return hasEnvState(env) ? env.getState!() : null;
}

/** Restores what saveEnvState wrote; a run without it is refused with what is missing and what to do. */
export function restoreEnvState(env: Env, state: unknown, where: string): void {
  if (!hasEnvState(env)) {
    throw new SparselawError(`${where}: cannot resume: ${env.id} has no getState/setState, and a resume needs them to continue its episodes exactly; add both (sparselaw check-env tests them), or train again without --resume`);
  }
  if (state === null || state === undefined) {
    throw new SparselawError(`${where}: cannot resume: the checkpoint holds no state of ${env.id} (it had no getState/setState when the checkpoint was written); train again without --resume`);
  }
  env.setState!(state);
}

/** Calls the environment's close, when it has one (a process environment ends its process). */
export function closeEnv(env: Env | undefined): void {
  env?.close?.();
}
