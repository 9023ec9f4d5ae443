import { availableParallelism } from 'node:os';
import { runSharded } from '../../util/sharded-workers.js';
import { SparselawError } from '../../errors.js';
import { evaluateKsPolicy, type KsEpisodeCosts } from './env.js';

/** One evaluation episode of the proportional controller. */
export interface ProportionalTask {
  mu: number;
  gain: number;
  /** Std of the sensor noise (0 for none). */
  sensorNoise: number;
  /** Seed of the sensor noise. */
  seed: number;
  /** Also return |m| of every observation (for the observation range). */
  recordSensors?: boolean;
  /** Control steps per episode (default 999; fewer for quick checks). */
  episodeSteps?: number;
}

export interface ProportionalResult extends ProportionalTask, KsEpisodeCosts {
  /** |m| of every observation seen by the policy (reset included), when recordSensors was set. */
  absSensors?: number[];
}

/** The classical baseline: each actuator from its own co-located sensor, a_j = clip(-gain m_j, -1, 1). */
export function proportionalPolicy(gain: number): (obs: Float64Array) => Float64Array {
  if (!Number.isFinite(gain)) throw new SparselawError(`proportional gain must be finite, got ${gain}`);
  return (obs) => {
    const a = new Float64Array(obs.length);
    for (let j = 0; j < obs.length; j++) a[j] = Math.min(1, Math.max(-1, -gain * obs[j]!));
    return a;
  };
}

/** One episode of the proportional controller at task.mu. */
export function evaluateProportional(task: ProportionalTask): ProportionalResult {
  const p = proportionalPolicy(task.gain);
  const absSensors: number[] | undefined = task.recordSensors ? [] : undefined;
  const policy = (obs: Float64Array) => {
    if (absSensors) for (const m of obs) absSensors.push(Math.abs(m));
    return p(obs);
  };
  const costs = evaluateKsPolicy(policy, task.mu, { sensorNoise: task.sensorNoise, seed: task.seed, episodeSteps: task.episodeSteps });
  return { ...task, ...costs, ...(absSensors ? { absSensors } : {}) };
}

/**
 * Evaluates the tasks on `workers` worker threads (default: one per core), each taking an
 * interleaved share; results come back in task order. Each worker caches its own start states.
 */
export function evaluateProportionalParallel(tasks: readonly ProportionalTask[], workers = availableParallelism()): Promise<ProportionalResult[]> {
  return runSharded(new URL('./proportional-worker.js', import.meta.url), tasks, workers, 'proportional-baseline worker');
}

/** One (mu, noise) setting of the gain search; with several seeds a gain is judged by its mean over them. */
export interface GainSearchSetting {
  mu: number;
  sensorNoise: number;
  /** Seeds of the sensor noise, one episode each (a noiseless setting needs one). */
  seeds: readonly number[];
}

export interface GainSearchOptions {
  /** Largest gain of the coarse grid (default 12). */
  maxGain?: number;
  /** Spacing of the coarse grid 0, step, ..., maxGain (default 0.25). */
  step?: number;
  /** Then try the best coarse gain +- i step / 5 for i = 1..4 (default true). */
  refine?: boolean;
  episodeSteps?: number;
  workers?: number;
}

/** Mean return and costs of one gain over a setting's seeds. */
export interface GainScore {
  gain: number;
  return: number;
  stateCost: number;
  actionCost: number;
  /** One entry per seed, in the setting's order. */
  episodes: ProportionalResult[];
}

export interface GainSearchResult extends GainSearchSetting {
  best: GainScore;
  /** The gain 0 (no control) on the same seeds. */
  uncontrolled: GainScore;
  /** Every gain tried, ascending. */
  tried: GainScore[];
  /** The best gain is the largest of the grid (the optimum may lie beyond). */
  atGridEdge: boolean;
  episodes: number;
}

/**
 * The best proportional gain per setting: a coarse grid 0..maxGain, then a refinement around the
 * coarse optimum with a fifth of the spacing. Every gain of a setting sees the same noise streams
 * (its seeds), and the episodes run on worker threads.
 */
export async function searchProportionalGains(settings: readonly GainSearchSetting[], options: GainSearchOptions = {}): Promise<GainSearchResult[]> {
  const maxGain = options.maxGain ?? 12;
  const step = options.step ?? 0.25;
  if (!(Number.isFinite(maxGain) && maxGain >= 0)) throw new SparselawError(`gain search: maxGain must be a finite number >= 0, got ${maxGain}`);
  if (!(Number.isFinite(step) && step > 0)) throw new SparselawError(`gain search: step must be a finite number > 0, got ${step}`);
  for (const s of settings) {
    if (s.seeds.length === 0) throw new SparselawError(`gain search: the setting mu = ${s.mu}, noise ${s.sensorNoise} has no seeds`);
  }
  // Rounded so that refined gains and grid gains compare equal.
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  const coarse = Array.from({ length: Math.floor(maxGain / step + 1e-9) + 1 }, (_, i) => round(i * step));
  const tasksFor = (s: GainSearchSetting, gains: readonly number[]): ProportionalTask[] =>
    gains.flatMap((gain) => s.seeds.map((seed) => ({ mu: s.mu, gain, sensorNoise: s.sensorNoise, seed, ...(options.episodeSteps !== undefined ? { episodeSteps: options.episodeSteps } : {}) })));
  const run = async (gainsPerSetting: number[][]): Promise<void> => {
    const tasks = settings.flatMap((s, i) => tasksFor(s, gainsPerSetting[i]!));
    const results = await evaluateProportionalParallel(tasks, options.workers);
    let at = 0;
    settings.forEach((s, i) => {
      for (const gain of gainsPerSetting[i]!) {
        const episodes = results.slice(at, at + s.seeds.length);
        at += s.seeds.length;
        const m = (f: (r: ProportionalResult) => number) => episodes.reduce((acc, r) => acc + f(r), 0) / episodes.length;
        scores[i]!.set(gain, { gain, return: m((r) => r.return), stateCost: m((r) => r.stateCost), actionCost: m((r) => r.actionCost), episodes });
      }
    });
  };
  const scores = settings.map(() => new Map<number, GainScore>());
  const best = (i: number): GainScore => [...scores[i]!.values()].reduce((a, b) => (b.return > a.return ? b : a));
  await run(settings.map(() => coarse));
  if (options.refine ?? true) {
    await run(
      settings.map((_, i) => {
        const b = best(i).gain;
        const fine: number[] = [];
        for (let k = -4; k <= 4; k++) {
          const g = round(b + (k * step) / 5);
          if (g >= 0 && g <= maxGain && !scores[i]!.has(g)) fine.push(g);
        }
        return fine;
      }),
    );
  }
  return settings.map((s, i) => {
    const tried = [...scores[i]!.values()].sort((a, b) => a.gain - b.gain);
    const b = best(i);
    return {
      ...s,
      best: b,
      uncontrolled: scores[i]!.get(0)!,
      tried,
      atGridEdge: b.gain === tried[tried.length - 1]!.gain && tried.length > 1,
      episodes: tried.length * s.seeds.length,
    };
  });
}
