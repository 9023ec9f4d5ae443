import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { SparselawError } from '../../errors.js';
import { exportLaw } from '../../export/law.js';
import { lawToJson, loadLaw, saveLaw } from '../../law/io.js';
import { randomSearch, type RandomSearchResult, type RandomSearchState } from '../../rl/random-search.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { checkOutputFile } from '../../util/output-path.js';
import { KS_TRAIN_MUS } from './env.js';
import { ksScheduleFamily, ksScheduleLaw, ksScheduleSize, ksScheduleStart, ksScheduleTheta, type KsScheduleFamily } from './gain-schedule.js';
import { evaluateKsAgentsParallel, type KsAgentTask } from './agent-episodes.js';

/** A search of a gain-scheduled KS law's coefficients (`sparselaw search-law ks`). */
export interface KsLawSearchOptions {
  /** Where the best law so far is written (atomically); the search state goes to OUT.search.json. */
  out: string;
  /** Family of the law (default gain-schedule: 7 terms per actuator; quartic: 8). */
  family?: string;
  /** Start from this law (its terms among the family's; missing terms start at 0) instead of the family's start. */
  start?: string;
  iterations?: number;
  /** Directions per iteration, each tried with both signs (default 8). */
  population?: number;
  /** Perturbation and Adam step, in units of each coefficient's scale (defaults 0.1 and 0.05). */
  sigma?: number;
  step?: number;
  seed?: number;
  /** Episodes with sensor noise N(0, 0.25) per training mu and candidate (default 2). */
  noisyEpisodes?: number;
  workers?: number;
  /** Control steps per episode (default 999; fewer for quick checks). */
  episodeSteps?: number;
  /** Continue the search in OUT.search.json (the same options; a finished one up to more iterations). */
  resume?: boolean;
  /** The command line recorded in the law's meta as the one that reproduces it. */
  command?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Asked after every iteration: true stops the search there (its law and state are saved). */
  stop?: () => boolean;
}

const NOISE = 0.25;

interface Settings {
  structure: string;
  start: string | null;
  population: number;
  sigma: number;
  step: number;
  seed: number;
  noisyEpisodes: number;
  episodeSteps: number | null;
}

function checkOptions(o: KsLawSearchOptions): void {
  const integer = (name: string, v: number | undefined, min: number) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new SparselawError(`--${name}: expected an integer >= ${min}, got "${v}"`);
  };
  integer('iterations', o.iterations, 0);
  integer('population', o.population, 1);
  integer('noisy-episodes', o.noisyEpisodes, 1);
  integer('workers', o.workers, 1);
  integer('episode-steps', o.episodeSteps, 1);
  for (const [name, v] of [['sigma', o.sigma], ['step', o.step]] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new SparselawError(`--${name}: expected a number > 0, got "${v}"`);
  }
  if (o.seed !== undefined && !(Number.isInteger(o.seed) && o.seed >= 0 && o.seed < 2 ** 31)) throw new SparselawError(`--seed: expected an integer in [0, 2^31), got "${o.seed}"`);
}

/** The saved state of the search at statePath, checked against the settings it must have been written with. */
function resumeState(statePath: string, settings: Settings): RandomSearchState {
  if (!existsSync(statePath)) throw new SparselawError(`--resume: ${statePath} does not exist (nothing to resume)`);
  let saved: { settings: Record<string, unknown>; state: RandomSearchState };
  try {
    saved = JSON.parse(readFileSync(statePath, 'utf8'));
  } catch (err) {
    throw new SparselawError(`--resume: ${statePath} is not a search state: ${(err as Error).message}`);
  }
  for (const [key, value] of Object.entries(settings)) {
    // Searches written before --start existed started from the family's own start.
    const was = key === 'start' ? (saved.settings?.[key] ?? null) : saved.settings?.[key];
    if (was !== value) throw new SparselawError(`--resume: ${statePath} was written with ${key} = ${JSON.stringify(was)}, now ${JSON.stringify(value)}; resume with the same options`);
  }
  return saved.state;
}

/**
 * The objective of a batch of coefficient vectors: per candidate, one episode at each training mu
 * without noise and `noisyEpisodes` with sensor noise, the mean over those (mu, noise) cells of
 * log(cost), so that a cell costing 20 counts as much as one costing 500.
 */
