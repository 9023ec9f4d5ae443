import { type Command, InvalidArgumentError } from 'commander';
import { ENVIRONMENTS, getEnvEntry, resolveEnvOptions, describeOptions, type EnvEntry } from '../envs/index.js';
import type { Env } from '../envs/env.js';
import { SparselawError } from '../errors.js';
import { resolveEnvEntry } from '../envs/module-env.js';
import { closeEnv } from '../envs/env-state.js';

/** `--env-option name=value`, repeatable: collects into a record (names are checked against the environment later). */
export function collectEnvOption(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`expected name=value, got "${value}"`);
  if (m[1]! in previous) throw new InvalidArgumentError(`"${m[1]}" is given twice`);
  return { ...previous, [m[1]!]: m[2]!.trim() };
}

/** The option list of every environment, for the `--help` of commands that take one. */
export function environmentsHelp(): string {
  const blocks = ENVIRONMENTS.map((e) => {
    const params = e.parameterDistribution ? `\n    parameters: ${e.parameterDistribution}` : '';
    const opts = describeOptions(e)
      .split('\n')
      .map((l) => `    --env-option ${l}`)
      .join('\n');
    const protocols = Object.entries(e.evaluation)
      .map(([name, p]) => `\n    protocol ${name}: ${p.description}`)
      .join('');
    return `  ${e.id} (${e.title}): ${e.description}${params}\n${opts}${protocols}`;
  });
  const modules = '  ./my-env.mjs: the path of an ES module whose default export is an environment entry (docs/environments.md)';
  return `\nEnvironments:\n${blocks.join('\n')}\n${modules}\n`;
}

export function addEnvironmentOptions(command: Command): Command {
  return command
    .option('--env-option <name=value>', "an option of the environment (repeatable; see the list below)", collectEnvOption, {})
    .option('--param <name=value>', 'fix a parameter of a parametric environment for every episode (repeatable; otherwise drawn each episode)', collectParam, {})
    .option('--mu <value>', 'the same as --param mu=VALUE', parseMu)
    .addHelpText('after', environmentsHelp());
}

/** `--param name=value`, repeatable: the value must be a finite number. */
function collectParam(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const pair = collectEnvOption(value, Object.fromEntries(Object.entries(previous).map(([k, v]) => [k, String(v)])));
  const [name, raw] = Object.entries(pair).at(-1)!;
  return { ...previous, [name]: parseMu(raw) };
}

function parseMu(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v)) throw new InvalidArgumentError(`expected a finite number, got "${value}"`);
  return v;
}

/**
 * An environment argument as the rest of a command uses it: a registered id as it is, the path of an
 * ES module loaded (and registered) first, its id returned.
 */
export async function prepareEnvironment(name: string): Promise<string> {
  return (await resolveEnvEntry(name)).id;
}

/** What a command checks its options against before any work starts: an environment's names, bounds and initial parameters. */
export interface EnvSpaces {
  id: string;
  observationNames: readonly string[];
  actionNames: readonly string[];
  parameterNames: readonly string[];
  actionLow: Float64Array;
  actionHigh: Float64Array;
  maxEpisodeSteps: number;
  /** parameters() of a freshly created environment. */
  parameters: Float64Array;
}

export interface ResolvedEnv {
  entry: EnvEntry;
  options: Record<string, number>;
  /** Parameters fixed by --param (or --mu), in the environment's parameter order. */
  parameters?: number[];
  make(): Env;
  /** The environment's spaces, read once from an environment that is closed at once (a process environment's process ends). */
  spaces(): EnvSpaces;
}

/** Checks the environment name, its options and fixed parameters (--param, --mu) before any work starts. */
export function resolveEnvironment(name: string, cli: { envOption?: Record<string, string>; mu?: number; param?: Record<string, number> }, extra: Record<string, number> = {}): ResolvedEnv {
  const entry = getEnvEntry(name);
  const options = resolveEnvOptions(entry, { ...cli.envOption, ...extra });
  const make = (): Env => entry.create(options);
  let cached: EnvSpaces | undefined;
  const spaces = (): EnvSpaces => {
    if (cached) return cached;
    const env = make();
    try {
      const { id, observationNames, actionNames, parameterNames, maxEpisodeSteps } = env;
      cached = { id, observationNames, actionNames, parameterNames, maxEpisodeSteps, actionLow: Float64Array.from(env.actionLow), actionHigh: Float64Array.from(env.actionHigh), parameters: Float64Array.from(env.parameters()) };
      return cached;
    } finally {
      closeEnv(env);
    }
  };
  const fixed: Record<string, number> = { ...cli.param, ...(cli.mu !== undefined ? { mu: cli.mu } : {}) };
  let parameters: number[] | undefined;
  if (Object.keys(fixed).length > 0) {
    const env = spaces();
    parameters = Array.from(env.parameters);
    for (const [p, value] of Object.entries(fixed)) {
      const i = env.parameterNames.indexOf(p);
      const flag = cli.mu !== undefined && p === 'mu' ? '--mu' : `--param ${p}`;
      if (i < 0) throw new SparselawError(`${flag}: ${entry.id} has no parameter ${p}${env.parameterNames.length ? ` (its parameters: ${env.parameterNames.join(', ')})` : ' (it has none)'}`);
      parameters[i] = value;
    }
  }
  return { entry, options, ...(parameters ? { parameters } : {}), make, spaces };
}

/** The environment options of the training commands, and whether the agent sees the parameters. */
export interface AgentEnvironmentOptions {
  envOption?: Record<string, string>;
  /** A number from --mu, or false from --no-mu. */
  mu?: number | false;
  param?: Record<string, number>;
  /** False from --no-params (the same as --no-mu). */
  params?: boolean;
}

/**
 * The environment a trainer acts in, as `train` resolves it for either algorithm: its options and
 * fixed parameters, and whether the agent sees the parameters (refused for an environment without).
 */
export function resolveAgentEnvironment(environment: string, options: AgentEnvironmentOptions): { env: ResolvedEnv; probe: EnvSpaces; observeParameters: boolean } {
  const observeParameters = options.mu !== false && options.params !== false;
  const env = resolveEnvironment(environment, { envOption: options.envOption, param: options.param, ...(typeof options.mu === 'number' ? { mu: options.mu } : {}) });
  const probe = env.spaces();
  if (!observeParameters && probe.parameterNames.length === 0) throw new SparselawError(`${options.params === false ? '--no-params' : '--no-mu'}: ${env.entry.id} has no parameters`);
  return { env, probe, observeParameters };
}
