/**
 * TD3 updates per second: the tfjs update as it was (src/rl/td3-tfjs.ts) against Td3 (critics on
 * XNNPACK buffers, on one thread and on two), in one process so contention hits all alike, for the
 * pendulum shapes (3 observations, 1 action) and the Kuramoto-Sivashinsky shapes (8 sensors and mu,
 * 8 actions, sparse actor poly:3 over 9 inputs = 220 terms x 8 actions), batch 256.
 * Run: npm run build && node dist/bench/td3-throughput.js [--updates 200] [--widths 256] [--configs all]
 */
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../src/backend.js';
import { Td3, TD3_DEFAULTS, type Td3Options } from '../src/rl/td3.js';
import { Td3Tfjs } from './td3-tfjs.js';
import { ReplayBuffer } from '../src/rl/replay-buffer.js';
import type { ActorSpec } from '../src/rl/actor.js';
import { XnnKernels } from '../src/nn/xnn.js';
import { formatTable } from '../src/cli/table.js';
import { Rng } from '../src/util/rng.js';
import { getEnvEntry, resolveEnvOptions } from '../src/envs/index.js';

const { values } = parseArgs({
  options: {
    updates: { type: 'string', default: '200' },
    widths: { type: 'string', default: '256' },
    configs: { type: 'string', default: 'pendulum-sparse,pendulum-mlp,ks-sparse,ks-mlp' },
  },
});
const UPDATES = Number(values.updates);
const BATCH = 256;
await initBackend();

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};


/** The agent's shapes as the training loop builds them from the registry entry. */
function specOf(name: 'pendulum' | 'ks'): ActorSpec {
  const entry = getEnvEntry(name);
  const env = entry.create(resolveEnvOptions(entry, {}));
  return {
    inputNames: [...env.observationNames, ...env.parameterNames],
    actionNames: env.actionNames,
    inputScale: entry.inputScale(env),
    actionLow: Float64Array.from(env.actionLow),
    actionHigh: Float64Array.from(env.actionHigh),
    seed: 1,
  };
}
const PENDULUM = specOf('pendulum');
// KS: 8 sensors and mu (the critic sees 10 mu), 8 actuators.
const KS = specOf('ks');

function filledBuffer(spec: ActorSpec): ReplayBuffer {
  const o = spec.inputNames.length;
  const a = spec.actionNames.length;
  const buf = new ReplayBuffer(20_000, o, a);
  const rng = Rng.seeded(7);
  const obs = new Float64Array(o);
  const next = new Float64Array(o);
  const act = new Float64Array(a);
  for (let i = 0; i < 20_000; i++) {
    for (let j = 0; j < o; j++) {
      obs[j] = rng.normal() * spec.inputScale[j]! * 0.5;
      next[j] = obs[j]! + 0.05 * rng.normal() * spec.inputScale[j]!;
    }
    for (let j = 0; j < a; j++) act[j] = rng.range(spec.actionLow[j]!, spec.actionHigh[j]!);
    buf.add(obs, act, -rng.uniform() * 10, next, false);
  }
  return buf;
}

interface Engine {
  update: (b: ReturnType<ReplayBuffer['sample']>, rng: Rng) => unknown;
  dispose: () => unknown;
  busy?: () => [number, number];
}

async function makeEngine(kind: 'tfjs' | 'fast1' | 'fast2', spec: ActorSpec, options: Td3Options): Promise<Engine> {
  if (kind === 'tfjs') {
    const t = new Td3Tfjs(spec, options);
    return { update: (b, r) => t.update(b, r), dispose: () => t.dispose() };
  }
  const f = await Td3.create(spec, options, undefined, { threads: kind === 'fast1' ? 1 : 2 });
  return { update: (b, r) => f.update(b, r), dispose: () => f.dispose(), busy: () => [f.critics.io.busy[0]!, f.critics.io.busy[1]!] };
}


type Kind = 'tfjs' | 'fast1' | 'fast2';
interface Timing {
  ms: number;
  cpu: number;
  busy?: [number, number];
}

/**
 * The three engines timed in interleaved blocks (A B C A B C ...), so that load from other
 * processes, which comes and goes, hits all three alike. Per engine: milliseconds per update
 * (median over the blocks), CPU milliseconds per update summed over all threads (the work itself,
 * which other processes inflate far less than wall time), and the critic threads' busy time.
 */
async function timeAll(kinds: Kind[], spec: ActorSpec, options: Td3Options, buf: ReplayBuffer): Promise<Timing[]> {
  const engines = await Promise.all(kinds.map((k) => makeEngine(k, spec, options)));
  const rngs = kinds.map(() => Rng.seeded(3));
  const batches = rngs.map((r) => buf.sample(BATCH, r));
  engines.forEach((e, j) => {
    for (let i = 0; i < 10; i++) e.update(buf.sample(BATCH, rngs[j]!, batches[j]), rngs[j]!);
  });
  const BLOCKS = 5;
  const per = Math.max(2, Math.round(UPDATES / BLOCKS / 2) * 2);
  const wall = kinds.map((): number[] => []);
  const cpu = kinds.map(() => 0);
  const busy0 = engines.map((e) => e.busy?.());
  for (let b = 0; b < BLOCKS; b++) {
    engines.forEach((e, j) => {
      const c0 = cpuMs();
      const t0 = performance.now();
      for (let i = 0; i < per; i++) e.update(buf.sample(BATCH, rngs[j]!, batches[j]), rngs[j]!);
      wall[j]!.push((performance.now() - t0) / per);
      cpu[j]! += cpuMs() - c0;
    });
  }
  const n = BLOCKS * per;
  const out = engines.map((e, j): Timing => {
    const b0 = busy0[j];
    const b1 = e.busy?.();
    const sorted = [...wall[j]!].sort((x, y) => x - y);
    return { ms: sorted[Math.floor(BLOCKS / 2)]!, cpu: cpu[j]! / n, busy: b0 && b1 ? [(b1[0] - b0[0]) / n, (b1[1] - b0[1]) / n] : undefined };
  });
  for (const e of engines) await e.dispose();
  return out;
}

