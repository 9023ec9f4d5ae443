import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
export { findNumpyPython } from './find-python.js';

/** The NumPy KS script, next to this file's source (dist/bench/reference -> bench/reference). */
export const NUMPY_KS_SCRIPT = fileURLToPath(new URL('../../../bench/reference/ks_numpy.py', import.meta.url));

export interface NumpyKsRun {
  numpy: string;
  reset_s: number[];
  episode_s: number[];
  start: number[];
  final: number[];
  return: number;
}

/** Runs `episodes` NumPy episodes (reset + `steps` proportional-policy steps with `gain`) at mu. */
export function runNumpyKs(python: string, mu: number, steps: number, gain: number, episodes: number): NumpyKsRun {
  const out = execFileSync(python, [NUMPY_KS_SCRIPT, String(mu), String(steps), String(gain), String(episodes)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out) as NumpyKsRun;
}
