/**
 * The derivative-free sparse search as a user runs it: the plain command
 * `sparselaw train TASK --algo es --seed N` for each task and seed, one table row each (terms, the
 * mean of the environment's evaluation episodes, wall time, env steps), then the median per task.
 * Run: node dist/bench/search-tasks.js [tasks, default pendulum] [seeds, default 1,2,3] [more train options]
 * e.g. `node dist/bench/search-tasks.js hopper 1 --harden-at 0` for the dense law without gates.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from '../src/cli/table.js';

const BIN = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));
const tasks = (process.argv[2] ?? 'pendulum').split(',');
const seeds = (process.argv[3] ?? '1,2,3').split(',').map(Number);
const extra = process.argv.slice(4);
const dir = mkdtempSync(join(tmpdir(), 'sparselaw-search-bench-'));
const rows: string[][] = [];
const medians: string[][] = [];
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
try {
  for (const task of tasks) {
    const runs: { terms: number; mean: number; seconds: number }[] = [];
    for (const seed of seeds) {
      const out = join(dir, `${task}-seed-${seed}`);
      const r = spawnSync(process.execPath, [BIN, 'train', task, '--algo', 'es', ...extra, '--seed', String(seed), '--out', out], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${task} seed ${seed}: ${r.stderr}`);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      const law = JSON.parse(readFileSync(join(out, 'law.json'), 'utf8'));
      runs.push({ terms: summary.terms, mean: summary.finalEval.mean, seconds: summary.seconds });
      const text = law.outputs.map((o: { text: string }) => o.text).join('; ');
      rows.push([task, String(seed), String(summary.terms), summary.finalEval.mean.toFixed(1), summary.seconds.toFixed(1), summary.envSteps.toExponential(2), text]);
    }
    medians.push([task, String(median(runs.map((x) => x.terms))), median(runs.map((x) => x.mean)).toFixed(1), median(runs.map((x) => x.seconds)).toFixed(1)]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(formatTable(['task', 'seed', 'terms', 'evaluation mean', 'wall time (s)', 'env steps', 'law'], rows));
console.log();
console.log(formatTable(['task', 'median terms', 'median evaluation mean', 'median wall time (s)'], medians));
