/**
 * The cost of a process environment per step: the same double integrator as an ES module (in
 * process) and as a Python process over the JSON-lines protocol, stepped with the same random
 * actions, side by side. Run: node dist/bench/process-env.js [episodes]
 */
import { fileURLToPath } from 'node:url';
import { loadEnvModule } from '../src/envs/module-env.js';
import type { EnvEntry } from '../src/envs/registry.js';
import { Rng } from '../src/util/rng.js';
import { formatTable } from '../src/cli/table.js';

const episodes = Number(process.argv[2] ?? 20);
const path = (name: string) => fileURLToPath(new URL(`../../examples/envs/${name}`, import.meta.url));

function stepsPerSecond(entry: EnvEntry): { steps: number; seconds: number } {
  const env = entry.create({});
  const rng = Rng.seeded(1);
  let steps = 0;
  const t0 = performance.now();
  for (let e = 0; e < episodes; e++) {
    env.reset({ seed: e });
    for (;;) {
      steps++;
      const r = env.step([rng.range(-1, 1)]);
      if (r.terminated || r.truncated) break;
    }
  }
  (env as { close?: () => void }).close?.();
  return { steps, seconds: (performance.now() - t0) / 1000 };
}

const rows: string[][] = [];
let base = 0;
for (const [label, file] of [['ES module (in process)', 'double-integrator.mjs'], ['Python process, JSON lines', 'double-integrator-python.mjs']] as const) {
  const { steps, seconds } = stepsPerSecond(await loadEnvModule(path(file)));
  const rate = steps / seconds;
  if (base === 0) base = rate;
  rows.push([label, String(steps), rate.toFixed(0), ((1e6 * seconds) / steps).toFixed(1), (base / rate).toFixed(0)]);
}
console.log(formatTable(['double integrator', 'steps', 'steps/s', 'us per step', 'slower than in process'], rows));
