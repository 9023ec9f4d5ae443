import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SparselawError } from '../errors.js';
import { getEnvEntry, isRuntimeEntry, looksLikeModulePath, registerEnv } from './index.js';
import type { EnvEntryInput } from './entry-defaults.js';
import { prepareEnvEntry, type EnvEntry } from './registry.js';

/** Where an environment defined by a user's module came from: recorded in run directories and law documents. */
export interface EnvModuleSource {
  /** Absolute path of the module. */
  path: string;
  /** SHA-256 of its text when it was loaded. */
  sha256: string;
}

const sources = new Map<string, EnvModuleSource>();
let hooksRegistered = false;

/** A command-line environment name that is a module path rather than a registered id. */
export function isEnvModulePath(name: string): boolean {
  return looksLikeModulePath(name);
}

/** SHA-256 of a file's bytes, in hex. */
export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Loads an ES module whose default export is an environment entry and registers it. Loading the same
 * file twice gives the same entry; every problem (no file, no default export, a field missing) is
 * one line naming the module.
 */
export async function loadEnvModule(path: string): Promise<EnvEntry> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new SparselawError(`environment module ${path}: no such file`);
  if (!statSync(abs).isFile()) throw new SparselawError(`environment module ${path}: not a file`);
  const sha256 = fileSha256(abs);
  if (!hooksRegistered) {
    register(new URL('./module-hooks.js', import.meta.url));
    hooksRegistered = true;
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (err) {
    const e = err as Error & { code?: string };
    const where = e.code !== undefined ? '' : e instanceof SyntaxError ? syntaxErrorPlace(abs) : firstFrame(e.stack ?? '', abs);
    throw new SparselawError(`environment module ${path}${where}: cannot be imported: ${e.message.split('\n')[0]}`);
  }
  if (mod.default === undefined) throw new SparselawError(`environment module ${path}: it has no default export (export default an environment entry: { id, title, create, ... })`);
  const entry = registerEnv(mod.default as EnvEntryInput, `environment module ${path}`);
  sources.set(entry.id, { path: abs, sha256 });
  return entry;
}

/** ":LINE:COLUMN" of the first stack frame in the module itself (an error thrown while it runs). */
function firstFrame(stack: string, abs: string): string {
  const url = pathToFileURL(abs).href;
  const line = stack.split('\n').find((l) => l.includes(url));
  const m = line ? /:(\d+):(\d+)\)?\s*$/.exec(line) : null;
  return m ? `:${m[1]}:${m[2]}` : '';
}

/**
 * ":LINE:COLUMN" of a syntax error: a caught SyntaxError carries no place, so `node --check` is asked
 * (it prints the line after the file's name and a caret under the column).
 */
function syntaxErrorPlace(abs: string): string {
  const r = spawnSync(process.execPath, ['--check', abs], { encoding: 'utf8' });
  const lines = (r.stderr ?? '').split('\n');
  const at = lines.findIndex((l) => l.startsWith(abs + ':') || l.startsWith(pathToFileURL(abs).href + ':'));
  const line = at >= 0 ? /:(\d+)\s*$/.exec(lines[at]!)?.[1] : undefined;
  if (line === undefined) return '';
  const caret = lines[at + 2]?.indexOf('^') ?? -1;
  return caret >= 0 ? `:${line}:${caret + 1}` : `:${line}`;
}

/** The module an environment id was loaded from, when it came from one. */
export function envModuleSource(id: string): EnvModuleSource | undefined {
  return sources.get(id);
}

/**
 * The entry for anything that names an environment: a registered id or title, the path of an ES
 * module (loaded and registered), or an entry object (registered). The one place where the
 * library and the command line turn an environment argument into an entry.
 */
export async function resolveEnvEntry(env: string | EnvEntryInput): Promise<EnvEntry> {
  const entry = typeof env === 'string' && isEnvModulePath(env) ? await loadEnvModule(env) : getEnvEntry(env);
  await prepareEnvEntry(entry);
  return entry;
}

/**
 * A configuration whose environment is an id, a module path or an entry, made to name it by its id
 * (configurations are saved as JSON) and to record the module it came from.
 */
export async function resolveConfigEnv<C extends { env: string | EnvEntryInput; envModule?: EnvModuleSource }>(config: C): Promise<{ entry: EnvEntry; config: Omit<C, 'env'> & { env: string } }> {
  const entry = await resolveEnvEntry(config.env);
  const source = sources.get(entry.id);
  return { entry, config: { ...config, env: entry.id, ...(source && config.envModule === undefined ? { envModule: source } : {}) } };
}

/**
 * What a worker thread needs to find an environment again: the path of its module, if it came from
 * one. An entry registered in this thread only cannot be seen by another: that is refused here,
 * with the ways out.
 */
export function envModuleForThreads(entry: EnvEntry): string | undefined {
  const source = sources.get(entry.id);
  if (source) return source.path;
  if (isRuntimeEntry(entry.id)) {
    throw new SparselawError(`environment ${entry.id} was registered in this thread only (an entry object or registerEnv), so worker threads cannot create it: load it from its module (resolveEnvEntry('./my-env.mjs')), or use one worker`);
  }
  return undefined;
}

/**
 * Loads the module a run or a law recorded, so that it can be rolled out or reported again; returns
 * a warning when the module's text changed since (the environment may not be the one trained on).
 */
export async function loadRecordedEnvModule(source: unknown, what: string): Promise<string | undefined> {
  const s = source as Partial<EnvModuleSource> | undefined;
  if (!s || typeof s.path !== 'string') return undefined;
  if (!existsSync(s.path)) throw new SparselawError(`${what} was made with the environment module ${s.path}, which no longer exists: restore it, or give --env`);
  const entry = await loadEnvModule(s.path);
  const now = sources.get(entry.id)!;
  return s.sha256 !== undefined && s.sha256 !== now.sha256 ? `warning: the environment module ${s.path} changed since ${what} was made (its SHA-256 differs): results may differ` : undefined;
}
