/**
 * The cost of a process environment per step: the same double integrator as an ES module (in
 * process), as a Python process over the JSON-lines protocol (the process environment: a worker
 * thread owns the pipe, the caller waits on shared memory), and as a Python process started anew
 * for every step (spawnSync: the obvious synchronous alternative), stepped with the same random
 * actions, side by side in one run. Run: node dist/bench/process-env.js [episodes] [spawned steps]
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadEnvModule } from '../src/envs/module-env.js';
import { closeEnv } from '../src/envs/env-state.js';
import type { EnvEntry } from '../src/envs/registry.js';
import { Rng } from '../src/util/rng.js';
import { formatTable } from '../src/cli/table.js';

const episodes = Number(process.argv[2] ?? 20);
const spawnedSteps = Number(process.argv[3] ?? 100);
const example = (name: string) => fileURLToPath(new URL(`../../examples/envs/${name}`, import.meta.url));
const python = process.env.SPARSELAW_PYTHON ?? 'python3';

function timeEntry(entry: EnvEntry): { steps: number; seconds: number } {
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
  const seconds = (performance.now() - t0) / 1000;
  closeEnv(env);
  return { steps, seconds };
}

/**
 * One program run per step: restore the state, step, read the state back. The interpreter itself is
 * started (not a launcher such as a pyenv shim, which costs a quarter of a second more each time).
 */
function timeSpawnPerStep(): { steps: number; seconds: number } {
  const script = example('double_integrator.py');
  const interpreter = spawnSync(python, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
  const ask = (lines: object[]): Record<string, unknown>[] => {
    const r = spawnSync(interpreter, [script], { input: lines.map((l) => JSON.stringify(l)).join('\n') + '\n', encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${python} ${script}: ${r.stderr}`);
    return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  };
  const rng = Rng.seeded(1);
  const t0 = performance.now();
  let state = ask([{ op: 'reset', seed: 0, parameters: null }, { op: 'get_state' }])[1]!.state;
  for (let t = 0; t < spawnedSteps; t++) state = ask([{ op: 'set_state', state }, { op: 'step', action: [rng.range(-1, 1)] }, { op: 'get_state' }])[2]!.state;
  return { steps: spawnedSteps, seconds: (performance.now() - t0) / 1000 };
}

const rows: string[][] = [];
let base = 0;
const add = (label: string, { steps, seconds }: { steps: number; seconds: number }): void => {
  const rate = steps / seconds;
  if (base === 0) base = rate;
  rows.push([label, String(steps), rate.toFixed(0), ((1e6 * seconds) / steps).toFixed(1), (base / rate).toFixed(0)]);
};
const load = loadavg()[0]!.toFixed(1);
add('ES module (in process)', timeEntry(await loadEnvModule(example('double-integrator.mjs'))));
add('Python process, JSON lines', timeEntry(await loadEnvModule(example('double-integrator-python.mjs'))));
add('Python started per step (spawnSync)', timeSpawnPerStep());
console.log(formatTable(['double integrator', 'steps', 'steps/s', 'us per step', 'slower than in process'], rows));
console.log(`load average ${load} at the start, ${loadavg()[0]!.toFixed(1)} at the end (${process.env.SPARSELAW_PYTHON ?? 'python3'}, 2-core machine shared with other work)`);
