import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SparselawError } from '../errors.js';
import { checkEntry, registerEnv } from './index.js';
import type { EnvEntry } from './registry.js';

/** Where an environment defined by a user's module came from: recorded in run directories and law documents. */
export interface EnvModuleSource {
  /** Absolute path of the module. */
  path: string;
  /** SHA-256 of its text when it was loaded. */
  sha256: string;
}

const sources = new Map<string, EnvModuleSource>();

/** A command-line environment name that is a module path rather than a registered id. */
export function isEnvModulePath(name: string): boolean {
  return /^\.{0,2}[\\/]/.test(name) || /\.(m?js|cjs)$/.test(name) || isAbsolute(name);
}

/**
 * Loads an ES module whose default export is an environment entry and registers it. Loading the same
 * file twice gives the same entry; every problem (no file, no default export, a field missing) is
 * one line naming the module.
 */
export async function loadEnvModule(path: string): Promise<EnvEntry> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new SparselawError(`environment module ${path}: no such file`);
  const sha256 = createHash('sha256').update(readFileSync(abs)).digest('hex');
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (err) {
    throw new SparselawError(`environment module ${path}: cannot be imported: ${(err as Error).message.split('\n')[0]}`);
  }
  if (mod.default === undefined) throw new SparselawError(`environment module ${path}: it has no default export (export default an environment entry: { id, title, description, options, create, inputScale, evaluation })`);
  checkEntry(mod.default, `environment module ${path}`);
  const entry = registerEnv(mod.default);
  sources.set(entry.id, { path: abs, sha256 });
  return entry;
}

/** The module an environment id was loaded from, when it came from one. */
export function envModuleSource(id: string): EnvModuleSource | undefined {
  return sources.get(id);
}

/**
 * Loads the module a run or a law recorded, so that it can be rolled out or reported again; returns
 * a warning when the module's text changed since (the environment may not be the one trained on).
 */
export async function loadRecordedEnvModule(source: unknown, what: string): Promise<string | undefined> {
  const s = source as Partial<EnvModuleSource> | undefined;
  if (!s || typeof s.path !== 'string') return undefined;
  if (!existsSync(s.path)) throw new SparselawError(`${what} was made with the environment module ${s.path}, which no longer exists: restore it, or give --env`);
  await loadEnvModule(s.path);
  const now = sources.get([...sources.entries()].find(([, v]) => v.path === s.path)![0])!;
  return s.sha256 !== undefined && s.sha256 !== now.sha256 ? `warning: the environment module ${s.path} changed since ${what} was made (its SHA-256 differs): results may differ` : undefined;
}
