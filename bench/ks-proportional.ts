/**
 * The classical baseline on KS-v0: proportional feedback a_j = clip(-k m_j, -1, 1), each actuator
 * from its own co-located sensor. Sweeps k = 0, 0.25, ..., 3 at several mu, with and without sensor
 * noise (std 0.25, seeded), extends the grid by 0.5 while the best k is the largest tried, refines
 * around the optimum by a fifth of the local spacing, and prints per mu
 * the uncontrolled return and the best k with its return and costs. Episodes run on worker threads
 * (one per core). Also prints the range of the uncontrolled sensor readings over the training and
 * evaluation mu (the basis of KS-v0's observation bounds).
 *
 *   npm run build && node dist/bench/ks-proportional.js [--workers N]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { KS_EVAL_FIXED, KS_TRAIN_MUS } from '../src/envs/ks/env.js';
import { evaluateProportionalParallel, type ProportionalResult, type ProportionalTask } from '../src/envs/ks/proportional.js';

const { values } = parseArgs({ options: { workers: { type: 'string', default: String(availableParallelism()) } } });
const workers = Number(values.workers);

const MUS = [0, 0.121, -0.15, 0.2, -0.2, 0.225, -0.225, 0.25, -0.25];
const NOISES = [0, 0.25];
const COARSE = Array.from({ length: 13 }, (_, i) => 0.25 * i);
const MAX_GAIN = 12;
const round = (x: number) => Math.round(x * 1e6) / 1e6;
const noiseSeed = (mu: number) => 1000 + MUS.indexOf(mu);

const start = performance.now();
const tasks: ProportionalTask[] = [];
for (const mu of MUS) for (const sensorNoise of NOISES) for (const gain of COARSE) {
  tasks.push({ mu, gain, sensorNoise, seed: noiseSeed(mu), recordSensors: gain === 0 && sensorNoise === 0 });
}
// Uncontrolled episodes at the remaining training and evaluation mu, for the observation range.
const rangeMus = [...new Set([...KS_TRAIN_MUS, ...KS_EVAL_FIXED])].filter((mu) => !MUS.includes(mu));
for (const mu of rangeMus) tasks.push({ mu, gain: 0, sensorNoise: 0, seed: 0, recordSensors: true });
const results: ProportionalResult[] = await evaluateProportionalParallel(tasks, workers);

// Collect per (mu, noise); extend the grid by 0.5 while the best k sits on its upper edge (up to
// MAX_GAIN), then refine around every interior optimum with a fifth of the local spacing.
const key = (mu: number, noise: number) => `${mu}|${noise}`;
const byPair = new Map<string, ProportionalResult[]>();
const collect = (rs: ProportionalResult[]) => {
  for (const r of rs) {
    if (!MUS.includes(r.mu)) continue;
    const k = key(r.mu, r.sensorNoise);
    if (!byPair.has(k)) byPair.set(k, []);
    byPair.get(k)!.push(r);
  }
};
collect(results);
const best = (rs: ProportionalResult[]) => rs.reduce((a, b) => (b.return > a.return ? b : a));
const top = (rs: ProportionalResult[]) => Math.max(...rs.map((r) => r.gain));
let extraEpisodes = 0;
for (;;) {
  const more: ProportionalTask[] = [];
  for (const rs of byPair.values()) {
    const b = best(rs);
    const t = top(rs);
    if (b.gain === t && t < MAX_GAIN) for (const g of [t + 0.5, t + 1]) more.push({ mu: b.mu, gain: g, sensorNoise: b.sensorNoise, seed: b.seed });
  }
  if (more.length === 0) break;
  extraEpisodes += more.length;
  collect(await evaluateProportionalParallel(more, workers));
}
const fine: ProportionalTask[] = [];
for (const rs of byPair.values()) {
  const b = best(rs);
  if (b.gain === 0 || b.gain === top(rs)) continue;
  const spacing = b.gain < 3 ? 0.25 : 0.5;
  const seen = new Set(rs.map((r) => r.gain));
  for (let i = -4; i <= 4; i++) {
    const g = round(b.gain + (i * spacing) / 5);
    if (!seen.has(g)) fine.push({ mu: b.mu, gain: g, sensorNoise: b.sensorNoise, seed: b.seed });
  }
}
extraEpisodes += fine.length;
collect(await evaluateProportionalParallel(fine, workers));
const wall = (performance.now() - start) / 1000;

const header = ['mu', 'noise', 'uncontrolled return', 'best k <= 3', 'its return', 'best k', 'return', 'state cost', 'action cost'];
const rows: string[][] = [header];
for (const sensorNoise of NOISES) for (const mu of MUS) {
  const rs = byPair.get(key(mu, sensorNoise))!;
  const b = best(rs);
  const un = rs.find((r) => r.gain === 0)!;
  const edge = b.gain === top(rs) ? ' (grid edge)' : '';
  const b3 = best(rs.filter((r) => r.gain <= 3));
  rows.push([String(mu), String(sensorNoise), un.return.toFixed(1), b3.gain.toFixed(2), b3.return.toFixed(1), b.gain.toFixed(2) + edge, b.return.toFixed(1), b.stateCost.toFixed(1), b.actionCost.toFixed(1)]);
}
const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((x, c) => x.padStart(widths[c]!)).join('  '));
const capped = [...byPair.values()].flat().reduce((s, r) => s + r.cappedSteps, 0);
const episodes = tasks.length + extraEpisodes;
console.log(`\n${episodes} episodes of 999 steps (k = 0..3 step 0.25, extended by 0.5 while the best k is the largest tried, then refined around the optimum by a fifth of the spacing) on ${Math.min(workers, tasks.length)} worker threads: ${wall.toFixed(1)} s wall`);
console.log('One episode per (mu, k, noise): the return is a rugged function of k (chaotic dynamics), so the best k is a noisy estimate.');
console.log(`return = -(state cost + action cost); the reward cap at 0 changed ${capped} rewards. Noise: N(0, 0.25) on the observed sensors, seed fixed per mu (the same noise stream for every k).`);

const abs = results.filter((r) => r.absSensors).flatMap((r) => r.absSensors!).sort((a, b) => a - b);
const rms = Math.sqrt(abs.reduce((s, x) => s + x * x, 0) / abs.length);
const q = (p: number) => abs[Math.floor(p * (abs.length - 1))]!;
const rangeSet = [...new Set([...MUS, ...rangeMus])].sort((a, b) => a - b);
console.log(
  `uncontrolled sensor readings over mu in {${rangeSet.join(', ')}}: max |m| = ${abs[abs.length - 1]!.toFixed(2)}, ` +
    `99.9% within ${q(0.999).toFixed(2)}, 99% within ${q(0.99).toFixed(2)}, RMS ${rms.toFixed(2)}`,
);
