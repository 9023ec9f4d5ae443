import { availableParallelism } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SparselawError } from '../../errors.js';
import { loadLaw } from '../../law/io.js';
import type { LawDocument } from '../../law/document.js';
import { readCheckpoint } from '../../rl/checkpoint.js';
import { searchProportionalGains, type GainSearchResult, type GainSearchSetting } from './proportional.js';
import { evaluateKsAgentsParallel, ksLawPath, ksLawPolicy, type KsAgentResult, type KsAgentSource, type KsAgentTask } from './agent-episodes.js';
import { KS_COMPARE_MUS, KS_COMPARE_NOISES, ksComparisonMarkdown, lawTermCount, meanKsCosts, readRunProgress, type KsCompareRow, type RunProgress } from './compare.js';

/** What `sparselaw compare ks` compares, and how many episodes it spends. */
export interface KsCompareOptions {
  /** The law: a law document, or a training run directory holding law.json (its learning curve is shown). */
  law: string;
  /** A TD3 run of an MLP actor that sees mu, and one that does not (each optional). */
  mlp?: string;
  mlpNoMu?: string;
  /** Column title of the law (default "sparse law"). */
  lawTitle?: string;
  /** Default: 0, 0.121, -0.15, ±0.2, ±0.225, ±0.25. */
  mus?: readonly number[];
  /** Episodes per mu with sensor noise (default 10); without noise one. */
  seeds?: number;
  /** Control steps per episode (default 999). */
  episodeSteps?: number;
  /** Coarse grid of the proportional gain: 0, gainStep, ..., maxGain (defaults 0.25 and 12). */
  maxGain?: number;
  gainStep?: number;
  /** Worker threads (default one per core). */
  workers?: number;
  /** The command line that reproduces the comparison, named in its notes. */
  command?: string;
}

export interface KsCompareResult {
  rows: KsCompareRow[];
  markdown: string;
}

type AgentId = 'sparse' | 'mlp' | 'mlpNoMu';

/**
 * A training run of an MLP actor on ks, with or without mu among its inputs, checked from its
 * checkpoint's header before any episode runs (the actor itself is rebuilt in the workers).
 */
function checkMlpRun(option: string, dir: string, withMu: boolean): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SparselawError(`--${option}: ${dir} is not a run directory`);
  const path = join(dir, 'checkpoint.bin');
  if (!existsSync(path)) throw new SparselawError(`--${option}: ${dir} has no checkpoint.bin (not a training run, or not saved yet)`);
  const c = readCheckpoint<{ config?: { env?: string; policy?: string; observeParameters?: boolean } }>(path).state.config;
  if (!c || typeof c !== 'object') throw new SparselawError(`--${option}: ${path} has no training configuration`);
  if (c.env !== 'ks') throw new SparselawError(`--${option}: ${dir} was trained on "${c.env}", not ks`);
  if (c.policy !== 'mlp') throw new SparselawError(`--${option}: ${dir} has a "${c.policy}" actor, not an MLP`);
  if (c.observeParameters !== withMu) {
    throw new SparselawError(`--${option}: ${dir} was trained ${c.observeParameters ? 'with' : 'without'} mu among its inputs${withMu ? ' (use it with --mlp-no-mu)' : ' (use it with --mlp)'}`);
  }
}

