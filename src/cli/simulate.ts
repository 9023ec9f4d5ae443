import type { Command } from 'commander';
import { closeEnv } from '../envs/env-state.js';
import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { episodeLength, forEachTransitionAsync, transitionColumns, type CollectOptions } from '../envs/collect.js';
import type { Env } from '../envs/env.js';
import { readNumericCsv } from '../data/csv.js';
import { CsvRowWriter } from '../data/csv-stream.js';
import { loadLaw } from '../export/law.js';
import { lawPolicy } from '../rl/law-policy.js';
import { progress } from '../util/progress.js';
import { SparselawError } from '../errors.js';
import { parseCount, parseNonNegativeInt } from './options.js';
import { addEnvironmentOptions, prepareEnvironment, resolveEnvironment } from './env-args.js';
import { checkOutputFile } from '../util/output-path.js';

interface SimulateOptions {
  episodes: number;
  seed: number;
  policy: string;
  actions?: string;
  envOption?: Record<string, string>;
  mu?: number;
  out: string;
}

export function register(program: Command): void {
  const command = program
    .command('simulate')
    .description('write episodes of an environment to CSV, one row per transition (random actions, no action, a law, or actions from a file)')
    .argument('<environment>', 'environment (see the list below)')
    .option('--episodes <n>', 'number of episodes (one with --actions)', parseCount, 1000)
    .option('--seed <s>', 'seed of the initial states and the random actions', parseNonNegativeInt, 0)
    .option('--policy <kind>', 'random (uniform in the action bounds), zero, or a law document LAW.json', 'random')
    .option('--actions <csv>', 'apply these actions from the reset state, one row per step, columns named as the actions')
    .requiredOption('--out <file>', 'CSV file to write');
  addEnvironmentOptions(command).action(async (environment: string, options: SimulateOptions) => {
    const resolved = resolveEnvironment(await prepareEnvironment(environment), options);
    const env = resolved.make();
    const collect: CollectOptions = { episodes: options.episodes, seed: options.seed, ...(resolved.parameters ? { parameters: resolved.parameters } : {}) };
    if (options.actions !== undefined) {
      if (options.policy !== 'random') throw new SparselawError('--actions and --policy cannot be used together');
      collect.actions = readActions(options.actions, env.actionNames);
      collect.episodes = 1;
    } else if (options.policy === 'random' || options.policy === 'zero') {
      collect.policy = options.policy;
    } else if (options.policy.endsWith('.json')) {
      const policy = lawPolicy(loadLaw(options.policy), env);
      collect.policy = (obs, params) => policy(Float64Array.from([...obs, ...params]));
    } else {
      throw new SparselawError(`--policy: expected random, zero or a law document (.json), got "${options.policy}"`);
    }
    await checkOutputFile(options.out, 'the data set', { inputs: [options.actions, options.policy.endsWith('.json') ? options.policy : undefined].filter((f): f is string => f !== undefined) });
    checkDiskSpace(options.out, env, collect);
    const bar = progress('episodes', collect.episodes);
    const writer = new CsvRowWriter(options.out, transitionColumns(env));
    const onSignal = (): void => {
      writer.abort();
      process.stderr.write(`\ninterrupted: nothing written to ${options.out}\n`);
      process.exit(130);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let clipped: number;
    try {
      ({ clipped } = await forEachTransitionAsync(env, { ...collect, onEpisode: (done) => bar.update(done) }, (row) => writer.write(row)));
      writer.commit();
    } catch (err) {
      writer.abort();
      throw err;
    } finally {
      bar.stop();
      closeEnv(env);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    const params = env.parameterNames.length ? `, ${env.parameterNames.map((p, i) => `${p} = ${resolved.parameters?.[i] ?? 'drawn per episode'}`).join(', ')}` : '';
    process.stderr.write(`wrote ${writer.rows} transitions (${collect.episodes} episodes of ${env.id}${params}) to ${options.out}\n`);
    if (clipped > 0) {
      const bounds = env.actionNames.map((name, k) => `${name} in [${env.actionLow[k]}, ${env.actionHigh[k]}]`).join(', ');
      process.stderr.write(`note: ${clipped} action value${clipped > 1 ? 's' : ''} lay outside the bounds (${bounds}) and ${clipped > 1 ? 'were' : 'was'} clipped; the file holds the applied actions\n`);
    }
  });
}

/** Rough size of one CSV cell of a full-precision double, for the disk check. */
const BYTES_PER_CELL = 20;

/** Refuses a request whose file could not fit on the disk, before any episode runs. */
function checkDiskSpace(out: string, env: Env, collect: CollectOptions): void {
  const rows = collect.episodes * episodeLength(env, collect);
  const bytes = rows * transitionColumns(env).length * BYTES_PER_CELL;
  const dir = dirname(resolve(out));
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  if (bytes > free) {
    throw new SparselawError(
      `--episodes ${collect.episodes}: up to ${rows.toExponential(2)} rows (about ${formatBytes(bytes)}) would not fit in the ${formatBytes(free)} free at ${dir}; ask for fewer episodes`,
    );
  }
}

function formatBytes(b: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let i = 0;
  while (b >= 1000 && i < units.length - 1) {
    b /= 1000;
    i++;
  }
  return `${b.toPrecision(3)} ${units[i]}`;
}

/** An actions file: exactly the action columns, every cell finite (csv reader names file, line and column). */
function readActions(path: string, names: readonly string[]): Float64Array[] {
  const table = readNumericCsv(path, { columns: names });
  const extra = table.header.filter((h) => !names.includes(h));
  if (extra.length > 0) throw new SparselawError(`${path}: unexpected column${extra.length > 1 ? 's' : ''} ${extra.map((e) => `"${e}"`).join(', ')} (the actions are ${names.join(', ')})`);
  return Array.from({ length: table.n }, (_, r) => Float64Array.from(names, (name) => table.columns.get(name)![r]!));
}
