import type { Command } from 'commander';
import { closeEnv } from '../envs/env-state.js';
import { initBackend, describeBackend } from '../backend.js';
import { defaultTrainConfig, plannedUpdates, agentSpec, type TrainConfig } from '../rl/train-config.js';
import { train } from '../rl/train.js';
import type { TrainResult } from '../rl/train-types.js';
import { loadLaw, lawToJson } from '../law/io.js';
import { lawStartWeights } from '../rl/law-start.js';
import { ENVIRONMENTS } from '../envs/index.js';
import { exportLaw } from '../export/law.js';
import { progress } from '../util/progress.js';
import { parseCount, parseNonNegativeInt, parseNonNegativeNumber, parsePositiveNumber } from './options.js';
import { CliUsageError } from './expr.js';
import { interruptRequest } from './interrupt.js';
import { parseLibrarySpec } from '../library/index.js';
import { addEnvironmentOptions, prepareEnvironment, resolveAgentEnvironment, type AgentEnvironmentOptions } from './env-args.js';
import type { EnvEntry } from '../envs/index.js';
import { checkOutputDir } from '../util/output-path.js';
import { checkRunDir } from '../util/run-dir-guard.js';
import { addSearchOptions, runSearchCommand, type SearchCliOptions } from './train-search.js';

export interface TrainCliOptions extends AgentEnvironmentOptions {
  policy?: string;
  lambda?: number;
  episodes?: number;
  seed: number;
  criticWidth?: number;
  actorLr?: number;
  linearGain?: number;
  criticWarmup?: number;
  targetNoise?: number;
  explorationNoise?: number;
  nStep?: number;
  warmupEpisodes?: number;
  updateAfter?: number;
  updatesPerEpisode?: number;
  evalEvery?: number;
  selectOn?: string;
  lambdaRamp?: number;
  penalty?: string;
  pruneBelow?: number;
  out: string;
  resume?: boolean;
  overwrite?: boolean;
  preset?: string;
  startLaw?: string;
}

function parseLambda(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v < 0) throw new CliUsageError(`--lambda: expected a number >= 0, got "${value}"`);
  return v;
}

/** "ENV1 4.5, ENV2 1": a training default per environment, read from the registry so help cannot drift from it. */
function perEnvironment(pick: (c: TrainConfig) => number | string | undefined): string {
  return ENVIRONMENTS.map((e) => `${e.id} ${pick(defaultTrainConfig({ env: e.id })) ?? 'none'}`).join(', ');
}

/** Every environment's presets, for --help. */
function presetsHelp(): string {
  const lines = ENVIRONMENTS.flatMap((e) => Object.entries(e.presets ?? {}).map(([name, p]) => `${e.id}: ${name} = ${p.description}`));
  return lines.length > 0 ? ` (${lines.join('; ')})` : '';
}

/** Lambda without --lambda: the preset's or environment's, or its own for a library that adds libraries with '+'. */
function defaultLambda(entry: EnvEntry, preset: string | undefined, policy: string, base: number): number {
  if (!policy.includes('+')) return base;
  const own = (preset !== undefined ? entry.presets?.[preset]?.combinedLibraryLambda : undefined) ?? entry.trainDefaults?.combinedLibraryLambda;
  return own ?? base;
}

