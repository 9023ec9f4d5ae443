import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SparselawError } from '../errors.js';

/** Files a training run writes into its directory (and the report written beside them). */
export const RUN_FILES = ['law.json', 'law-last.json', 'checkpoint.bin', 'returns.csv', 'summary.json', 'report.html'] as const;

export interface RunDirIntent {
  /** Continue the run whose checkpoint is in the directory. */
  resume?: boolean;
  /** Replace a run already in the directory (its files are removed first, report included). */
  overwrite?: boolean;
}

/**
 * Decides, before anything is created or written, whether a run may use `dir`: a resume needs a
 * checkpoint there; a new run refuses a directory that already holds a run unless asked to replace
 * it, so a finished law and its report are never silently replaced by another run's files.
 */
export function checkRunDir(dir: string, intent: RunDirIntent): void {
  if (intent.resume && intent.overwrite) throw new SparselawError('--resume and --overwrite cannot be used together: resume continues the run, overwrite replaces it');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new SparselawError(`cannot use ${dir} as the run directory: it exists and is not a directory`);
  const checkpoint = join(dir, 'checkpoint.bin');
  if (intent.resume) {
    if (!existsSync(checkpoint)) throw new SparselawError(`nothing to resume: ${checkpoint} does not exist (run without --resume to start a new run)`);
    return;
  }
  const present = RUN_FILES.filter((f) => existsSync(join(dir, f)));
  if (present.length === 0) return;
  if (intent.overwrite) {
    for (const f of present) rmSync(join(dir, f), { force: true });
    return;
  }
  const finished = existsSync(join(dir, 'summary.json'));
  const what = finished ? 'a finished run' : existsSync(checkpoint) ? 'an unfinished run' : 'files of a run';
  const how = finished ? 'choose another --out, or add --overwrite to replace it' : 'continue it with --resume, or add --overwrite to replace it';
  throw new SparselawError(`${dir} already holds ${what} (${present.join(', ')}): ${how}`);
}