function objectiveOf(family: KsScheduleFamily, settings: Settings, workers: number) {
  // Noise seeds far from the comparison's (1000 + 100 i + r), so the search never sees its streams.
  const cells = KS_TRAIN_MUS.flatMap((mu, i) => [
    { mu, sensorNoise: 0, seeds: [0] },
    { mu, sensorNoise: NOISE, seeds: Array.from({ length: settings.noisyEpisodes }, (_, r) => 100_000 + 1000 * settings.seed + 10 * i + r) },
  ]);
  const episodeSteps = settings.episodeSteps ?? undefined;
  const objective = async (thetas: Float64Array[]): Promise<number[]> => {
    const tasks: KsAgentTask[] = [];
    thetas.forEach((theta, c) => {
      const law = lawToJson(ksScheduleLaw(theta, undefined, family));
      for (const cell of cells) for (const s of cell.seeds) tasks.push({ agent: { kind: 'document', law, label: `candidate ${c}` }, mu: cell.mu, sensorNoise: cell.sensorNoise, seed: s, episodeSteps });
    });
    const results = await evaluateKsAgentsParallel(tasks, workers);
    let k = 0;
    return thetas.map(() => {
      let sum = 0;
      for (const cell of cells) {
        let cost = 0;
        for (let r = 0; r < cell.seeds.length; r++) cost -= results[k++]!.return / cell.seeds.length;
        sum += Math.log(Math.max(cost, 1e-9));
      }
      return sum / cells.length;
    });
  };
  return { objective, episodesPerCandidate: cells.reduce((a, c) => a + c.seeds.length, 0) };
}

/**
 * Searches the coefficients of a gain-scheduled KS law (src/envs/ks/gain-schedule.ts) by antithetic
 * random search on the training distribution only: the comparison's mu beyond the training range
 * and its noise seeds are never evaluated. The best law so far is written (atomically) after every
 * iteration that improves it, and the search's state after every iteration, so that `resume`
 * continues an interrupted search exactly.
 */
export async function searchKsLaw(options: KsLawSearchOptions): Promise<RandomSearchResult> {
  checkOptions(options);
  const family = ksScheduleFamily(options.family ?? 'gain-schedule');
  const startTheta = options.start === undefined ? undefined : ksScheduleTheta(loadLaw(options.start), options.start, family);
  const { out } = options;
  await checkOutputFile(out, 'the law');
  const statePath = `${out.replace(/\.json$/, '')}.search.json`;
  const iterations = options.iterations ?? 100;
  // Everything that changes the search's trajectory; a resumed search must match it.
  const settings: Settings = {
    structure: family.name === 'gain-schedule' ? 'ks-gain-schedule' : `ks-gain-schedule-${family.name}`,
    start: options.start ?? null,
    population: options.population ?? 8,
    sigma: options.sigma ?? 0.1,
    step: options.step ?? 0.05,
    seed: options.seed ?? 1,
    noisyEpisodes: options.noisyEpisodes ?? 2,
    episodeSteps: options.episodeSteps ?? null,
  };
  const resume = options.resume ? resumeState(statePath, settings) : undefined;
  const workers = options.workers ?? availableParallelism();
  const { objective, episodesPerCandidate } = objectiveOf(family, settings, workers);
  const log = options.log ?? (() => {});
  const t0 = performance.now();
  let written = -1;
  const write = (theta: ArrayLike<number>, value: number, iteration: number, done: number) => {
    const meta = { command: options.command ?? 'searchKsLaw', environment: 'KS-v0', method: 'random search on the training mu', ...(family.name === 'gain-schedule' ? {} : { family: family.name }), objective: 'mean log cost over the training (mu, noise) cells', objectiveValue: value, iteration, iterationsDone: done, seed: settings.seed };
    saveLaw(out, ksScheduleLaw(theta, meta, family));
    written = iteration;
  };
  log(`${ksScheduleSize(family)} coefficients (${family.name}); ${2 * settings.population + 1} candidates per iteration, ${episodesPerCandidate} episodes each, on ${workers} worker threads\n`);
  const { start: familyStart, scale } = ksScheduleStart(family);
  let last = resume?.iteration ?? 0;
  const result = await randomSearch(startTheta ?? familyStart, scale, objective, {
    iterations,
    population: settings.population,
    sigma: settings.sigma,
    step: settings.step,
    seed: settings.seed,
    resume,
    stop: options.stop,
    onIteration: ({ iteration, centre, best, state }) => {
      if (best.iteration !== written) write(best.theta, best.value, best.iteration, iteration);
      writeFileAtomic(statePath, JSON.stringify({ settings, state }));
      last = iteration;
      log(`iteration ${iteration}/${iterations}: centre ${centre.toFixed(4)}, best ${best.value.toFixed(4)} (iteration ${best.iteration}), ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    },
  });
  write(result.best.theta, result.best.value, result.best.iteration, Math.max(last, resume?.iteration ?? 0));
  log(`\n${exportLaw(ksScheduleLaw(result.best.theta, undefined, family), 'text', { digits: 3 })}\n`);
  log(`objective (mean log cost over the training cells): start ${result.initial.toFixed(4)}, best ${result.best.value.toFixed(4)} (iteration ${result.best.iteration}); ${result.evaluations} candidates in ${((performance.now() - t0) / 1000).toFixed(0)} s; written to ${out}\n`);
  return result;
}
