import type { Command } from 'commander';
import { loadLaw } from '../law/io.js';
import { lawPolicy } from '../rl/law-policy.js';
import { evaluateCases, mean } from '../rl/evaluate.js';
import type { EvalCase } from '../envs/registry.js';
import { SparselawError } from '../errors.js';
import { parseCount, parseNonNegativeInt } from './options.js';
import { formatTable } from './table.js';
import { addEnvironmentOptions, prepareEnvironment, resolveEnvironment } from './env-args.js';
import { loadRecordedEnvModule } from '../envs/module-env.js';
import { closeEnv } from '../envs/env-state.js';
import { InvalidArgumentError } from 'commander';
import { ENVIRONMENTS, getEnvEntry, prepareEnvEntry } from '../envs/index.js';
import { recordedEnvironment } from '../law/recorded-environment.js';

interface RolloutOptions {
  env?: string;
  episodes: number;
  seed: number;
  eval?: string;
  sensorNoise?: number;
  envOption?: Record<string, string>;
  mu?: number;
}

function parseNoise(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v < 0) throw new InvalidArgumentError(`expected a number >= 0, got "${value}"`);
  return v;
}

export function register(program: Command): void {
  const command = program
    .command('rollout')
    .description('run a control law (a law document) in an environment and print the return of each episode')
    .argument('<law>', 'law document, e.g. runs/NAME/law.json')
    .option('--env <name>', "environment (see the list below; default: the one the law document names)")
    .option('--episodes <n>', 'episodes (without --eval)', parseCount, 10)
    .option('--seed <s>', 'seed of the initial states (and of drawn parameters)', parseNonNegativeInt, 0)
    .option('--eval <protocol>', "one of the environment's evaluation protocols (listed below) instead of --episodes")
    .option('--sensor-noise <std>', 'Gaussian noise on the observed sensors (environments with a sensorNoise option)', parseNoise);
  addEnvironmentOptions(command).action(async (file: string, options: RolloutOptions) => {
    // A named environment is checked before the law is read, so a typo is reported first.
    if (options.env !== undefined) {
      options.env = await prepareEnvironment(options.env);
      resolveEnvironment(options.env, options);
    }
    const law = loadLaw(file);
    if (options.env === undefined) {
      const warning = await loadRecordedEnvModule(law.meta?.environmentModule, file);
      if (warning) process.stderr.write(`${warning}\n`);
    }
    const recorded = recordedEnvironment(law);
    const envName = options.env ?? recorded?.name;
    if (envName === undefined) throw new SparselawError(`${file} does not name the environment it controls (meta.environment): give --env (one of: ${ENVIRONMENTS.map((e) => e.id).join(', ')})`);
    // Taken from the law, the environment also takes the options it was trained with; --env-option overrides them.
    const saved = options.env === undefined ? recorded?.options : undefined;
    await prepareEnvEntry(getEnvEntry(envName));
    const resolved = resolveEnvironment(envName, { ...options, envOption: { ...saved, ...options.envOption } }, options.sensorNoise !== undefined ? { sensorNoise: options.sensorNoise } : {});
    const env = resolved.make();
    let cases: EvalCase[];
    if (options.eval !== undefined) {
      const protocol = resolved.entry.evaluation[options.eval];
      if (!protocol) throw new SparselawError(`--eval: ${resolved.entry.id} has no evaluation protocol "${options.eval}" (it has: ${Object.keys(resolved.entry.evaluation).join(', ')})`);
      if (resolved.parameters) throw new SparselawError('--eval and --param (or --mu) cannot be used together: the protocol sets the parameters');
      cases = protocol.cases(options.seed);
    } else {
      cases = Array.from({ length: options.episodes }, (_, e) => ({ seed: options.seed + e, ...(resolved.parameters ? { parameters: resolved.parameters } : {}) }));
    }
    let policy: ReturnType<typeof lawPolicy>;
    try {
      policy = lawPolicy(law, env);
    } catch (err) {
      if (!(err instanceof SparselawError)) throw err;
      const made = recorded ? ENVIRONMENTS.find((e) => e.id === recorded.name.toLowerCase() || e.title.toLowerCase() === recorded.name.toLowerCase())?.id ?? recorded.name : undefined;
      const hint = made && options.env !== undefined ? `the law was made for ${made}: drop --env or give --env ${made}` : 'give the environment the law was made for with --env';
      throw new SparselawError(`${file}: ${err.message} (${hint})`);
    }
    const infoNames: string[] = [];
    let info: Record<string, number> = {};
    const perEpisode: Record<string, number>[] = [];
    const onStep = (_obs: Float64Array, _action: ArrayLike<number>, _reward: number, stepInfo?: Readonly<Record<string, number>>): void => {
      for (const [k, v] of Object.entries(stepInfo ?? {})) {
        if (!infoNames.includes(k)) infoNames.push(k);
        info[k] = (info[k] ?? 0) + v;
      }
    };
    const onEpisodeEnd = (): void => {
      perEpisode.push(info);
      info = {};
    };
    let outcomes: ReturnType<typeof evaluateCases>;
    try {
      outcomes = evaluateCases(policy, env, cases, { onStep, onEpisodeEnd });
    } finally {
      closeEnv(env);
    }
    const params = env.parameterNames;
    const header = ['episode', ...params, 'return', ...infoNames];
    const rows = outcomes.map((o, i) => [String(i + 1), ...o.parameters.map((p) => p.toFixed(4)), o.return.toFixed(2), ...infoNames.map((k) => (perEpisode[i]![k] ?? 0).toFixed(2))]);
    const means = infoNames.map((k) => `mean ${k} ${mean(perEpisode.map((p) => p[k] ?? 0)).toFixed(2)}`);
    process.stdout.write(formatTable(header, rows) + `\nmean return ${mean(outcomes.map((o) => o.return)).toFixed(2)} over ${outcomes.length} episodes${means.length ? `; ${means.join('; ')}` : ''}\n`);
  });
}
