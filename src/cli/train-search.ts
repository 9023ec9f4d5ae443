import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { parseLibrarySpec } from '../library/index.js';
import { exportLaw } from '../export/law.js';
import { progress } from '../util/progress.js';
import { checkOutputDir } from '../util/output-path.js';
import { trainSearch } from '../rl/search/es.js';
import { SEARCH_DEFAULTS, checkSearchConfig, defaultSearchConfig, searchDefaultsFor, type SearchConfig } from '../rl/search/config.js';
import { parseCount, parseFiniteNumber, parseNonNegativeInt, parseNonNegativeNumber, parsePositiveNumber } from './options.js';
import { CliUsageError } from './expr.js';
import { interruptRequest } from './interrupt.js';
import { resolveAgentEnvironment, type AgentEnvironmentOptions } from './env-args.js';
import { DEFAULT_QUEUE_NAME } from '../sweep/spec.js';
import { parseQueueUrl } from '../sweep/queue-url.js';

/** Options only the search reads; `train` declares them so that `--algo es` can use them. */
export function addSearchOptions(command: Command): Command {
  return command
    .option('--algo <name>', 'td3 (default): off-policy actor-critic; es: derivative-free antithetic search over the sparse law, whose L0 gates choose the terms', 'td3')
    .option('--iterations <n>', `es: search iterations (default: the environment's)`, parseCount)
    .option('--directions <n>', `es: random directions per iteration, each tried with both signs (default ${SEARCH_DEFAULTS.directions})`, parseCount)
    .option('--top <n>', `es: the update uses the best n directions (default ${SEARCH_DEFAULTS.top})`, parseCount)
    .option('--sigma <s>', `es: perturbation of the coefficients of the normalised terms (default ${SEARCH_DEFAULTS.sigma})`, parsePositiveNumber)
    .option('--step <s>', "es: Adam step of the coefficients (default: the environment's)", parsePositiveNumber)
    .option('--gate-scale <g>', `es: the gates' logAlpha are perturbed and stepped g times as far as the coefficients (default ${SEARCH_DEFAULTS.gateScale})`, parsePositiveNumber)
    .option('--rollouts <n>', "es: episodes per candidate and iteration, on resets shared by all candidates (default: the environment's)", parseCount)
    .option('--horizon <n>', 'es: training episodes stop after n steps (evaluations run in full)', parseCount)
    .option('--harden-at <n>', 'es: after this iteration the gates are fixed at 0 or 1 and the survivors are tuned; 0 searches the dense law without gates (default: 70% of the iterations)', parseNonNegativeInt)
    .option('--max-terms <n>', 'es: at hardening keep at most n terms, the largest coefficients on the normalised terms first', parseCount)
    .option('--lambda-ramp <f>', "lambda grows linearly from 0 over this fraction of the run (TD3: of its updates, default 0.25; es: of its iterations, default 0)", parseNonNegativeNumber)
    .option('--prune-over <n>', "es: hardening keeps every open gate, and over the next n iterations the law shrinks linearly to --max-terms, smallest coefficients first; 0 cuts at once (default: the environment's)", parseNonNegativeInt)
    .option('--shaping <kind>', 'es: rank (centred ranks of the returns) or none (the returns; lambda is then in return units)', 'none')
    .option('--no-normalize', 'es: do not divide each term by its running RMS over the visited states')
    .option('--center', "es: also subtract each term's running mean and divide by its standard deviation (ARS V2); the means fold into the constant term (default: the environment's)")
    .option('--penalty <kind>', "the sparse law's penalty: l0 (hard-concrete gates decide the terms) or l1 (no gates: lambda times the sum of the coefficients' absolute values, and the ones below --prune-below are pruned when the gates would harden; default: TD3 l0, es the environment's)")
    .option('--prune-below <t>', "with --penalty l1: the pruning threshold on the coefficients of the scaled terms (default: the coefficients' Adam step)", parseNonNegativeNumber)
    .option('--reward-shift <r>', "es: subtract r from every training step's reward, e.g. a survival bonus that pays for standing still; evaluations score the true reward (default: the environment's)", parseFiniteNumber)
    .option('--queue <url>', 'es: run the episodes on the `sparselaw worker`s of this Redis queue (redis://HOST:PORT) instead of this machine; the result is the same')
    .option('--queue-name <name>', `es: the queue's name (default ${DEFAULT_QUEUE_NAME}, the workers' default)`)
    .option('--workers <n>', `es: rollout worker threads (default: one per core, ${availableParallelism()}); the result does not depend on it`, parseCount);
}

export interface SearchCliOptions extends AgentEnvironmentOptions {
  policy?: string;
  lambda?: number;
  seed: number;
  evalEvery?: number;
  out: string;
  resume?: boolean;
  iterations?: number;
  directions?: number;
  top?: number;
  sigma?: number;
  step?: number;
  gateScale?: number;
  rollouts?: number;
  horizon?: number;
  hardenAt?: number;
  maxTerms?: number;
  pruneOver?: number;
  lambdaRamp?: number;
  selectOn?: string;
  shaping: string;
  normalize: boolean;
  center?: boolean;
  penalty?: string;
  pruneBelow?: number;
  rewardShift?: number;
  workers?: number;
  queue?: string;
  queueName?: string;
}

