import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SparselawError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { envModuleSource, type EnvModuleSource } from '../envs/module-env.js';

/**
 * A sweep over a user's environment module pins the module's SHA-256 in env-module.json when it
 * starts: resuming the sweep after the module changed would mix runs of two environments in one
 * summary, so it is refused, naming the module. Sweeps over built-in environments write nothing.
 */
export function pinEnvModule(sweepDir: string, envId: string): void {
  const source = envModuleSource(envId);
  if (source === undefined) return;
  const path = join(sweepDir, 'env-module.json');
  if (!existsSync(path)) {
    writeFileAtomic(path, JSON.stringify(source, null, 2) + '\n');
    return;
  }
  let pinned: Partial<EnvModuleSource>;
  try {
    pinned = JSON.parse(readFileSync(path, 'utf8')) as Partial<EnvModuleSource>;
  } catch (err) {
    throw new SparselawError(`${path}: not readable JSON (${(err as Error).message})`);
  }
  if (pinned.sha256 !== source.sha256) {
    throw new SparselawError(`the environment module ${source.path} changed since this sweep started (its SHA-256 differs from ${path}): restore it, or start a new sweep with another --out`);
  }
}
