import { open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SparselawError } from '../errors.js';
import { fsReason, isFsError } from './fs-errors.js';
import { makeDir } from './make-dir.js';

/**
 * Checks that an output location can be written *before* any work starts, so a bad --out costs a
 * one-line error at once instead of an internal error after minutes of fitting or training:
 * the directory is created, a probe file is written and removed, all under a time limit (a hung
 * network mount must not hang the command). Both functions are asynchronous: `await` them.
 *
 * `what` names the output in the message, e.g. "the law document" gives
 * "cannot write the law document /proc/x: cannot create a file in /proc: no such file or directory (ENOENT)".
 */

/** Time limit of the whole check; generous, since a healthy file system answers in milliseconds. */
export const OUTPUT_CHECK_TIME_LIMIT_MS = 10_000;

export interface OutputCheckOptions {
  timeLimitMs?: number;
  /** The command's input files: writing over one of them is refused. */
  inputs?: readonly string[];
}

export async function checkOutputFile(path: string, what: string, options: OutputCheckOptions = {}): Promise<void> {
  const action = `cannot write ${what} ${path}`;
  if (path === '') throw new SparselawError(`cannot write ${what}: the path is empty`);
  if (/[\\/]$/.test(path)) throw new SparselawError(`${action}: the path ends in a separator; give a file name`);
  const abs = resolve(path);
  await withTimeLimit(
    (async () => {
      await makeDirFor(action, dirname(abs));
      const existing = await stat(abs).catch((err: unknown) => {
        if (isFsError(err) && err.code === 'ENOENT') return undefined;
        throw translate(err, action, abs);
      });
      if (existing?.isDirectory()) throw new SparselawError(`${action}: it is a directory`);
      if (existing) await refuseInput(action, abs, options.inputs ?? []);
      // The file is replaced by a rename (atomic writes): that would replace a device or a pipe too.
      if (existing && !existing.isFile()) throw new SparselawError(`${action}: it exists and is not a regular file`);
      await probe(action, dirname(abs), basename(abs));
    })(),
    action,
    options.timeLimitMs,
  );
}

export async function checkOutputDir(path: string, what: string, options: OutputCheckOptions = {}): Promise<void> {
  const action = `cannot write ${what} ${path}`;
  if (path === '') throw new SparselawError(`cannot write ${what}: the path is empty`);
  const abs = resolve(path);
  await withTimeLimit(
    (async () => {
      await makeDirFor(action, abs);
      await probe(action, abs, 'dir');
    })(),
    action,
    options.timeLimitMs,
  );
}

/** The same file (also through links) as one of the inputs: writing would destroy what is read. */
async function refuseInput(action: string, abs: string, inputs: readonly string[]): Promise<void> {
  const out = await stat(abs);
  for (const input of inputs) {
    const st = await stat(resolve(input)).catch(() => undefined);
    if (st && st.dev === out.dev && st.ino === out.ino) throw new SparselawError(`${action}: it is the command's input ${input}; choose another --out`);
  }
}

async function makeDirFor(action: string, dir: string): Promise<void> {
  try {
    await makeDir(dir);
  } catch (err) {
    if (!isFsError(err)) throw err;
    if (err.code === 'ENOTDIR') throw translate(err, action, dir);
    throw new SparselawError(`${action}: cannot create the directory ${err.path ?? dir}: ${fsReason(err, err.path)}`);
  }
}

/** Write and remove a small file next to where the output will go. */
async function probe(action: string, dir: string, base: string): Promise<void> {
  const file = join(dir, `.${base}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.probe`);
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile('sparselaw output check\n');
    } finally {
      await handle.close();
    }
  } catch (err) {
    await rm(file, { force: true }).catch(() => undefined);
    if (!isFsError(err)) throw err;
    throw new SparselawError(`${action}: cannot create a file in ${dir}: ${fsReason(err, file)}`);
  }
  try {
    await rm(file);
  } catch (err) {
    if (!isFsError(err)) throw err;
    throw new SparselawError(`${action}: cannot remove files in ${dir}: ${fsReason(err, file)}`);
  }
}

function translate(err: unknown, action: string, userPath: string): unknown {
  return isFsError(err) ? new SparselawError(`${action}: ${fsReason(err, userPath)}`) : err;
}

/** Exported for the tests. */
export async function withTimeLimit<T>(work: Promise<T>, action: string, limitMs = OUTPUT_CHECK_TIME_LIMIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SparselawError(`${action}: the file system did not answer within ${limitMs / 1000} s`)), limitMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
