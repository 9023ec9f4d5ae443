/**
 * A gain-scheduled KS law (src/envs/ks-gain-schedule.ts: 7 terms per actuator, 56 in all) whose
 * coefficients are found by antithetic random search (src/rl/random-search.ts) on the training
 * distribution only: every candidate runs one episode at each training mu without noise and
 * --noisy-episodes with sensor noise N(0, 0.25); the objective is the mean over those 18 (mu, noise)
 * cells of log(cost), so that a cell costing 20 counts as much as one costing 500. The comparison's
 * mu beyond the training range (±0.225, ±0.25) and its noise seeds are never evaluated. The best
 * law so far is written (atomically) after every iteration that improves it, and the search's state
 * after every iteration to LAW.search.json: `--resume` continues an interrupted search exactly, or a
 * finished one up to a larger --iterations. Judge the law with
 * `node dist/examples/ks-compare.js --sparse LAW.json ...`.
 *
 *   npm run build && node dist/examples/ks-law-search.js --out LAW.json [--iterations 100] [--seed 1] [--resume]
 *
 * --family quartic adds mu^4 m_j to every actuator (64 terms); --start LAW.json starts from a law
 * whose terms are among the family's (missing terms start at 0) instead of the family's own start.
 *
 * Other options: --population P (directions per iteration, each tried with both signs) --sigma S
 * --step S (both in units of each coefficient's scale) --noisy-episodes N --workers N, and
 * --episode-steps N for quick checks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { SparselawError } from '../src/errors.js';
import { exportLaw, lawToJson, saveLaw } from '../src/export/law.js';
import { KS_TRAIN_MUS } from '../src/envs/ks/env.js';
import { ksScheduleFamily, ksScheduleLaw, ksScheduleSize, ksScheduleStart, ksScheduleTheta } from '../src/envs/ks/gain-schedule.js';
import { loadLaw } from '../src/law/io.js';
import { evaluateKsAgentsParallel, type KsAgentTask } from '../src/envs/ks/agent-episodes.js';
import { randomSearch, type RandomSearchState } from '../src/rl/random-search.js';
import { writeFileAtomic } from '../src/util/atomic-write.js';
import { checkOutputFile } from '../src/util/output-path.js';
import { numberOption, runExample } from './shared/cli.js';

const USAGE = 'usage: node dist/examples/ks-law-search.js --out LAW.json [--iterations N] [--seed S] [--resume]';
const NOISE = 0.25;
const integer = (min: number) => (v: number) => Number.isInteger(v) && v >= min;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      iterations: { type: 'string' },
      population: { type: 'string' },
      sigma: { type: 'string' },
      step: { type: 'string' },
      seed: { type: 'string' },
      'noisy-episodes': { type: 'string' },
      workers: { type: 'string' },
      'episode-steps': { type: 'string' },
      resume: { type: 'boolean' },
      family: { type: 'string' },
      start: { type: 'string' },
    },
  });
  if (values.out === undefined) throw new SparselawError(`--out is required; ${USAGE}`);
  const iterations = numberOption('iterations', values.iterations, 100, integer(0), 'an integer >= 0');
  const population = numberOption('population', values.population, 8, integer(1), 'an integer >= 1');
  const sigma = numberOption('sigma', values.sigma, 0.1, (v) => v > 0, 'a number > 0');
  const step = numberOption('step', values.step, 0.05, (v) => v > 0, 'a number > 0');
  const seed = numberOption('seed', values.seed, 1, (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 31, 'an integer in [0, 2^31)');
  const noisyEpisodes = numberOption('noisy-episodes', values['noisy-episodes'], 2, integer(1), 'an integer >= 1');
  const workers = numberOption('workers', values.workers, availableParallelism(), integer(1), 'an integer >= 1');
  const episodeSteps = values['episode-steps'] === undefined ? undefined : numberOption('episode-steps', values['episode-steps'], 999, integer(1), 'an integer >= 1');
  const family = ksScheduleFamily(values.family ?? 'gain-schedule');
  const startTheta = values.start === undefined ? undefined : ksScheduleTheta(loadLaw(values.start), values.start, family);
  const out = values.out;
  await checkOutputFile(out, 'the law');
  const statePath = `${out.replace(/\.json$/, '')}.search.json`;
  // Everything that changes the search's trajectory; a resumed search must match it.
  const settings = { structure: family.name === 'gain-schedule' ? 'ks-gain-schedule' : `ks-gain-schedule-${family.name}`, start: values.start ?? null, population, sigma, step, seed, noisyEpisodes, episodeSteps: episodeSteps ?? null };
  let resume: RandomSearchState | undefined;
  if (values.resume) {
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
    resume = saved.state;
  }

  // Noise seeds far from ks-compare's (1000 + 10 i + r), so the search never sees the comparison's streams.
  const cells = KS_TRAIN_MUS.flatMap((mu, i) => [
    { mu, sensorNoise: 0, seeds: [0] },
    { mu, sensorNoise: NOISE, seeds: Array.from({ length: noisyEpisodes }, (_, r) => 100_000 + 1000 * seed + 10 * i + r) },
  ]);
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

  // The command that reproduces the law: a resumed search gives the same law as an uninterrupted one.
  const command = ['node dist/examples/ks-law-search.js', ...process.argv.slice(2).filter((a) => a !== '--resume')].join(' ');
  const { start: familyStart, scale } = ksScheduleStart(family);
  const start = startTheta ?? familyStart;
  const t0 = performance.now();
  let written = -1;
  const write = (theta: ArrayLike<number>, value: number, iteration: number, done: number) => {
    saveLaw(out, ksScheduleLaw(theta, { command, environment: 'KS-v0', method: 'random search on the training mu', ...(family.name === 'gain-schedule' ? {} : { family: family.name }), objective: 'mean log cost over the training (mu, noise) cells', objectiveValue: value, iteration, iterationsDone: done, seed }, family));
    written = iteration;
  };
  process.stdout.write(`${ksScheduleSize(family)} coefficients (${family.name}); ${2 * population + 1} candidates per iteration, ${cells.reduce((a, c) => a + c.seeds.length, 0)} episodes each, on ${workers} worker threads\n`);
  const result = await randomSearch(start, scale, objective, {
    iterations,
    population,
    sigma,
    step,
    seed,
    resume,
    onIteration: ({ iteration, centre, best, state }) => {
      if (best.iteration !== written) write(best.theta, best.value, best.iteration, iteration);
      writeFileAtomic(statePath, JSON.stringify({ settings, state }));
      const s = (performance.now() - t0) / 1000;
      process.stdout.write(`iteration ${iteration}/${iterations}: centre ${centre.toFixed(4)}, best ${best.value.toFixed(4)} (iteration ${best.iteration}), ${s.toFixed(0)} s\n`);
    },
  });
  write(result.best.theta, result.best.value, result.best.iteration, Math.max(iterations, resume?.iteration ?? 0));
  const wall = (performance.now() - t0) / 1000;
  process.stdout.write(`\n${exportLaw(ksScheduleLaw(result.best.theta, undefined, family), 'text', { digits: 3 })}\n`);
  process.stdout.write(
    `objective (mean log cost over the training cells): start ${result.initial.toFixed(4)}, best ${result.best.value.toFixed(4)} (iteration ${result.best.iteration}); ${result.evaluations} candidates in ${wall.toFixed(0)} s; written to ${out}\n`,
  );
}

await runExample('ks-law-search', USAGE, main);
