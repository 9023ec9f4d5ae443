import { InvalidArgumentError } from 'commander';
import { VARIABLE_NAME } from '../expr/ast.js';

/** Option parsers shared by the subcommands; they throw commander's error so usage is printed. */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  }
  return n;
}

export function parseNonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  }
  return n;
}

export function parseFiniteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a finite number, got "${value}"`);
  return n;
}

export function parsePositiveNumber(value: string): number {
  const n = parseFiniteNumber(value);
  if (n <= 0) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}

export function parseNonNegativeNumber(value: string): number {
  const n = parseFiniteNumber(value);
  if (n < 0) throw new InvalidArgumentError(`expected a number >= 0, got "${value}"`);
  return n;
}

/** Comma-separated variable/column names, each a valid name, no duplicates. */
export function parseNameList(value: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!VARIABLE_NAME.test(name)) throw new InvalidArgumentError(`"${name}" is not a valid name (letters, digits, _)`);
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new InvalidArgumentError(`"${dup}" is listed twice`);
  return names;
}

/** A CSV field separator: one character that is not a quote, a line break or a number's own character. */
export function parseDelimiter(value: string): string {
  const v = value === '\\t' || value === 'tab' ? '\t' : value;
  if (v.length !== 1 || /["\r\n0-9.eE+-]/.test(v)) throw new InvalidArgumentError(`expected one separator character such as ";" or "tab", got ${JSON.stringify(value)}`);
  return v;
}