export function register(program: Command): void {
  const command = program
    .command('train')
    .description('learn a control policy with TD3: an MLP, or a sparse closed-form law over a feature library')
    .argument('<environment>', 'environment (see the list below)')
    .option('--policy <kind>', 'mlp, or a library for the sparse law: poly:3, fourier:1, poly:3+fourier:1, custom{...} (default: the environment\'s)')
    .option('--lambda <value>', 'L0 strength of the sparse law (default: the environment\'s, which may differ for libraries with "+")', parseLambda)
    .option('--episodes <n>', 'training episodes (default: the environment\'s)', parseCount)
    .option('--seed <s>', 'seed of everything random', parseNonNegativeInt, 0)
    .option('--preset <name>', `a named set of defaults of the environment${presetsHelp()}`)
    .option('--critic-width <n>', 'hidden width of the critics (two layers)', parseCount)
    .option('--actor-lr <rate>', "Adam step of the actor: the MLP's weights, or the sparse law's coefficients (default: the environment's)", parsePositiveNumber)
    .option('--linear-gain <g>', `the sparse law's degree-1 terms enter multiplied by g, so their coefficients move g times faster per Adam step than the other terms' (default: the environment's; ${perEnvironment((c) => c.td3.sparseLinearGain)})`, parsePositiveNumber)
    .option('--critic-warmup <n>', `TD3 updates that train only the critics before the actor takes its first step (default: the environment's; ${perEnvironment((c) => c.td3.criticWarmupUpdates)})`, parseNonNegativeInt)
    .option('--target-noise <s>', "std of TD3's target policy smoothing, as a fraction of the action's half-range (default 0.2 as in TD3; 0 turns it off)", parseNonNegativeNumber)
    .option('--exploration-noise <s>', "std of the Gaussian exploration noise, as a fraction of the action's half-range (default 0.1)", parseNonNegativeNumber)
    .option('--n-step <n>', 'the critics learn from n-step returns (default 1: one-step TD targets)', parseCount)
    .option('--warmup-episodes <n>', 'episodes of uniformly random actions before the actor acts', parseNonNegativeInt)
    .option('--update-after <n>', `TD3 updates start once this many episodes are done (default: ${perEnvironment((c) => c.updateAfterEpisodes)})`, parseNonNegativeInt)
    .option('--updates-per-episode <n>', `TD3 updates after each episode (default: ${perEnvironment((c) => c.updatesPerEpisode)})`, parseCount)
    .option('--eval-every <n>', 'evaluate the deterministic policy every n episodes', parseCount)
    .option(
      '--select-on <protocol>',
      `keep the policy with the best mean return on this evaluation protocol of the environment (its own episodes), tried at every evaluation once the policy acts and has its final form (a sparse law once its gates are hard, and with es its pruning window over); "last" keeps the last policy (TD3's default: ${ENVIRONMENTS.map((e) => `${e.id} ${defaultTrainConfig({ env: e.id }).selectOn ?? 'last'}`).join(', ')})`,
    )
    .option('--start-law <file>', "start the sparse law from this law document (tanh of a sum of terms of --policy's library): its terms stay, TD3 tunes their coefficients, and with selection the start law is the first candidate")
    .option('--resume', 'continue from OUT/checkpoint.bin (same options)')
    .option('--overwrite', 'replace the run already in OUT (its law, checkpoint, returns, summary and report are removed)')
    .requiredOption('--out <dir>', 'run directory (law.json, checkpoint.bin, returns.csv, summary.json)');
  addEnvironmentOptions(addSearchOptions(command))
    .option('--no-params', "the agent does not see the environment's parameters (a baseline that acts without knowing them)")
    .option('--no-mu', 'the same as --no-params')
    .action(async (environment: string, options: TrainCliOptions & Omit<SearchCliOptions, keyof TrainCliOptions> & { algo: string }, command: Command) => {
      if (options.algo === 'es') return runSearch(await prepareEnvironment(environment), options);
      if (options.algo !== 'td3') throw new CliUsageError(`--algo: expected td3 or es, got "${options.algo}"`);
      const searchOnly = SEARCH_ONLY_OPTIONS.filter((k) => command.getOptionValueSource(k) === 'cli').map((k) => `--${k === 'normalize' ? 'no-normalize' : kebab(k)}`);
      if (searchOnly.length > 0) throw new CliUsageError(`TD3 does not use ${searchOnly.join(', ')} (options of --algo es)`);
      // Everything is checked before any work starts.
      const config = trainConfigFromOptions(await prepareEnvironment(environment), options);
      checkRunDir(options.out, { resume: options.resume, overwrite: options.overwrite });
      await checkOutputDir(options.out, 'the run directory');
      await runTraining(config, options);
    });
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Options that only the search reads (TD3 refuses them). */
const SEARCH_ONLY_OPTIONS = ['iterations', 'directions', 'top', 'sigma', 'step', 'gateScale', 'rollouts', 'horizon', 'hardenAt', 'maxTerms', 'pruneOver', 'shaping', 'normalize', 'center', 'rewardShift', 'workers', 'queue', 'queueName'] as const;

/** `--algo es`: the derivative-free search, refusing the options only TD3 reads. */
async function runSearch(environment: string, options: TrainCliOptions & Omit<SearchCliOptions, keyof TrainCliOptions>): Promise<void> {
  const td3Only = (['episodes', 'criticWidth', 'actorLr', 'linearGain', 'criticWarmup', 'targetNoise', 'explorationNoise', 'nStep', 'warmupEpisodes', 'updateAfter', 'updatesPerEpisode', 'preset', 'startLaw'] as const)
    .filter((k) => options[k] !== undefined)
    .map((k) => `--${kebab(k)}`);
  checkRunDir(options.out, { resume: options.resume, overwrite: options.overwrite });
  await runSearchCommand(environment, options, td3Only);
}

/** The training configuration the options ask for, checked completely (no work has started). */
export function trainConfigFromOptions(environment: string, options: TrainCliOptions): TrainConfig {
  const { env, probe, observeParameters } = resolveAgentEnvironment(environment, options);
  checkPresetAndSelection(env.entry, options);
  const preset = options.preset;
  const base = defaultTrainConfig({ env: env.entry.id, ...(options.episodes !== undefined ? { episodes: options.episodes } : {}) }, preset);
  const policy = options.policy?.trim().toLowerCase() === 'mlp' ? 'mlp' : (options.policy ?? base.policy);
  if (policy !== 'mlp') {
    try {
      parseLibrarySpec(policy, [...probe.observationNames, ...probe.parameterNames]);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      throw new CliUsageError(`--policy: expected mlp (a dense network) or a library for a sparse law; ${err.message}`);
    }
  }
  const config = defaultTrainConfig({
    env: env.entry.id,
    envOptions: env.options,
    ...(env.parameters ? { parameters: env.parameters } : {}),
    observeParameters,
    policy,
    lambda: options.lambda ?? defaultLambda(env.entry, preset, policy, base.lambda),
    seed: options.seed,
    ...(options.episodes !== undefined ? { episodes: options.episodes } : {}),
    ...(options.warmupEpisodes !== undefined ? { warmupEpisodes: options.warmupEpisodes } : {}),
    ...(options.updateAfter !== undefined ? { updateAfterEpisodes: options.updateAfter } : {}),
    ...(options.updatesPerEpisode !== undefined ? { updatesPerEpisode: options.updatesPerEpisode } : {}),
    ...(options.evalEvery !== undefined ? { evalEvery: options.evalEvery } : {}),
    ...(options.explorationNoise !== undefined ? { explorationNoise: options.explorationNoise } : {}),
    ...(options.nStep !== undefined ? { nStep: options.nStep } : {}),
  }, preset);
  const penalty = options.penalty ?? 'l0';
  if (penalty !== 'l0' && penalty !== 'l1') throw new CliUsageError(`--penalty: expected l0 or l1, got "${penalty}"`);
  if (penalty === 'l1' && policy === 'mlp') throw new CliUsageError('--penalty l1 applies to a sparse law, not to --policy mlp');
  config.penalty = penalty;
  if (options.pruneBelow !== undefined) {
    if (penalty !== 'l1') throw new CliUsageError('--prune-below applies with --penalty l1');
    config.pruneBelow = options.pruneBelow;
  }
  if (options.lambdaRamp !== undefined) {
    if (options.lambdaRamp > 1) throw new CliUsageError(`--lambda-ramp: a fraction of the updates in [0, 1], got ${options.lambdaRamp}`);
    config.lambdaRamp = options.lambdaRamp;
  }
  if (options.selectOn === 'last') delete config.selectOn;
  else if (options.selectOn !== undefined) config.selectOn = options.selectOn;
  applyTd3Options(config, options);
  if (options.startLaw !== undefined) {
    if (policy === 'mlp') throw new CliUsageError('--start-law applies to a sparse law, not to --policy mlp');
    const law = loadLaw(options.startLaw);
    const made = env.make();
    const spec = agentSpec(env.entry, made, config);
    closeEnv(made);
    lawStartWeights(law, parseLibrarySpec(policy, spec.inputNames), spec, options.startLaw);
    config.startLaw = { source: options.startLaw, law: lawToJson(law) };
  }
  if (plannedUpdates(config) === 0) {
    throw new CliUsageError(
      `with --episodes ${config.episodes}, TD3 updates (which start after episode ${config.updateAfterEpisodes}) would never run and the policy would stay untrained: ` +
        `train for more than ${config.updateAfterEpisodes} episodes or lower --update-after`,
    );
  }
  return config;
}

function checkPresetAndSelection(entry: EnvEntry, options: TrainCliOptions): void {
  const preset = options.preset;
  if (preset !== undefined && !entry.presets?.[preset]) {
    const known = Object.keys(entry.presets ?? {});
    throw new CliUsageError(`--preset: ${entry.id} has no preset "${preset}"${known.length > 0 ? ` (known: ${known.join(', ')})` : ' (it has none)'}`);
  }
  if (options.selectOn !== undefined && options.selectOn !== 'last' && !entry.evaluation[options.selectOn]) {
    throw new CliUsageError(`--select-on: ${entry.id} has no evaluation protocol "${options.selectOn}" (it has: ${[...Object.keys(entry.evaluation), 'last'].join(', ')})`);
  }
}

/** The TD3 settings the options override. */
function applyTd3Options(config: TrainConfig, options: TrainCliOptions): void {
  const mlp = config.policy === 'mlp';
  if (options.criticWidth !== undefined) config.td3.criticHidden = [options.criticWidth, options.criticWidth];
  if (options.actorLr !== undefined) {
    if (mlp) config.td3.actorLr = options.actorLr;
    else config.td3.sparseActorLr = options.actorLr;
  }
  if (options.linearGain !== undefined) {
    if (mlp) throw new CliUsageError('--linear-gain applies to a sparse law, not to --policy mlp');
    config.td3.sparseLinearGain = options.linearGain;
  }
  if (options.criticWarmup !== undefined) config.td3.criticWarmupUpdates = options.criticWarmup;
  if (options.targetNoise !== undefined) config.td3.policyNoise = options.targetNoise;
}

/** Trains with a progress bar; the first SIGINT or SIGTERM stops after the episode with a checkpoint, a second one at once. */
async function runTraining(config: TrainConfig, options: TrainCliOptions): Promise<void> {
  await initBackend();
  process.stderr.write(`${describeBackend()}\n`);
  const interrupt = interruptRequest('episode');
  const bar = progress('episodes', config.episodes);
  try {
    const result = await train(config, {
      outDir: options.out,
      resume: options.resume,
      shouldStop: () => interrupt.requested,
      onEpisode: (r, _total, ups) =>
        bar.update(r.episode, {
          return: r.return,
          ...(r.evalMean !== undefined ? { eval: r.evalMean } : {}),
          ...(r.selectionMean !== undefined ? { [`sel:${config.selectOn}`]: r.selectionMean } : {}),
          ...(r.terms !== undefined ? { terms: r.terms } : {}),
          ...(r.updates > 0 ? { 'updates/s': ups } : {}),
        }),
    });
    bar.stop();
    if (!result.completed) {
      process.stdout.write(`stopped after episode ${result.history.at(-1)?.episode}; checkpoint in ${options.out}; resume with the same command and --resume\n`);
      process.exitCode = 130;
      return;
    }
    process.stdout.write(resultLines(result, options.out).join('\n') + '\n');
  } finally {
    interrupt.dispose();
  }
}

function resultLines(result: TrainResult, out: string): string[] {
  const lines = [
    `evaluation return over ${result.finalEval!.returns.length} episodes: mean ${result.finalEval!.mean.toFixed(1)} (${result.finalEval!.returns.map((r) => r.toFixed(0)).join(', ')})`,
    `wall time ${result.seconds.toFixed(1)} s, ${result.envStepsPerSecond.toFixed(0)} env steps/s, ${result.updatesPerSecond.toFixed(1)} TD3 updates/s`,
  ];
  if (result.selection) {
    const s = result.selection;
    const last = `${s.last.mean.toFixed(1)}${s.last.terms !== undefined ? `, ${s.last.terms} terms` : ''}`;
    lines.unshift(`kept the actor of episode ${s.episode} (mean ${s.mean.toFixed(1)} on "${s.protocol}"); the last actor's evaluation: ${last}`);
  }
  if (result.law) lines.unshift(exportLaw(result.law, 'text', { digits: 4 }).trimEnd(), `terms: ${result.terms}`);
  lines.push(`wrote ${out}`);
  return lines;
}
