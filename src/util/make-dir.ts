import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errnoError, type FsError } from './fs-errors.js';

/*
 * Why not mkdir(path, { recursive: true })? Node's recursive mkdir treats ENOENT as "a parent is
 * missing", makes the parent and tries again; on procfs (and other pseudo file systems) mkdir
 * answers ENOENT although the parent exists, so `mkdirSync('/proc/x', { recursive: true })` loops
 * forever at 100% CPU (Node 20). Here the missing ancestors are found by stat first and each is made
 * once, so every failure surfaces as an error naming the directory that could not be made.
 */

function missingAncestors(abs: string, statOf: (p: string) => 'dir' | 'other' | 'missing'): string[] {
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    const kind = statOf(cur);
    if (kind === 'dir') return missing.reverse();
    if (kind === 'other') throw errnoError('ENOTDIR', 'mkdir', cur);
    missing.push(cur);
    const parent = dirname(cur);
    if (parent === cur) return missing.reverse();
    cur = parent;
  }
}

function kindFromStat(isDir: boolean): 'dir' | 'other' {
  return isDir ? 'dir' : 'other';
}

/** Make a directory and its missing parents; an existing directory is fine. */
export function makeDirSync(path: string): void {
  const todo = missingAncestors(resolve(path), (p) => {
    try {
      return kindFromStat(statSync(p).isDirectory());
    } catch (err) {
      // ENOTDIR: some ancestor is a file; walking up finds it and names it.
      if ((err as FsError).code === 'ENOENT' || (err as FsError).code === 'ENOTDIR') return 'missing';
      throw err;
    }
  });
  for (const dir of todo) {
    try {
      mkdirSync(dir);
    } catch (err) {
      // Made by someone else in the meantime: fine if it is a directory.
      if ((err as FsError).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw err;
    }
  }
}

/** The same as makeDirSync, through the asynchronous API (so a caller can put a time limit on it). */
export async function makeDir(path: string): Promise<void> {
  const abs = resolve(path);
  // Collect the stat results first (async), then reuse the synchronous walk on them.
  const kinds = new Map<string, 'dir' | 'other' | 'missing'>();
  let cur = abs;
  for (;;) {
    let kind: 'dir' | 'other' | 'missing';
    try {
      kind = kindFromStat((await stat(cur)).isDirectory());
    } catch (err) {
      if ((err as FsError).code !== 'ENOENT' && (err as FsError).code !== 'ENOTDIR') throw err;
      kind = 'missing';
    }
    kinds.set(cur, kind);
    const parent = dirname(cur);
    if (kind !== 'missing' || parent === cur) break;
    cur = parent;
  }
  const todo = missingAncestors(abs, (p) => kinds.get(p) ?? 'missing');
  for (const dir of todo) {
    try {
      await mkdir(dir);
    } catch (err) {
      if ((err as FsError).code !== 'EEXIST' || !(await stat(dir)).isDirectory()) throw err;
    }
  }
}
