import { SparselawError } from '../../src/errors.js';

/** A numeric option: the fallback when absent, else a finite number passing `check`, or a one-line error naming the option. */
export function numberOption(name: string, value: string | undefined, fallback: number, check: (v: number) => boolean, what: string): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || !check(v)) throw new SparselawError(`--${name}: expected ${what}, got "${value}"`);
  return v;
}

/**
 * Runs an example's main: bad input (a SparselawError, or an option parseArgs rejects) becomes one
 * line on stderr prefixed with the example's name, and exit code 2; anything else is a bug and keeps
 * its stack trace.
 */
export async function runExample(name: string, usage: string, main: () => void | Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    const parseError = err instanceof TypeError && String((err as NodeJS.ErrnoException).code ?? '').startsWith('ERR_PARSE_ARGS');
    if (!(err instanceof SparselawError || parseError)) throw err;
    process.stderr.write(`${name}: ${(err as Error).message.replaceAll('\n', ' ')}${parseError ? `; ${usage}` : ''}\n`);
    process.exitCode = 2;
  }
}
