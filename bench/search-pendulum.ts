/**
 * The derivative-free sparse search on the Pendulum swing-up, as a user runs it: the plain command
 * `sparselaw train pendulum --algo es --seed N` for seeds 1-3, one table row each (terms, the mean of
 * the environment's 10 evaluation episodes, wall time, env steps).
 * Run: node dist/bench/search-pendulum.js [seeds]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from '../src/cli/table.js';

const BIN = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));
const seeds = (process.argv[2] ?? '1,2,3').split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), 'sparselaw-search-bench-'));
const rows: string[][] = [];
try {
  for (const seed of seeds) {
    const out = join(dir, `seed-${seed}`);
    const r = spawnSync(process.execPath, [BIN, 'train', 'pendulum', '--algo', 'es', '--seed', String(seed), '--out', out], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`seed ${seed}: ${r.stderr}`);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const law = JSON.parse(readFileSync(join(out, 'law.json'), 'utf8'));
    rows.push([String(seed), String(summary.terms), summary.finalEval.mean.toFixed(1), summary.seconds.toFixed(1), summary.envSteps.toExponential(2), law.outputs[0].text]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(formatTable(['seed', 'terms', 'evaluation mean (10 episodes)', 'wall time (s)', 'env steps', 'law'], rows));
