import { SparselawError } from '../errors.js';
import { Rng, type RngState } from '../util/rng.js';

export interface RandomSearchOptions {
  /** Iterations (each evaluates 2 * population + 1 parameter vectors). */
  iterations: number;
  /** Random directions per iteration; each is tried with both signs. */
  population: number;
  /** Perturbation size, in units of each parameter's scale. */
  sigma: number;
  /** Adam step, in units of each parameter's scale. */
  step: number;
  seed: number;
  /** Called after every iteration, with the best point so far and the state to resume from. */
  onIteration?: (progress: RandomSearchProgress) => void | Promise<void>;
  /** Continue a search from the state an earlier run reported (same start, scale and settings). */
  resume?: RandomSearchState;
  /** Asked after every iteration (after onIteration): true ends the search there. */
  stop?: () => boolean;
}

/** Everything a search needs to continue exactly where it stopped (JSON-serialisable). */
export interface RandomSearchState {
  iteration: number;
  initial: number;
  evaluations: number;
  /** The centre, in units of the scales, and Adam's moments. */
  z: number[];
  m: number[];
  v: number[];
  rng: RngState;
  best: { theta: number[]; value: number; iteration: number };
}

export interface RandomSearchProgress {
  iteration: number;
  /** Objective at the centre of the search distribution before this iteration's step. */
  centre: number;
  best: { theta: Float64Array; value: number; iteration: number };
  evaluations: number;
  state: RandomSearchState;
}

export interface RandomSearchResult {
  /** Objective at the start point. */
  initial: number;
  best: { theta: Float64Array; value: number; iteration: number };
  /** One entry per iteration run by this call (a resumed search lists only its own). */
  history: { iteration: number; centre: number; best: number }[];
  evaluations: number;
}

/**
 * Minimises a black-box objective by antithetic random search (evolution strategies in the style of
 * Salimans et al. 2017 and Mania et al. 2018): each iteration draws `population` Gaussian
 * directions, evaluates theta +- sigma * scale * direction and the centre in one batch (so the
 * objective can spread them over workers), turns the values into centred ranks (robust to outliers
 * and to the objective's scale) and moves the centre with Adam along the rank-weighted directions.
 * The best point ever evaluated is returned; it can differ from the last centre. Deterministic for a
 * seed when the objective is.
 */
export async function randomSearch(
  start: ArrayLike<number>,
  scale: ArrayLike<number>,
  objective: (thetas: Float64Array[]) => Promise<number[]>,
  options: RandomSearchOptions,
): Promise<RandomSearchResult> {
  const n = start.length;
  if (scale.length !== n) throw new SparselawError(`random search: ${n} start values but ${scale.length} scales`);
  const { iterations, population, sigma, step } = options;
  if (!(Number.isInteger(iterations) && iterations >= 0)) throw new SparselawError(`random search: iterations must be an integer >= 0, got ${iterations}`);
  if (!(Number.isInteger(population) && population >= 1)) throw new SparselawError(`random search: population must be an integer >= 1, got ${population}`);
  if (!(sigma > 0) || !(step > 0)) throw new SparselawError(`random search: sigma and step must be > 0, got ${sigma} and ${step}`);
  const resume = options.resume;
  if (resume && (resume.z.length !== n || resume.best.theta.length !== n)) throw new SparselawError(`random search: the state to resume has ${resume.z.length} coefficients, the search ${n}`);
  const rng = resume ? Rng.fromState(resume.rng) : Rng.seeded(options.seed);
  let evaluations = resume?.evaluations ?? 0;
  const point = (z: ArrayLike<number>): Float64Array => Float64Array.from({ length: n }, (_, i) => start[i]! + scale[i]! * z[i]!);
  const evaluate = async (zs: Float64Array[]): Promise<number[]> => {
    const values = await objective(zs.map(point));
    if (values.length !== zs.length) throw new Error(`random search: the objective returned ${values.length} values for ${zs.length} points`);
    values.forEach((v, i) => {
      if (Number.isNaN(v)) throw new SparselawError(`random search: the objective is NaN at point ${i} of ${zs.length}`);
    });
    evaluations += zs.length;
    return values;
  };
  const z = Float64Array.from(resume?.z ?? new Array<number>(n).fill(0));
  const m = Float64Array.from(resume?.m ?? new Array<number>(n).fill(0));
  const v = Float64Array.from(resume?.v ?? new Array<number>(n).fill(0));
  const initial = resume ? resume.initial : (await evaluate([z.slice()]))[0]!;
  let best = resume ? { ...resume.best, theta: Float64Array.from(resume.best.theta) } : { theta: point(z), value: initial, iteration: 0 };
  const history: RandomSearchResult['history'] = [];
  const state = (iteration: number): RandomSearchState => ({
    iteration,
    initial,
    evaluations,
    z: [...z],
    m: [...m],
    v: [...v],
    rng: rng.getState(),
    best: { theta: [...best.theta], value: best.value, iteration: best.iteration },
  });
  for (let it = (resume?.iteration ?? 0) + 1; it <= iterations; it++) {
    const directions = Array.from({ length: population }, () => Float64Array.from({ length: n }, () => rng.normal()));
    const zs: Float64Array[] = [];
    for (const d of directions) for (const s of [1, -1]) zs.push(z.map((x, i) => x + s * sigma * d[i]!));
    zs.push(z.slice());
    const values = await evaluate(zs);
    values.forEach((value, k) => {
      if (value < best.value) best = { theta: point(zs[k]!), value, iteration: it };
    });
    const pairs = values.slice(0, 2 * population);
    const rank = centredRanks(pairs);
    for (let i = 0; i < n; i++) {
      let g = 0;
      for (let j = 0; j < population; j++) g += (rank[2 * j]! - rank[2 * j + 1]!) * directions[j]![i]!;
      g /= population * sigma;
      m[i] = 0.9 * m[i]! + 0.1 * g;
      v[i] = 0.999 * v[i]! + 0.001 * g * g;
      z[i] = z[i]! - (step * (m[i]! / (1 - 0.9 ** it))) / (Math.sqrt(v[i]! / (1 - 0.999 ** it)) + 1e-8);
    }
    const centre = values[2 * population]!;
    history.push({ iteration: it, centre, best: best.value });
    await options.onIteration?.({ iteration: it, centre, best, evaluations, state: state(it) });
    if (options.stop?.()) break;
  }
  return { initial, best, history, evaluations };
}

/** Ranks scaled to [-0.5, 0.5] (lowest value -0.5); ties keep their order. */
export function centredRanks(values: readonly number[]): Float64Array {
  const order = values.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value || a.i - b.i);
  const out = new Float64Array(values.length);
  const span = Math.max(1, values.length - 1);
  order.forEach(({ i }, r) => (out[i] = r / span - 0.5));
  return out;
}
