import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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

/**
 * A python3 that imports numpy: $SPARSELAW_PYTHON, then `python3` on PATH (possibly a pyenv shim
 * without numpy), then the system /usr/bin/python3 (Debian's python3-numpy). Null when none does.
 */
export function findNumpyPython(): string | null {
  const candidates = [process.env.SPARSELAW_PYTHON, 'python3', '/usr/bin/python3', 'python'].filter((c): c is string => !!c);
  for (const py of candidates) {
    try {
      execFileSync(py, ['-c', 'import numpy'], { stdio: 'ignore', timeout: 30_000 });
      return py;
    } catch {
      // not this one
    }
  }
  return null;
}

/** Runs `episodes` NumPy episodes (reset + `steps` proportional-policy steps with `gain`) at mu. */
export function runNumpyKs(python: string, mu: number, steps: number, gain: number, episodes: number): NumpyKsRun {
  const out = execFileSync(python, [NUMPY_KS_SCRIPT, String(mu), String(steps), String(gain), String(episodes)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out) as NumpyKsRun;
}
