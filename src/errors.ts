/**
 * Base of every error that describes bad input (a malformed expression, data file, law document,
 * option). The command line prints its message alone, without a stack trace; anything else is a bug.
 */
export class SparselawError extends Error {
  override name = 'SparselawError';
}
