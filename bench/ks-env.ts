/**
 * KS-v0 speed and agreement: sparselaw's environment against a NumPy implementation of the same
 * numerics written the straightforward way (bench/reference/ks_numpy.py), both running the
 * proportional policy a = clip(-gain m, -1, 1) at mu = 0.1 for a full episode.
 *
 *   npm run build && node dist/bench/ks-env.js [--episodes 5] [--numpy-episodes 1]
 *
 * The NumPy runs go between two halves of the sparselaw runs, so both see the same contention on a
 * shared machine. The reset of sparselaw is timed twice: computing the start state (a mu not seen
 * before: 1001 solver steps) and taking it from the per-mu cache.
 */
import { parseArgs } from 'node:util';
import { KuramotoSivashinsky, KS_SOLVER_STEPS_PER_ACTION, KS_TRANSIENT_STEPS } from '../src/envs/ks/env.js';
import { findNumpyPython, runNumpyKs, type NumpyKsRun } from './reference/numpy-ks.js';

const { values } = parseArgs({
  options: {
    episodes: { type: 'string', default: '6' },
    'numpy-episodes': { type: 'string', default: '1' },
    mu: { type: 'string', default: '0.1' },
    gain: { type: 'string', default: '1' },
  },
});
const episodes = Number(values.episodes);
const numpyEpisodes = Number(values['numpy-episodes']);
const mu = Number(values.mu);
const gain = Number(values.gain);
const STEPS = 999;

interface Timing {
  resetFresh: number[];
  resetCached: number[];
  episode: number[];
}

function runSparselaw(count: number, offset: number, t: Timing): Float64Array {
  let field: Float64Array = new Float64Array(0);
  for (let e = 0; e < count; e++) {
    // A mu never seen before forces the start state to be computed (then it is cached).
    const fresh = mu + (offset + e + 1) * 1e-12;
    const env = new KuramotoSivashinsky();
    let t0 = performance.now();
    env.reset({ parameters: [fresh] });
    t.resetFresh.push(performance.now() - t0);
    t0 = performance.now();
    let obs = env.reset({ parameters: [mu] });
    t.resetCached.push(performance.now() - t0);
    t0 = performance.now();
    for (let s = 0; s < STEPS; s++) {
      obs = env.step(Array.from(obs, (m) => Math.min(1, Math.max(-1, -gain * m)))).observation;
    }
    t.episode.push(performance.now() - t0);
    field = env.field();
  }
  return field;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} us`);

// Warm-up (JIT) on a separate mu, not counted.
runSparselaw(1, 1000, { resetFresh: [], resetCached: [], episode: [] });
// The first counted episode computes the start state of mu itself (the cached resets then hit it).
const t: Timing = { resetFresh: [], resetCached: [], episode: [] };
const half = Math.ceil(episodes / 2);
let jsField: Float64Array = runSparselaw(half, 0, t);

const python = findNumpyPython();
let ref: NumpyKsRun | null = null;
if (python === null) {
  console.log('NumPy column skipped: no python3 that imports numpy (apt-get install python3-numpy, or set SPARSELAW_PYTHON).');
} else {
  ref = runNumpyKs(python, mu, STEPS, gain, numpyEpisodes);
}
jsField = runSparselaw(episodes - half, half, t);

const solverStepsEpisode = STEPS * KS_SOLVER_STEPS_PER_ACTION;
const jsReset = median(t.resetFresh);
const jsCached = median(t.resetCached);
const jsEpisode = median(t.episode);
const rows: string[][] = [
  ['', 'reset (start state computed)', 'reset (cached)', 'episode, reset excluded', 'episode, reset included', 'per control step', 'solver steps/s'],
  [
    `sparselaw (median of ${episodes})`,
    fmt(jsReset),
    fmt(jsCached),
    fmt(jsEpisode),
    fmt(jsEpisode + jsReset),
    `${((1000 * jsEpisode) / STEPS).toFixed(1)} us`,
    ((solverStepsEpisode + KS_TRANSIENT_STEPS) / ((jsEpisode + jsReset) / 1000)).toFixed(0),
  ],
];
if (ref !== null) {
  const npReset = 1000 * median(ref.reset_s);
  const npEpisode = 1000 * median(ref.episode_s);
  rows.push([
    `NumPy ${ref.numpy} (median of ${numpyEpisodes})`,
    fmt(npReset),
    '-',
    fmt(npEpisode),
    fmt(npEpisode + npReset),
    `${((1000 * npEpisode) / STEPS).toFixed(1)} us`,
    ((solverStepsEpisode + KS_TRANSIENT_STEPS) / ((npEpisode + npReset) / 1000)).toFixed(0),
  ]);
  rows.push([
    'speed-up',
    `${(npReset / jsReset).toFixed(0)}x`,
    `${(npReset / jsCached).toFixed(0)}x`,
    `${(npEpisode / jsEpisode).toFixed(0)}x`,
    `${((npEpisode + npReset) / (jsEpisode + jsReset)).toFixed(0)}x`,
    '',
    '',
  ]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  '));
console.log(`\nKS-v0, mu = ${mu}, ${STEPS} control steps of a = clip(-${gain} m, -1, 1); a solver step is 15 CN/AB2 sub-steps on 64 points.`);

if (ref !== null) {
  const env = new KuramotoSivashinsky();
  env.reset({ parameters: [mu] });
  const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]!)));
  console.log(`agreement with NumPy: max |u - u_numpy| = ${maxDiff(env.field(), ref.start).toExponential(2)} at the start state (${KS_TRANSIENT_STEPS} solver steps), ` +
    `${maxDiff(jsField, ref.final).toExponential(2)} after the episode (${KS_TRANSIENT_STEPS + solverStepsEpisode} solver steps)`);
}