function checkOptions(o: KsCompareOptions): void {
  const integer = (v: number | undefined, min: number) => v === undefined || (Number.isInteger(v) && v >= min);
  if (!integer(o.seeds, 1) || (o.seeds ?? 0) > 100) throw new SparselawError(`--seeds: expected an integer in 1..100, got "${o.seeds}"`);
  if (!integer(o.workers, 1)) throw new SparselawError(`--workers: expected a positive integer, got "${o.workers}"`);
  if (!integer(o.episodeSteps, 1)) throw new SparselawError(`--episode-steps: expected a positive integer, got "${o.episodeSteps}"`);
  if (o.maxGain !== undefined && !(o.maxGain >= 0)) throw new SparselawError(`--max-gain: expected a number >= 0, got "${o.maxGain}"`);
  if (o.gainStep !== undefined && !(o.gainStep > 0)) throw new SparselawError(`--gain-step: expected a number > 0, got "${o.gainStep}"`);
  if (o.mus !== undefined && !(o.mus.length > 0 && o.mus.every((v) => Math.abs(v) <= 1))) throw new SparselawError(`--mus: expected a comma-separated list of numbers in [-1, 1], got "${o.mus.join(',')}"`);
  const title = o.lawTitle;
  if (title !== undefined && (title.trim() === '' || /[|\n]/.test(title))) throw new SparselawError(`--sparse-title: expected a non-empty column title without "|" or line breaks, got ${JSON.stringify(title)}`);
}

/** Every input checked before the first episode (a bad file should cost nothing): the law, the runs, their curves. */
function prepareInputs(o: KsCompareOptions): { lawPath: string; law: LawDocument; runs: { title: string; progress: RunProgress }[] } {
  const lawPath = ksLawPath(o.law);
  if (!existsSync(lawPath)) throw new SparselawError(`--sparse: ${lawPath} does not exist`);
  const law = loadLaw(lawPath);
  ksLawPolicy(law, lawPath);
  if (o.mlp !== undefined) checkMlpRun('mlp', o.mlp, true);
  if (o.mlpNoMu !== undefined) checkMlpRun('mlp-no-mu', o.mlpNoMu, false);
  const lawRunDir = existsSync(o.law) && statSync(o.law).isDirectory() ? o.law : join(lawPath, '..');
  const runs: { title: string; progress: RunProgress }[] = [];
  if (existsSync(join(lawRunDir, 'returns.csv'))) runs.push({ title: 'sparse law', progress: readRunProgress(lawRunDir) });
  if (o.mlp !== undefined) runs.push({ title: 'MLP with mu', progress: readRunProgress(o.mlp) });
  if (o.mlpNoMu !== undefined) runs.push({ title: 'MLP without mu', progress: readRunProgress(o.mlpNoMu) });
  return { lawPath, law, runs };
}

/** The stored agents' episodes: every agent on every setting and seed, on worker threads. */
async function agentEpisodes(settings: readonly GainSearchSetting[], agents: Partial<Record<AgentId, KsAgentSource>>, episodeSteps: number | undefined, workers: number) {
  const tasks: (KsAgentTask & { id: AgentId; setting: number })[] = [];
  settings.forEach((s, setting) => {
    for (const id of Object.keys(agents) as AgentId[]) {
      for (const seed of s.seeds) tasks.push({ id, setting, agent: agents[id]!, mu: s.mu, sensorNoise: s.sensorNoise, seed, ...(episodeSteps !== undefined ? { episodeSteps } : {}) });
    }
  });
  const results = await evaluateKsAgentsParallel(tasks, workers);
  const of = (setting: number, id: AgentId): KsAgentResult[] => results.filter((_, j) => tasks[j]!.setting === setting && tasks[j]!.id === id);
  return { count: tasks.length, of };
}

function rowsOf(settings: readonly GainSearchSetting[], search: readonly GainSearchResult[], agents: readonly AgentId[], of: (setting: number, id: AgentId) => KsAgentResult[]): KsCompareRow[] {
  return settings.map((s, i) => {
    const g = search[i]!;
    const costs: KsCompareRow['costs'] = { none: meanKsCosts(g.uncontrolled.episodes), proportional: meanKsCosts(g.best.episodes) };
    for (const id of agents) costs[id] = meanKsCosts(of(i, id));
    return { mu: s.mu, sensorNoise: s.sensorNoise, episodes: s.seeds.length, gain: g.best.gain, gainAtGridEdge: g.atGridEdge, costs };
  });
}

