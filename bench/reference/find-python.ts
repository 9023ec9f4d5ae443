import { execFileSync } from 'node:child_process';

/**
 * A python3 that imports numpy: $SPARSELAW_PYTHON, then `python3` on PATH (possibly a pyenv shim
 * without numpy), then Debian's /usr/bin/python3 (python3-numpy). Null when none does; the caller
 * skips what needs it, saying so.
 */
export function findNumpyPython(): string | null {
  const candidates = [process.env.SPARSELAW_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
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
