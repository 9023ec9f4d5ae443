import type { Command } from 'commander';
import { checkEnv } from '../envs/check.js';
import { parseCount, parseNonNegativeInt } from './options.js';
import { addEnvironmentOptions, prepareEnvironment, resolveEnvironment } from './env-args.js';

interface CheckEnvCliOptions {
  seed: number;
  episodes: number;
  envOption?: Record<string, string>;
}

export function register(program: Command): void {
  const command = program
    .command('check-env')
    .description("check an environment (an id or an ES module's path) the way training relies on it: spaces, shapes, rewards, bounds, time limit, determinism, state round trip, parameters; one line per problem, exit status 1 when there is one")
    .argument('<environment>', 'environment id, or the path of an ES module whose default export is an environment entry')
    .option('--seed <s>', 'seed of the resets and the random actions', parseNonNegativeInt, 0)
    .option('--episodes <n>', 'episodes of random actions for the step checks', parseCount, 3);
  addEnvironmentOptions(command).action(async (environment: string, options: CheckEnvCliOptions) => {
    const resolved = resolveEnvironment(await prepareEnvironment(environment), options);
    const findings = checkEnv(resolved.entry, { envOptions: resolved.options, seed: options.seed, episodes: options.episodes });
    const id = resolved.entry.id;
    for (const p of findings) process.stdout.write(`${id}: ${p.warning ? 'warning: ' : ''}${p.check}: ${p.message}\n`);
    const problems = findings.filter((p) => !p.warning).length;
    if (problems > 0) {
      process.stdout.write(`${problems} problem${problems > 1 ? 's' : ''} found\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`${id}: every check passed${findings.length > 0 ? ' (see the warnings above)' : ''}\n`);
    }
  });
}
