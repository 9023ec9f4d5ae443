import { writeFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { makeDirSync } from './make-dir.js';

/**
 * Write a file so that readers see either the old content or the whole new one, never a part.
 * The directory is made by makeDirSync, not mkdirSync({ recursive: true }), which loops forever on
 * procfs (see make-dir.ts). Errors are node:fs errors carrying the failing path; callers facing user
 * paths check them first (util/output-path.ts) and main.ts turns any that slip through into one line.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  makeDirSync(dir);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