/** The search configuration the options ask for, checked completely (no work has started). */
export function searchConfigFromOptions(environment: string, options: SearchCliOptions): SearchConfig {
  if (options.shaping !== 'rank' && options.shaping !== 'none') throw new CliUsageError(`--shaping: expected rank or none, got "${options.shaping}"`);
  if (options.penalty !== undefined && options.penalty !== 'l0' && options.penalty !== 'l1') throw new CliUsageError(`--penalty: expected l0 or l1, got "${options.penalty}"`);
  const { env, probe, observeParameters } = resolveAgentEnvironment(environment, options);
  const policy = options.policy ?? searchDefaultsFor(env.entry).policy;
  if (policy === 'mlp') throw new CliUsageError('--algo es searches a sparse law: give a library with --policy (poly:2, fourier:1, ...)');
  const library = parseLibrarySpec(policy, [...probe.observationNames, ...(observeParameters ? probe.parameterNames : [])]);
  const config = defaultSearchConfig(env.entry, {
    envOptions: env.options,
    ...(env.parameters ? { parameters: env.parameters } : {}),
    observeParameters,
    policy,
    lambda: options.lambda,
    iterations: options.iterations,
    directions: options.directions,
    top: options.top,
    sigma: options.sigma,
    gateScale: options.gateScale,
    step: options.step,
    rollouts: options.rollouts,
    horizon: options.horizon,
    hardenAfter: options.hardenAt,
    maxTerms: options.maxTerms,
    pruneOver: options.pruneOver,
    lambdaRamp: options.lambdaRamp,
    normalize: options.normalize,
    center: options.center,
    penalty: options.penalty as SearchConfig['penalty'],
    pruneBelow: options.pruneBelow,
    rewardShift: options.rewardShift,
    shaping: options.shaping,
    evalEvery: options.evalEvery,
    selectOn: options.selectOn,
    seed: options.seed,
  });
  if (config.selectOn === 'last') delete config.selectOn;
  if (options.pruneBelow !== undefined && config.penalty !== 'l1') throw new CliUsageError('--prune-below applies with --penalty l1');
  try {
    checkSearchConfig(config);
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  // Checked here as well as by the trainer, so that nothing is created for a run that cannot start.
  if (config.center && !library.terms.some((t) => t.type === 'num' && t.value === 1)) throw new CliUsageError(`--center needs a constant term in the library to fold the means into; ${policy} has none (poly:D has one)`);
  return config;
}

/** `sparselaw train ENV --algo es`: checks everything, then runs the search with progress lines and Ctrl-C saving. */
export async function runSearchCommand(environment: string, options: SearchCliOptions, td3Only: string[]): Promise<void> {
  if (td3Only.length > 0) throw new CliUsageError(`--algo es does not use ${td3Only.join(', ')} (TD3 options)`);
  const config = searchConfigFromOptions(environment, options);
  if (options.queueName !== undefined && options.queue === undefined) throw new CliUsageError('--queue-name applies with --queue');
  if (options.queue !== undefined) parseQueueUrl(options.queue);
  await checkOutputDir(options.out, 'the run directory');
  const interrupt = interruptRequest('iteration');
  const bar = progress('iterations', config.iterations);
  let last = { envSteps: 0, seconds: 0 };
  try {
    const result = await trainSearch(config, {
      outDir: options.out,
      resume: options.resume,
      workers: options.workers ?? availableParallelism(),
      ...(options.queue !== undefined ? { queue: { url: options.queue, name: options.queueName ?? DEFAULT_QUEUE_NAME } } : {}),
      command: ['sparselaw', ...process.argv.slice(2)].join(' '),
      shouldStop: () => interrupt.requested,
      onEpisode: (r) => {
        const steps = (r.envSteps ?? 0) - last.envSteps;
        const sps = steps / Math.max(1e-9, r.seconds - last.seconds);
        last = { envSteps: r.envSteps ?? 0, seconds: r.seconds };
        bar.update(r.episode, {
          return: r.return,
          ...(r.evalMean !== undefined ? { eval: r.evalMean } : {}),
          ...(r.selectionMean !== undefined ? { [`sel:${config.selectOn}`]: r.selectionMean } : {}),
          terms: r.terms ?? 0,
          'steps/s': Math.round(sps),
        });
      },
    });
    bar.stop();
    if (!result.completed) {
      process.stdout.write(`stopped after iteration ${result.history.at(-1)?.episode}; checkpoint in ${options.out}; resume with the same command and --resume\n`);
      process.exitCode = 130;
      return;
    }
    const s = result.selection;
    const lines = [
      exportLaw(result.law!, 'text', { digits: 4 }).trimEnd(),
      `terms: ${result.terms}`,
      ...(s ? [`kept the law of iteration ${s.episode} (mean ${s.mean.toFixed(1)} on "${s.protocol}"); the last law's evaluation: ${s.last.mean.toFixed(1)}, ${s.last.terms} terms`] : []),
      `evaluation return over ${result.finalEval!.returns.length} episodes: mean ${result.finalEval!.mean.toFixed(1)} (${result.finalEval!.returns.map((r) => r.toFixed(0)).join(', ')})`,
      `wall time ${result.seconds.toFixed(1)} s, ${result.envSteps} training env steps (${(result.envSteps / Math.max(1e-9, result.seconds)).toFixed(0)}/s)`,
      `wrote ${options.out}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    interrupt.dispose();
  }
}
