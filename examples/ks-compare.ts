/**
 * The KS comparison of issue 8: at mu = 0, 0.121, -0.15, ±0.2, ±0.225, ±0.25, with and without sensor
 * noise N(0, 0.25), the return and its state and action costs of
 *   no control; the best proportional feedback a = clip(-k m, -1, 1) (k searched per mu and noise on
 *   0..12 step 0.25, then refined around the optimum by a fifth of that); the sparse law (law.json);
 *   TD3 with an MLP actor with mu; TD3 with an MLP actor without mu;
 * then the issue's target checks, each PASS/FAIL with its numbers, the three runs' learning curves
 * (eval_mean of returns.csv) and their wall time and updates. Every controller sees the same noise
 * streams (seeds fixed per mu); with noise each number is a mean over --seeds episodes (default 10, so
 * that a 10% margin is several standard errors wide), printed with its standard error. Episodes run on
 * worker threads (one per core); the agents are rebuilt in each worker from their files.
 *
 *   npm run build && node dist/examples/ks-compare.js --sparse RUN_OR_LAW --mlp RUN --mlp-no-mu RUN [--out results.md]
 *
 * --sparse-title TEXT names the law's column (default "sparse law").
 *
 * Options for quick checks (the defaults are the issue's protocol): --mus 0.2,-0.25 --episode-steps N
 * --max-gain K --gain-step S --seeds N --workers N.
 */
import { availableParallelism } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SparselawError } from '../src/errors.js';
import { loadLaw } from '../src/export/law.js';
import { writeFileAtomic } from '../src/util/atomic-write.js';
import { checkOutputFile } from '../src/util/output-path.js';
import { searchProportionalGains, type GainSearchSetting } from '../src/envs/ks/proportional.js';
import { readCheckpoint } from '../src/rl/checkpoint.js';
import type { TrainState } from '../src/rl/off-policy.js';
import { evaluateKsAgentsParallel, ksLawPath, ksLawPolicy, type KsAgentSource, type KsAgentTask } from '../src/envs/ks/agent-episodes.js';
import {
  KS_COMPARE_MUS,
  KS_COMPARE_NOISES,
  ksComparisonMarkdown,
  ksTargetChecks,
  lawTermCount,
  readRunProgress,
  type KsCompareRow,
  meanKsCosts,
  type RunProgress,
} from '../src/envs/ks/compare.js';
import { numberOption, runExample } from './shared/cli.js';

const USAGE = 'usage: node dist/examples/ks-compare.js --sparse RUN_OR_LAW --mlp RUN --mlp-no-mu RUN [--out results.md]';

/**
 * A training run of an MLP actor on ks, with or without mu among its inputs, checked from its
 * checkpoint's header before any episode runs (the actor itself is rebuilt in the workers).
 */
