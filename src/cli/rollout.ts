import type { Command } from 'commander';
import { loadLaw } from '../law/io.js';
import { Pendulum } from '../rl/pendulum.js';
import { lawPolicy } from '../rl/law-policy.js';
import { evaluatePolicy } from '../rl/train.js';
import { parseCount, parseFiniteNumber, parseNonNegativeInt } from './options.js';
import { formatTable } from './table.js';

export function register(program: Command): void {
  program
    .command('rollout')
    .description('run a control law (a law document) in an environment and print the return of each episode')
    .argument('<law>', 'law document, e.g. runs/NAME/law.json')
    .option('--env <name>', 'environment: pendulum', 'pendulum')
    .option('--episodes <n>', 'episodes', parseCount, 10)
    .option('--seed <s>', 'seed of the initial states', parseNonNegativeInt, 0)
    .option('--g <gravity>', 'gravity', parseFiniteNumber, 9.81)
    .action((file: string, options: { env: string; episodes: number; seed: number; g: number }) => {
      const law = loadLaw(file);
      const make = () => new Pendulum({ g: options.g });
      const policy = lawPolicy(law, make());
      const returns = evaluatePolicy(policy, make, options.episodes, options.seed);
      const mean = returns.reduce((s, v) => s + v, 0) / returns.length;
      process.stdout.write(formatTable(['episode', 'return'], returns.map((r, i) => [String(i + 1), r.toFixed(2)])) + `\nmean return ${mean.toFixed(2)} over ${returns.length} episodes\n`);
    });
}
