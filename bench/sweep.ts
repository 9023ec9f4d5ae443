/**
 * The same training runs one after another and on the pool of `sparselaw sweep`, in one process so
 * that the machine's other load hits both: wall time, speed-up, and whether each seed's result (law
 * and final evaluation) is identical.
 *
 * Run: npx tsc -p tsconfig.json && node dist/bench/sweep.js [--episodes 60] [--seeds 4] [--jobs 2]
 */
import { parseArgs } from 'node:util';
import { availableParallelism, tmpdir } from 'node:os';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../src/cli/main.js';
import { specFromFlags } from '../src/sweep/spec.js';
import { openSweep, runDir, type Sweep } from '../src/sweep/layout.js';
import { LocalSweep } from '../src/sweep/local.js';
import { formatTable } from '../src/cli/table.js';

const { values } = parseArgs({
  options: {
    episodes: { type: 'string', default: '60' },
    seeds: { type: 'string', default: '4' },
    jobs: { type: 'string', default: String(availableParallelism()) },
    policy: { type: 'string', default: 'poly:3' },
  },
});
const seeds = Number(values.seeds);
const jobs = Number(values.jobs);
const tokens = ['train', 'pendulum', '--policy', values.policy!, '--episodes', values.episodes!, '--seed', `1..${seeds}`];
const program = buildProgram();
const dir = mkdtempSync(join(tmpdir(), 'sparselaw-bench-sweep-'));

/** CPU seconds (user + system) of this process's finished children: the runs' own work, all threads. */
function childrenCpuSeconds(): number {
  // /proc/self/stat fields 16 and 17 (cutime, cstime), in clock ticks; the command name (field 2) may hold spaces.
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

async function timed(name: string, poolSize: number): Promise<{ sweep: Sweep; seconds: number; cpu: number }> {
  const sweep = openSweep(join(dir, name), specFromFlags(tokens, program));
  const cpu0 = childrenCpuSeconds();
  const start = performance.now();
  const outcome = await new LocalSweep(sweep, { jobs: poolSize }).run();
  const seconds = (performance.now() - start) / 1000;
  const cpu = childrenCpuSeconds() - cpu0;
  if (outcome.failed > 0) throw new Error(`${name}: ${outcome.failures.map((f) => `${f.id}: ${f.error}`).join('; ')}`);
  process.stderr.write(`${name}: ${seconds.toFixed(1)} s, ${cpu.toFixed(1)} s CPU\n`);
  return { sweep, seconds, cpu };
}

function result(sweep: Sweep, i: number): string {
  const d = runDir(sweep, sweep.runs[i]!);
  const summary = JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')) as { finalEval: unknown };
  const law = existsSync(join(d, 'law.json')) ? (JSON.parse(readFileSync(join(d, 'law.json'), 'utf8')) as { metrics?: Record<string, unknown> }) : undefined;
  delete law?.metrics?.seconds;
  return JSON.stringify({ finalEval: summary.finalEval, law });
}

try {
  process.stderr.write(`${seeds} runs of \`sparselaw ${tokens.join(' ')}\`, ${availableParallelism()} cores\n`);
  const sequential = await timed('sequential', 1);
  // The same, each run's critics in one thread (as the pool runs them).
  process.env.SPARSELAW_THREADS = '1';
  const sequential1 = await timed('sequential-1', 1);
  delete process.env.SPARSELAW_THREADS;
  const pool = await timed('pool', jobs);
  const identical = sequential.sweep.runs.map((_, i) => result(sequential.sweep, i) === result(pool.sweep, i) && result(sequential1.sweep, i) === result(pool.sweep, i));
  const finalMean = (s: Sweep, i: number): string => (JSON.parse(result(s, i)) as { finalEval: { mean: number } }).finalEval.mean.toFixed(1);
  console.log(`${seeds} runs of \`sparselaw ${tokens.join(' ')}\` (${availableParallelism()} cores)\n`);
  console.log(
    formatTable(
      ['mode', 'runs at a time', 'wall time', 'CPU time of the runs', 'speed-up'],
      [
        ['sequential (critics in 2 threads where 2 cores)', '1', `${sequential.seconds.toFixed(1)} s`, `${sequential.cpu.toFixed(1)} s`, '1.00x'],
        ['sequential, SPARSELAW_THREADS=1', '1', `${sequential1.seconds.toFixed(1)} s`, `${sequential1.cpu.toFixed(1)} s`, `${(sequential.seconds / sequential1.seconds).toFixed(2)}x`],
        ['sweep pool (1 thread per run)', String(jobs), `${pool.seconds.toFixed(1)} s`, `${pool.cpu.toFixed(1)} s`, `${(sequential.seconds / pool.seconds).toFixed(2)}x (${(sequential1.seconds / pool.seconds).toFixed(2)}x against 1 thread)`],
      ],
    ),
  );
  // No schedule of these runs on the cores can finish before their CPU time divided by the cores.
  const cores = availableParallelism();
  const floor = pool.cpu / cores;
  console.log(
    `\nbound: the pool's runs need ${pool.cpu.toFixed(1)} s of CPU, so ${cores} cores cannot finish them in under ${floor.toFixed(1)} s: ` +
      `at most ${(sequential.seconds / floor).toFixed(2)}x against the sequential default and ${(sequential1.seconds / floor).toFixed(2)}x against one thread per run ` +
      `(the pool reaches ${((floor / pool.seconds) * 100).toFixed(0)}% of that)`,
  );
  console.log('');
  console.log(
    formatTable(
      ['seed', 'final return (sequential)', 'final return (pool)', 'law and evaluation identical (all three)'],
      sequential.sweep.runs.map((r, i) => [String(r.point.seed), finalMean(sequential.sweep, i), finalMean(pool.sweep, i), identical[i] ? 'yes' : 'NO']),
    ),
  );
  if (!identical.every(Boolean)) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
