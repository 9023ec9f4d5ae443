import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command, Option } from 'commander';
import { SparselawError } from '../errors.js';
import { looksLikeModulePath } from '../envs/index.js';

/**
 * A sweep: one subcommand of the CLI (train or discover) with its positional arguments, the options
 * every run shares, and a grid whose cross product gives one run each. A sweep knows nothing of the
 * internals: options are the subcommand's own flags, checked against its commander definition.
 */
export type ScalarValue = string | number | boolean;
/** An array repeats the flag (e.g. --env-option a=1 --env-option b=2). */
export type OptionValue = ScalarValue | string[];

export interface SweepSpec {
  command: SweepCommand;
  arguments: string[];
  options: Record<string, OptionValue>;
  grid: Record<string, OptionValue[]>;
}

export const SWEEP_COMMANDS = ['train', 'discover'] as const;
export type SweepCommand = (typeof SWEEP_COMMANDS)[number];

/** Options the sweep sets itself for every run. */
const RESERVED = new Set(['out', 'resume', 'help', 'version']);

/** The grid key whose values are averaged over in the summary. */
export const SEED_KEY = 'seed';

/** Read and check a spec file; errors name the file and the field (or line and column for bad JSON). */
export function readSpecFile(path: string, program: Command): SweepSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SparselawError(`${path}: cannot read the sweep spec (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SparselawError(`${path}: ${jsonErrorPlace(text, err as Error)}`);
  }
  return checkSpec(raw, path, program);
}

function jsonErrorPlace(text: string, err: Error): string {
  const m = /position (\d+)/.exec(err.message);
  const detail = err.message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
  if (!m) return `malformed JSON: ${detail}`;
  const pos = Number(m[1]);
  const before = text.slice(0, pos).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}: malformed JSON: ${detail}`;
}

function fail(where: string, field: string, message: string): never {
  throw new SparselawError(`${where}: ${field}: ${message}`);
}

function isScalar(v: unknown): v is ScalarValue {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';
}

function checkValue(v: unknown, where: string, field: string): OptionValue {
  if (isScalar(v)) return v;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return v as string[];
  return fail(where, field, `expected a string, a finite number, a boolean, or a list of strings (a repeated flag), got ${JSON.stringify(v)}`);
}

/** Check an already parsed spec object (from JSON or from the flag form) against the CLI. */
export function checkSpec(raw: unknown, where: string, program: Command): SweepSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(where, 'spec', 'expected a JSON object with "command", "arguments", "options" and "grid"');
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!['command', 'arguments', 'options', 'grid'].includes(key)) fail(where, key, 'unknown field; expected "command", "arguments", "options" or "grid"');
  }
  const command = obj.command;
  if (typeof command !== 'string' || !(SWEEP_COMMANDS as readonly string[]).includes(command)) {
    fail(where, 'command', `expected one of ${SWEEP_COMMANDS.map((c) => `"${c}"`).join(', ')}, got ${JSON.stringify(command)}`);
  }
  const sub = program.commands.find((c) => c.name() === command);
  if (!sub) fail(where, 'command', `this sparselaw has no "${command}" command`);
  const args = obj.arguments ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) fail(where, 'arguments', 'expected a list of strings (the positional arguments, e.g. ["pendulum"])');
  const options: Record<string, OptionValue> = {};
  const rawOptions = obj.options ?? {};
  if (typeof rawOptions !== 'object' || rawOptions === null || Array.isArray(rawOptions)) fail(where, 'options', 'expected an object of option name -> value');
  for (const [key, v] of Object.entries(rawOptions)) {
    const value = checkValue(v, where, `options.${key}`);
    checkOption(sub, key, value, where, `options.${key}`);
    options[key] = value;
  }
  const grid: Record<string, OptionValue[]> = {};
  const rawGrid = obj.grid ?? {};
  if (typeof rawGrid !== 'object' || rawGrid === null || Array.isArray(rawGrid)) fail(where, 'grid', 'expected an object of option name -> list of values');
  for (const [key, list] of Object.entries(rawGrid)) {
    if (!Array.isArray(list) || list.length === 0) fail(where, `grid.${key}`, 'expected a non-empty list of values');
    if (key in options) fail(where, `grid.${key}`, `"${key}" is also in options; give it in one place`);
    const values = list.map((v, i) => {
      const value = checkValue(v, where, `grid.${key}[${i}]`);
      checkOption(sub, key, value, where, `grid.${key}[${i}]`);
      return value;
    });
    const dup = values.findIndex((v, i) => values.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) !== i);
    if (dup >= 0) fail(where, `grid.${key}[${dup}]`, `${JSON.stringify(values[dup])} is listed twice`);
    grid[key] = values;
  }
  const spec: SweepSpec = { command: command as SweepCommand, arguments: [...(args as string[])], options, grid };
  // discover reads a data file: make its path absolute so every run (and every machine with the same
  // shared path) reads the same file whatever its working directory.
  if (spec.command === 'discover' && spec.arguments.length > 0) spec.arguments[0] = resolve(spec.arguments[0]!);
  // So does a train run's environment module (its runs record the module by this path and its hash).
  if (spec.command === 'train' && spec.arguments.length > 0 && looksLikeModulePath(spec.arguments[0]!)) spec.arguments[0] = resolve(spec.arguments[0]!);
  return spec;
}

function findOption(sub: Command, key: string): Option | undefined {
  return sub.options.find((o) => o.long === `--${key}`);
}