/** Multiply-adds of one update on one critic thread: target forward, forward, backward (two products per layer but the first). */
function criticMacs(inDim: number, width: number): { perCritic: number; actorGrad: number } {
  const layers = [inDim * width, width * width, width];
  const fwd = BATCH * layers.reduce((s, v) => s + v, 0);
  const bwd = BATCH * (2 * layers[2]! + 2 * layers[1]! + layers[0]!);
  // The actor step (every second update) adds a forward and an input-gradient pass on critic 0.
  return { perCritic: 2 * fwd + bwd, actorGrad: (fwd + BATCH * (2 * layers[2]! + 2 * layers[1]! + layers[0]!)) / 2 };
}

// One XNNPACK 256x256x256 product, measured here in CPU time (like the CPU column), to turn
// multiply-adds into milliseconds.
const k = await XnnKernels.load();
const A = k.alloc(256 * 256);
const B = k.alloc(256 * 256);
const O = k.alloc(256 * 256);
for (let i = 0; i < 10; i++) k.matMul(A, 256, 256, B, 256, O);
const mmCpu0 = cpuMs();
const mmWall0 = performance.now();
for (let i = 0; i < 50; i++) k.matMul(A, 256, 256, B, 256, O);
const mmCpu = (cpuMs() - mmCpu0) / 50;
const mmWall = (performance.now() - mmWall0) / 50;
const macPerMs = (256 * 256 * 256) / mmCpu;

console.log(`TD3 update throughput, batch ${BATCH}, ${UPDATES} timed updates per cell (median of 5 blocks); ${describeBackend()}; ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(2)} at start`);
console.log(`one 256x256x256 XNNPACK product: ${mmCpu.toFixed(2)} ms of CPU (${((2 * macPerMs) / 1e6).toFixed(1)} GFLOP/s on one core), ${mmWall.toFixed(2)} ms wall\n`);

const rows: string[][] = [];
const notes: string[] = [];
for (const width of values.widths!.split(',').map(Number)) {
  for (const config of values.configs!.split(',')) {
    const [envName, policyKind] = config.split('-') as ['pendulum' | 'ks', 'sparse' | 'mlp'];
    const spec = envName === 'ks' ? KS : PENDULUM;
    const policy = policyKind === 'mlp' ? 'mlp' : 'poly:3';
    const options: Td3Options = { ...TD3_DEFAULTS, criticHidden: [width, width], policy, lambda: envName === 'ks' ? 5e-4 : 5e-3, policyNoise: envName === 'ks' ? 0 : TD3_DEFAULTS.policyNoise };
    const buf = filledBuffer(spec);
    const [old, one, two] = (await timeAll(['tfjs', 'fast1', 'fast2'], spec, options, buf)) as [Timing, Timing, Timing];
    const inDim = spec.inputNames.length + spec.actionNames.length;
    const macs = criticMacs(inDim, width);
    const label = `${envName === 'ks' ? 'KS' : 'pendulum'} ${policyKind === 'mlp' ? 'MLP actor' : 'sparse poly:3'}${envName === 'ks' && policyKind === 'sparse' ? ' (220x8)' : ''}`;
    const cell = (r: { ms: number; cpu: number }): string => `${r.ms.toFixed(1)} ms = ${(1000 / r.ms).toFixed(0)}/s (CPU ${r.cpu.toFixed(1)} ms)`;
    rows.push([label, String(width), cell(old), cell(one), cell(two), `${(old.ms / two.ms).toFixed(1)}x (CPU ${(old.cpu / two.cpu).toFixed(1)}x)`]);
    const [b0, b1] = two.busy ?? [NaN, NaN];
    const products = (2 * macs.perCritic + macs.actorGrad) / macPerMs;
    const evenShare = two.cpu / 2;
    notes.push(
      `${label}, width ${width}: ${two.cpu.toFixed(1)} ms of CPU per update over all threads, of which the critics' matrix products (${(macs.perCritic * 2 + macs.actorGrad) / 1e6 | 0}M multiply-adds) take about ${products.toFixed(1)} ms at the product rate above; ` +
        `critic threads busy ${b0.toFixed(1)} / ${b1.toFixed(1)} ms. ` +
        (two.ms < 1.25 * evenShare
          ? `Bound: CPU, both cores busy (${two.ms.toFixed(1)} ms wall against ${evenShare.toFixed(1)} ms for an even split of the work); the products are ${((100 * products) / two.cpu).toFixed(0)}% of it.`
          : `Bound: waiting, ${(two.ms - evenShare).toFixed(1)} ms per update beyond an even split of the work over 2 cores (other processes on the machine, thread sync, the actor's serial part).`),
    );
    tf.disposeVariables();
  }
}
console.log(formatTable(['configuration', 'critic width', 'tfjs update (before)', 'XNNPACK critics, 1 thread', 'XNNPACK critics, 2 threads', 'speed-up (2 threads)'], rows));
console.log(`\nwhat bounds each configuration (2 critic threads):\n${notes.map((n) => `- ${n}`).join('\n')}`);
console.log(`load average at the end: ${loadavg()[0]!.toFixed(2)}`);
