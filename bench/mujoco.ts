/**
 * MuJoCo tasks: environment steps per second on the official WebAssembly build (mujoco-js) against
 * the native MuJoCo library (Debian's libmujoco-dev, through a small C program this bench compiles
 * with gcc), each on one core and on two.
 *
 *   npm run build && node dist/bench/mujoco.js [--seconds 1] [--rounds 3] [--warmup 4] [--tasks hopper,swimmer]
 *
 * Workloads per task, all with uniform random actions in the control range held for the task's
 * frame skip:
 * - native: the C program (bench/reference/mujoco_step.c) steps the task's model, mj_resetData
 *   every episode length; on two cores, two such processes at once.
 * - wasm loop: the same loop in JavaScript on mujoco-js (mj_step and the ctrl view only).
 * - Env: sparselaw's environment (observation, reward terms, termination, reset with noise); on two
 *   cores, one environment in each of two worker threads.
 * Measurements interleave (native, wasm, Env, round after round) and each cell is the median over
 * the rounds, so a shared machine's load hits every column alike; the ratios are the robust numbers.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { MUJOCO_ENTRIES, loadMujoco, type MujocoEntry, type MujocoEnv } from '../src/envs/mujoco/index.js';
import { compiledModel } from '../src/envs/mujoco/runtime.js';
import { formatTable } from '../src/cli/table.js';

const C_SOURCE = fileURLToPath(new URL('../../bench/reference/mujoco_step.c', import.meta.url));

type Mode = 'wasm' | 'env';
interface Job {
  task: string;
  mode: Mode;
  seconds: number;
}

/** xorshift32, as the C program: the same action sequence on both sides. */
function xorshift(seed = 2463534242) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const entryOf = (id: string): MujocoEntry => {
  const entry = MUJOCO_ENTRIES.find((e) => e.id === id);
  if (!entry) throw new Error(`unknown MuJoCo task "${id}"; tasks: ${MUJOCO_ENTRIES.map((e) => e.id).join(', ')}`);
  return entry;
};

/** Environment steps per second of one workload in this thread, for `seconds` of wall time. */
async function measure({ task, mode, seconds }: Job): Promise<number> {
  const entry = entryOf(task);
  const mj = await loadMujoco();
  const uniform = xorshift();
  let steps = 0;
  const start = performance.now();
  let elapsed = 0;
  if (mode === 'env') {
    const env = entry.create({}) as MujocoEnv;
    const low = env.actionLow;
    const high = env.actionHigh;
    const action = new Float64Array(low.length);
    env.reset({ seed: 1 });
    while (elapsed < seconds) {
      for (let k = 0; k < 100; k++) {
        for (let i = 0; i < action.length; i++) action[i] = low[i]! + (high[i]! - low[i]!) * uniform();
        const r = env.step(action);
        steps++;
        if (r.terminated || r.truncated) env.reset();
      }
      elapsed = (performance.now() - start) / 1000;
    }
    env.close();
  } else {
    const model = compiledModel(mj, entry.id, entry.task.xml);
    const data = new mj.MjData(model);
    const range = model.actuator_ctrlrange as Float64Array;
    const frameSkip = entry.task.frameSkip;
    const episode = entry.task.maxEpisodeSteps;
    mj.mj_resetData(model, data);
    while (elapsed < seconds) {
      for (let k = 0; k < 100; k++) {
        const ctrl = data.ctrl as Float64Array;
        for (let i = 0; i < ctrl.length; i++) ctrl[i] = range[2 * i]! + (range[2 * i + 1]! - range[2 * i]!) * uniform();
        for (let f = 0; f < frameSkip; f++) mj.mj_step(model, data);
        if (++steps % episode === 0) mj.mj_resetData(model, data);
      }
      elapsed = (performance.now() - start) / 1000;
    }
    data.delete();
  }
  return steps / elapsed;
}

/**
 * Runs every workload of the tasks for a while unmeasured: V8 first runs WebAssembly on its baseline
 * compiler and swaps in optimised code from background threads, which on a loaded machine takes
 * seconds (measured: Hopper's first second at a tenth of its later speed).
 */
async function warmUp(tasks: readonly string[], seconds: number): Promise<void> {
  for (const task of tasks) for (const mode of ['wasm', 'env'] as const) await measure({ task, mode, seconds: seconds / (2 * tasks.length) });
}

/** Compiles the C program against libmujoco into `dir`; a one-line error says what is missing. */
function buildNative(dir: string): string {
  const binary = join(dir, 'mujoco_step');
  try {
    execFileSync('gcc', ['-O2', '-o', binary, C_SOURCE, '-lmujoco'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const detail = (err as { stderr?: Buffer }).stderr?.toString().split('\n')[0] ?? String(err);
    throw new Error(`could not build the native MuJoCo program (needs gcc and libmujoco-dev: apt-get install -y gcc libmujoco-dev): ${detail}`);
  }
  return binary;
}

/** Runs `copies` native processes at once on a task's model; their summed environment steps per second. */
async function native(binary: string, xml: string, entry: MujocoEntry, seconds: number, copies: number): Promise<{ rate: number; version: string }> {
  const runs = Array.from(
    { length: copies },
    () =>
      new Promise<{ envSteps: number; seconds: number; version: string }>((resolve, reject) => {
        const child = spawn(binary, [xml, String(entry.task.frameSkip), String(entry.task.maxEpisodeSteps), String(seconds)]);
        let out = '';
        let err = '';
        child.stdout.on('data', (b: Buffer) => (out += b.toString()));
        child.stderr.on('data', (b: Buffer) => (err += b.toString()));
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`native ${entry.id}: ${err.trim() || `exit ${code}`}`))));
      }),
  );
  const results = await Promise.all(runs);
  return { rate: results.reduce((s, r) => s + r.envSteps / r.seconds, 0), version: results[0]!.version };
}