/** The option exists, takes a value (or is a flag given as a boolean), and its own parser accepts the value. */
function checkOption(sub: Command, key: string, value: OptionValue, where: string, field: string): void {
  if (RESERVED.has(key)) fail(where, field, `--${key} is set by the sweep itself (one run directory each, resumed when interrupted)`);
  const opt = findOption(sub, key);
  if (!opt) {
    const known = sub.options.map((o) => o.long?.slice(2)).filter((n): n is string => n !== undefined && !RESERVED.has(n));
    fail(where, field, `unknown option --${key} of "sparselaw ${sub.name()}"; known: ${known.join(', ')}`);
  }
  const takesValue = opt.required || opt.optional;
  if (!takesValue) {
    if (typeof value !== 'boolean') fail(where, field, `--${key} is a flag: give true or false`);
    return;
  }
  if (typeof value === 'boolean') fail(where, field, `--${key} takes a value, not ${value}`);
  const values = Array.isArray(value) ? value : [String(value)];
  for (const v of values) {
    if (opt.argChoices && !opt.argChoices.includes(v)) fail(where, field, `--${key}: "${v}" is not one of ${opt.argChoices.join(', ')}`);
    if (opt.parseArg) {
      try {
        opt.parseArg(v, undefined as unknown);
      } catch (err) {
        fail(where, field, `--${key}: ${(err as Error).message}`);
      }
    }
  }
}

/** One run of a sweep: its grid point and the command line that performs it (without --out). */
export interface RunPlan {
  index: number;
  /** Directory name under RUNS/: index and grid point, safe in file names. */
  id: string;
  point: Record<string, OptionValue>;
  argv: string[];
}

function flags(key: string, value: OptionValue): string[] {
  if (value === true) return [`--${key}`];
  if (value === false) return [];
  if (Array.isArray(value)) return value.flatMap((v) => [`--${key}`, v]);
  return [`--${key}`, String(value)];
}

export function formatValue(value: OptionValue): string {
  return Array.isArray(value) ? value.join(';') : String(value);
}

/** The cross product of the grid, the last key varying fastest; one run when the grid is empty. */
export function expandRuns(spec: SweepSpec): RunPlan[] {
  const keys = Object.keys(spec.grid);
  let points: Record<string, OptionValue>[] = [{}];
  for (const key of keys) points = points.flatMap((p) => spec.grid[key]!.map((v) => ({ ...p, [key]: v })));
  const width = String(points.length - 1).length;
  return points.map((point, index) => {
    const label = keys.map((k) => `${k}=${formatValue(point[k]!)}`).join(',');
    const safe = label.replace(/[^A-Za-z0-9._=,+-]/g, '_').slice(0, 120);
    const argv = [
      spec.command,
      ...spec.arguments,
      ...Object.entries(spec.options).flatMap(([k, v]) => flags(k, v)),
      ...keys.flatMap((k) => flags(k, point[k]!)),
    ];
    return { index, id: `${String(index).padStart(Math.max(3, width), '0')}${safe ? '-' + safe : ''}`, point, argv };
  });
}

/** The grid point without the seed: runs that share it are one configuration. */
export function configurationKey(point: Record<string, OptionValue>): string {
  return Object.entries(point)
    .filter(([k]) => k !== SEED_KEY)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(',');
}

/**
 * The compact flag form: `train pendulum --policy poly:3,mlp --seed 1..5 --episodes 60`. A value with
 * commas (outside brackets, so `poly:2[x,y]` stays whole) or an integer range a..b is a grid axis; any
 * other value is shared by every run, and so is the value of an option that is itself a comma list.
 */
export function specFromFlags(tokens: readonly string[], program: Command): SweepSpec {
  const [command, ...rest] = tokens;
  const sub = program.commands.find((c) => c.name() === command);
  const args: string[] = [];
  const options: Record<string, OptionValue> = {};
  const grid: Record<string, OptionValue[]> = {};
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (!token.startsWith('--')) {
      args.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const key = eq >= 0 ? token.slice(2, eq) : token.slice(2);
    const opt = sub ? findOption(sub, key) : undefined;
    const isFlag = opt !== undefined && !opt.required && !opt.optional;
    let value: string | true;
    if (eq >= 0) value = token.slice(eq + 1);
    else if (isFlag) value = true;
    else if (i + 1 < rest.length) value = rest[++i]!;
    else throw new SparselawError(`sweep: --${key} needs a value`);
    if (value === true) {
      options[key] = true;
      continue;
    }
    // An option the command itself parses into a list (--inputs a,b,c) keeps its commas; sweep such an
    // option with a spec file.
    const values = opt && parsesToList(opt, value) ? [value] : splitAxis(value);
    if (key in options || key in grid) throw new SparselawError(`sweep: --${key} is given twice; list its values once, separated by commas`);
    if (values.length > 1) grid[key] = values;
    else options[key] = values[0]!;
  }
  return checkSpec({ command, arguments: args, options, grid }, 'sweep', program);
}

function parsesToList(opt: Option, value: string): boolean {
  if (!opt.parseArg) return false;
  try {
    return Array.isArray(opt.parseArg(value, undefined as unknown));
  } catch {
    return false;
  }
}

/** Split "a,b,c" at top-level commas and expand integer ranges "1..5". */
export function splitAxis(value: string): string[] {
  const range = /^(-?\d+)\.\.(-?\d+)$/.exec(value.trim());
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (b < a) throw new SparselawError(`sweep: range "${value}" is empty (write low..high)`);
    if (b - a >= 10000) throw new SparselawError(`sweep: range "${value}" has more than 10000 values`);
    return Array.from({ length: b - a + 1 }, (_, i) => String(a + i));
  }
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** The Redis queue a sweep and its workers use unless told otherwise. */
export const DEFAULT_QUEUE_NAME = 'sparselaw-runs';