function checkMlpRun(option: string, dir: string, withMu: boolean): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SparselawError(`--${option}: ${dir} is not a run directory`);
  const path = join(dir, 'checkpoint.bin');
  if (!existsSync(path)) throw new SparselawError(`--${option}: ${dir} has no checkpoint.bin (not a training run, or not saved yet)`);
  const c = readCheckpoint<TrainState>(path).state.config;
  if (!c || typeof c !== 'object') throw new SparselawError(`--${option}: ${path} has no training configuration`);
  if (c.env !== 'ks') throw new SparselawError(`--${option}: ${dir} was trained on "${c.env}", not ks`);
  if (c.policy !== 'mlp') throw new SparselawError(`--${option}: ${dir} has a "${c.policy}" actor, not an MLP`);
  if (c.observeParameters !== withMu) {
    throw new SparselawError(`--${option}: ${dir} was trained ${c.observeParameters ? 'with' : 'without'} mu among its inputs${withMu ? ' (use it with --mlp-no-mu)' : ' (use it with --mlp)'}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sparse: { type: 'string' },
      mlp: { type: 'string' },
      'mlp-no-mu': { type: 'string' },
      out: { type: 'string' },
      seeds: { type: 'string' },
      workers: { type: 'string' },
      mus: { type: 'string' },
      'episode-steps': { type: 'string' },
      'max-gain': { type: 'string' },
      'gain-step': { type: 'string' },
      'sparse-title': { type: 'string' },
    },
  });
  for (const o of ['sparse', 'mlp', 'mlp-no-mu'] as const) if (values[o] === undefined) throw new SparselawError(`--${o} is required; ${USAGE}`);
  const seedsPerMu = numberOption('seeds', values.seeds, 10, (v) => Number.isInteger(v) && v >= 1 && v <= 100, 'an integer in 1..100');
  const workers = numberOption('workers', values.workers, availableParallelism(), (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
  const episodeSteps = values['episode-steps'] === undefined ? undefined : numberOption('episode-steps', values['episode-steps'], 999, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
  const maxGain = numberOption('max-gain', values['max-gain'], 12, (v) => v >= 0, 'a number >= 0');
  const gainStep = numberOption('gain-step', values['gain-step'], 0.25, (v) => v > 0, 'a number > 0');
  const mus =
    values.mus === undefined
      ? [...KS_COMPARE_MUS]
      : values.mus.split(',').map((s) => numberOption('mus', s, 0, (v) => Math.abs(v) <= 1, 'a comma-separated list of numbers in [-1, 1]'));
  const sparseTitle = values['sparse-title'];
  if (sparseTitle !== undefined && (sparseTitle.trim() === '' || /[|\n]/.test(sparseTitle))) throw new SparselawError(`--sparse-title: expected a non-empty column title without "|" or line breaks, got ${JSON.stringify(sparseTitle)}`);
  if (values.out !== undefined) await checkOutputFile(values.out, 'the comparison (markdown)');

  // Check every input before the first episode: a bad file should cost nothing.
  const sparseArg = values.sparse!;
  const lawPath = ksLawPath(sparseArg);
  if (!existsSync(lawPath)) throw new SparselawError(`--sparse: ${lawPath} does not exist`);
  const law = loadLaw(lawPath);
  ksLawPolicy(law, lawPath);
  const terms = lawTermCount(law);
  checkMlpRun('mlp', values.mlp!, true);
  checkMlpRun('mlp-no-mu', values['mlp-no-mu']!, false);
  const sparseRunDir = existsSync(sparseArg) && statSync(sparseArg).isDirectory() ? sparseArg : join(lawPath, '..');
  const runs: { title: string; progress: RunProgress }[] = [];
  if (existsSync(join(sparseRunDir, 'returns.csv'))) runs.push({ title: 'sparse law', progress: readRunProgress(sparseRunDir) });
  runs.push({ title: 'MLP with mu', progress: readRunProgress(values.mlp!) });
  runs.push({ title: 'MLP without mu', progress: readRunProgress(values['mlp-no-mu']!) });

  // The same noise seeds per mu for every controller and every gain.
  const seedsFor = (mu: number, noise: number): number[] => {
    const base = 1000 + 100 * mus.indexOf(mu);
    return noise === 0 ? [base] : Array.from({ length: seedsPerMu }, (_, r) => base + r);
  };
  const settings: GainSearchSetting[] = KS_COMPARE_NOISES.flatMap((sensorNoise) => mus.map((mu) => ({ mu, sensorNoise, seeds: seedsFor(mu, sensorNoise) })));

  const t0 = performance.now();
  const search = await searchProportionalGains(settings, { maxGain, step: gainStep, episodeSteps, workers });
  const t1 = performance.now();
  const agents: Record<'sparse' | 'mlp' | 'mlpNoMu', KsAgentSource> = {
    sparse: { kind: 'law', path: lawPath },
    mlp: { kind: 'trained', runDir: values.mlp! },
    mlpNoMu: { kind: 'trained', runDir: values['mlp-no-mu']! },
  };
  const tasks: (KsAgentTask & { id: keyof typeof agents; setting: number })[] = [];
  settings.forEach((s, setting) => {
    for (const id of Object.keys(agents) as (keyof typeof agents)[]) {
      for (const seed of s.seeds) tasks.push({ id, setting, agent: agents[id], mu: s.mu, sensorNoise: s.sensorNoise, seed, ...(episodeSteps !== undefined ? { episodeSteps } : {}) });
    }
  });
  const results = await evaluateKsAgentsParallel(tasks, workers);
  const t2 = performance.now();

  const rows: KsCompareRow[] = settings.map((s, i) => {
    const g = search[i]!;
    const agentCosts = (id: keyof typeof agents) => meanKsCosts(results.filter((_, j) => tasks[j]!.setting === i && tasks[j]!.id === id));
    return {
      mu: s.mu,
      sensorNoise: s.sensorNoise,
      episodes: s.seeds.length,
      gain: g.best.gain,
      gainAtGridEdge: g.atGridEdge,
      costs: { none: meanKsCosts(g.uncontrolled.episodes), proportional: meanKsCosts(g.best.episodes), sparse: agentCosts('sparse'), mlp: agentCosts('mlp'), mlpNoMu: agentCosts('mlpNoMu') },
    };
  });
  const checks = ksTargetChecks(rows, terms);
  const searchEpisodes = search.reduce((a, g) => a + g.episodes, 0);
  const metricTerms = law.metrics?.terms;
  const notes = [
    `sparse law: \`${lawPath}\` (${terms} terms in its terms tables${typeof metricTerms === 'number' && metricTerms !== terms ? `; its metrics say ${metricTerms}` : ''}); MLP with mu: \`${values.mlp}\`; MLP without mu: \`${values['mlp-no-mu']}\` (actors rebuilt from checkpoint.bin).`,
    `${episodeSteps ?? 999} control steps per episode. Sensor noise seeds 1000 + 100 i + r for the i-th mu (r = 0..${seedsPerMu - 1} with noise, r = 0 without): the same noise streams for every controller and every gain.`,
    `Proportional gain searched per (mu, noise) on k = 0, ${gainStep}, ..., ${maxGain}, then refined by a fifth of the spacing around the best coarse k, judged by the mean return over the seeds; no control is k = 0 on the same seeds. The best k is chosen on the very episodes it is reported on, which favours the proportional baseline (the return is a rugged function of k). ${searchEpisodes} episodes, ${((t1 - t0) / 1000).toFixed(1)} s wall.`,
    `Agents: ${tasks.length} episodes, ${((t2 - t1) / 1000).toFixed(1)} s wall; ${Math.min(workers, tasks.length)} worker threads.`,
    `Reproduce: \`node dist/examples/ks-compare.js --sparse ${sparseArg} --mlp ${values.mlp} --mlp-no-mu ${values['mlp-no-mu']}${values.mus !== undefined ? ` --mus ${values.mus}` : ''}${episodeSteps !== undefined ? ` --episode-steps ${episodeSteps}` : ''}${values.seeds !== undefined ? ` --seeds ${seedsPerMu}` : ''}${values['max-gain'] !== undefined ? ` --max-gain ${maxGain}` : ''}${values['gain-step'] !== undefined ? ` --gain-step ${gainStep}` : ''}${sparseTitle !== undefined ? ` --sparse-title '${sparseTitle}'` : ''}\`.`,
  ];
  const markdown = ksComparisonMarkdown({ rows, checks, terms, runs, notes, ...(sparseTitle !== undefined ? { titles: { sparse: sparseTitle } } : {}) });
  process.stdout.write(markdown);
  if (values.out !== undefined) writeFileAtomic(values.out, markdown);
}

await runExample('ks-compare', USAGE, main);
