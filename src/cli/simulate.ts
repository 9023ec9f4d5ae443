import type { Command } from 'commander';
import { collectEpisodes, transitionColumns, type CollectOptions } from '../envs/collect.js';
import { readNumericCsv, writeNumericCsv } from '../data/csv.js';
import { loadLaw } from '../export/law.js';
import { lawPolicy } from '../rl/law-policy.js';
import { progress } from '../util/progress.js';
import { SparselawError } from '../errors.js';
import { parseCount, parseNonNegativeInt } from './options.js';
import { addEnvironmentOptions, resolveEnvironment } from './env-args.js';
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
    const resolved = resolveEnvironment(environment, options);
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
    await checkOutputFile(options.out, 'the data set');
    const bar = progress('episodes', collect.episodes);
    const { columns, n } = collectEpisodes(env, { ...collect, onEpisode: (done) => bar.update(done) });
    bar.stop();
    writeNumericCsv(options.out, transitionColumns(env), columns, n);
    const params = env.parameterNames.length ? `, ${env.parameterNames.map((p, i) => `${p} = ${resolved.parameters?.[i] ?? 'drawn per episode'}`).join(', ')}` : '';
    process.stderr.write(`wrote ${n} transitions (${collect.episodes} episodes of ${env.id}${params}) to ${options.out}\n`);
  });
}

/** An actions file: exactly the action columns, every cell finite (csv reader names file, line and column). */
function readActions(path: string, names: readonly string[]): Float64Array[] {
  const table = readNumericCsv(path, { columns: names });
  const extra = table.header.filter((h) => !names.includes(h));
  if (extra.length > 0) throw new SparselawError(`${path}: unexpected column${extra.length > 1 ? 's' : ''} ${extra.map((e) => `"${e}"`).join(', ')} (the actions are ${names.join(', ')})`);
  return Array.from({ length: table.n }, (_, r) => Float64Array.from(names, (name) => table.columns.get(name)![r]!));
}