/**
 * The KS comparison: at each mu, without noise (one episode) and with the paper's sensor noise
 * N(0, 0.25) (`seeds` episodes), the return and its state and action costs of no control, the best
 * proportional feedback a = clip(-k m, -1, 1) (k searched per mu and noise on a grid, then refined),
 * the law, and the MLP agents given. Every controller sees the same noise streams (seeds fixed per
 * mu). Episodes run on worker threads; the agents are rebuilt in each worker from their files.
 */
export async function compareKs(options: KsCompareOptions): Promise<KsCompareResult> {
  checkOptions(options);
  const { lawPath, law, runs } = prepareInputs(options);
  const mus = options.mus ?? KS_COMPARE_MUS;
  const seedsPerMu = options.seeds ?? 10;
  const workers = options.workers ?? availableParallelism();
  const seedsFor = (mu: number, noise: number): number[] => {
    const base = 1000 + 100 * mus.indexOf(mu);
    return noise === 0 ? [base] : Array.from({ length: seedsPerMu }, (_, r) => base + r);
  };
  const settings: GainSearchSetting[] = KS_COMPARE_NOISES.flatMap((sensorNoise) => mus.map((mu) => ({ mu, sensorNoise, seeds: seedsFor(mu, sensorNoise) })));
  const maxGain = options.maxGain ?? 12;
  const gainStep = options.gainStep ?? 0.25;
  const t0 = performance.now();
  const search = await searchProportionalGains(settings, { maxGain, step: gainStep, episodeSteps: options.episodeSteps, workers });
  const t1 = performance.now();
  const agents: Partial<Record<AgentId, KsAgentSource>> = { sparse: { kind: 'law', path: lawPath } };
  if (options.mlp !== undefined) agents.mlp = { kind: 'trained', runDir: options.mlp };
  if (options.mlpNoMu !== undefined) agents.mlpNoMu = { kind: 'trained', runDir: options.mlpNoMu };
  const episodes = await agentEpisodes(settings, agents, options.episodeSteps, workers);
  const t2 = performance.now();
  const rows = rowsOf(settings, search, Object.keys(agents) as AgentId[], episodes.of);
  const terms = lawTermCount(law);
  const metricTerms = law.metrics?.terms;
  const agentNotes = [options.mlp !== undefined ? `MLP with mu: \`${options.mlp}\`` : '', options.mlpNoMu !== undefined ? `MLP without mu: \`${options.mlpNoMu}\`` : ''].filter((s) => s !== '');
  const notes = [
    `sparse law: \`${lawPath}\` (${terms} terms in its terms tables${typeof metricTerms === 'number' && metricTerms !== terms ? `; its metrics say ${metricTerms}` : ''})${agentNotes.map((s) => `; ${s}`).join('')}${agentNotes.length > 0 ? ' (actors rebuilt from checkpoint.bin)' : ''}.`,
    `${options.episodeSteps ?? 999} control steps per episode. Sensor noise seeds 1000 + 100 i + r for the i-th mu (r = 0..${seedsPerMu - 1} with noise, r = 0 without): the same noise streams for every controller and every gain.`,
    `Proportional gain searched per (mu, noise) on k = 0, ${gainStep}, ..., ${maxGain}, then refined by a fifth of the spacing around the best coarse k, judged by the mean return over the seeds; no control is k = 0 on the same seeds. The best k is chosen on the very episodes it is reported on, which favours the proportional baseline (the return is a rugged function of k). ${search.reduce((a, g) => a + g.episodes, 0)} episodes, ${((t1 - t0) / 1000).toFixed(1)} s wall.`,
    `Agents: ${episodes.count} episodes, ${((t2 - t1) / 1000).toFixed(1)} s wall; ${Math.min(workers, episodes.count)} worker threads.`,
    ...(options.command !== undefined ? [`Reproduce: \`${options.command}\`.`] : []),
  ];
  const markdown = ksComparisonMarkdown({ rows, runs, notes, ...(options.lawTitle !== undefined ? { titles: { sparse: options.lawTitle } } : {}) });
  return { rows, markdown };
}
