import type { Command } from 'commander';
import { Pendulum, collectRandomEpisodes, TRANSITION_COLUMNS } from '../rl/pendulum.js';
import { writeNumericCsv } from '../data/csv.js';
import { progress } from '../util/progress.js';
import { parseCount, parseFiniteNumber, parseNonNegativeInt } from './options.js';
import { CliUsageError } from './expr.js';

interface SimulateOptions {
  episodes: number;
  seed: number;
  g: number;
  out: string;
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description('write a data set of random-action episodes of an environment to CSV (one row per transition)')
    .argument('<environment>', 'environment: pendulum (Pendulum-v1)')
    .option('--episodes <n>', 'number of episodes', parseCount, 1000)
    .option('--seed <s>', 'seed of the initial states and the random actions', parseNonNegativeInt, 0)
    .option('--g <gravity>', 'gravity (Gymnasium default 10; the tutorial uses 9.81)', parseFiniteNumber, 9.81)
    .requiredOption('--out <file>', 'CSV file to write')
    .action((environment: string, options: SimulateOptions) => {
      if (environment !== 'pendulum') throw new CliUsageError(`unknown environment "${environment}"; available: pendulum`);
      const bar = progress('episodes', options.episodes);
      const env = new Pendulum({ g: options.g });
      const { columns, n } = collectRandomEpisodes(env, { episodes: options.episodes, seed: options.seed, onEpisode: (done) => bar.update(done) });
      bar.stop();
      writeNumericCsv(options.out, TRANSITION_COLUMNS, columns, n);
      process.stderr.write(`wrote ${n} transitions (${options.episodes} episodes, g = ${options.g}) to ${options.out}\n`);
    });
}