/** Two persistent worker threads, each with its own mujoco-js instance. */
async function startWorkers(n: number, tasks: string[], warmup: number): Promise<Worker[]> {
  const workers = Array.from({ length: n }, () => new Worker(new URL(import.meta.url), { workerData: { tasks, warmup } }));
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('error', reject);
          w.once('message', () => {
            w.off('error', reject);
            resolve();
          });
        }),
    ),
  );
  return workers;
}

/** Sends the job to every worker at once; their summed rates. A worker's error rejects. */
async function onWorkers(workers: Worker[], job: Job): Promise<number> {
  const rates = await Promise.all(
    workers.map(
      (w) =>
        new Promise<number>((resolve, reject) => {
          const fail = (err: Error) => reject(err);
          w.once('error', fail);
          w.once('message', (rate: number) => {
            w.off('error', fail);
            resolve(rate);
          });
          w.postMessage(job);
        }),
    ),
  );
  return rates.reduce((s, r) => s + r, 0);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const k = (x: number) => (x >= 1e4 ? `${(x / 1000).toFixed(1)}k` : x.toFixed(0));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '3' },
      tasks: { type: 'string', default: MUJOCO_ENTRIES.map((e) => e.id).join(',') },
      warmup: { type: 'string', default: '4' },
    },
  });
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const warmup = Number(values.warmup);
  if (!(warmup >= 0)) throw new Error(`--warmup must be a number of seconds >= 0, got ${values.warmup}`);
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
  const entries = values.tasks.split(',').map((id) => entryOf(id.trim()));
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-mujoco-bench-'));
  try {
    const binary = buildNative(dir);
    const mj = await loadMujoco();
    const ids = entries.map((e) => e.id);
    // The workers warm up while this thread does (each thread has its own compiled module).
    const [workers] = await Promise.all([startWorkers(2, ids, warmup), warmUp(ids, warmup)]);
    const loadBefore = loadavg()[0]!;
    const rows: string[][] = [];
    let nativeVersion = '';
    for (const entry of entries) {
      // MuJoCo 2.2 predates <size memory>: the native copy keeps the library's default arena.
      const xml = join(dir, `${entry.id}.xml`);
      writeFileSync(xml, entry.task.xml.replace(/\s*<size memory="[^"]*"\/>/, ''));
      const cells: Record<string, number[]> = { native1: [], native2: [], wasm1: [], wasm2: [], env1: [], env2: [] };
      for (let r = 0; r < rounds; r++) {
        const n1 = await native(binary, xml, entry, seconds, 1);
        nativeVersion = n1.version;
        cells.native1!.push(n1.rate);
        cells.wasm1!.push(await measure({ task: entry.id, mode: 'wasm', seconds }));
        cells.env1!.push(await measure({ task: entry.id, mode: 'env', seconds }));
        cells.native2!.push((await native(binary, xml, entry, seconds, 2)).rate);
        cells.wasm2!.push(await onWorkers(workers, { task: entry.id, mode: 'wasm', seconds }));
        cells.env2!.push(await onWorkers(workers, { task: entry.id, mode: 'env', seconds }));
      }
      const m = Object.fromEntries(Object.entries(cells).map(([key, xs]) => [key, median(xs)])) as Record<keyof typeof cells, number>;
      rows.push([
        entry.title,
        String(entry.task.frameSkip),
        k(m.native1),
        k(m.wasm1),
        k(m.env1),
        (m.wasm1 / m.native1).toFixed(2),
        (m.env1 / m.native1).toFixed(2),
        k(m.native2),
        k(m.wasm2),
        k(m.env2),
        (m.env2 / m.native2).toFixed(2),
      ]);
      process.stderr.write(`${entry.id} done\n`);
    }
    await Promise.all(workers.map((w) => w.terminate()));
    console.log(
      formatTable(
        ['task', 'frame skip', 'native 1 core', 'wasm loop 1 core', 'Env 1 core', 'wasm/native', 'Env/native', 'native 2 cores', 'wasm loop 2 cores', 'Env 2 cores', 'Env/native 2 cores'],
        rows,
      ),
    );
    console.log(
      `\nEnvironment steps per second, medians of ${rounds} interleaved rounds of ${seconds} s; native MuJoCo ${nativeVersion} (libmujoco-dev, gcc -O2), mujoco-js ${mj.mj_versionString()} (WebAssembly, Node ${process.versions.node}); ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after.`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!isMainThread) {
  // A worker measures what it is sent; its module is loaded and warmed up once, before the first job.
  const { tasks, warmup } = workerData as { tasks: string[]; warmup: number };
  await warmUp(tasks, warmup);
  parentPort!.on('message', (job: Job) => {
    void measure(job).then((rate) => parentPort!.postMessage(rate));
  });
  parentPort!.postMessage('ready');
} else {
  try {
    await main();
  } catch (err) {
    // Bad options and a missing native library are one line, not a stack trace.
    console.error(`bench/mujoco: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
