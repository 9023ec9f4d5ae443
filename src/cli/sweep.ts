import { availableParallelism } from 'node:os';
import { CommanderError, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { SparselawError } from '../errors.js';
import { readSpecFile, specFromFlags, SWEEP_COMMANDS, DEFAULT_QUEUE_NAME, type RunPlan } from '../sweep/spec.js';
import { openSweep, type RunRecord } from '../sweep/layout.js';
import { LocalSweep, type SweepCounts, type SweepOutcome } from '../sweep/local.js';
import { summarize, summaryTable, writeSummary } from '../sweep/aggregate.js';
import { parseCount } from './options.js';
import { resolveEnvEntry } from '../envs/module-env.js';
import { pinEnvModule } from '../sweep/env-module.js';

/** The sweep's own options; everything else on its command line belongs to the swept command. */
const OWN_OPTIONS = ['out', 'jobs', 'queue', 'queue-name'] as const;
type OwnOptions = Partial<Record<(typeof OWN_OPTIONS)[number], string>>;

/**
 * Commander stops recognising known options at the first unknown one, and in the flag form the
 * swept command's options come first: take the sweep's own options out of the remaining tokens.
 */
function extractOwn(tokens: readonly string[]): { own: OwnOptions; rest: string[] } {
  const own: OwnOptions = {};
  const rest: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const eq = t.indexOf('=');
    const name = t.startsWith('--') ? (eq >= 0 ? t.slice(2, eq) : t.slice(2)) : '';
    if ((OWN_OPTIONS as readonly string[]).includes(name)) {
      const value = eq >= 0 ? t.slice(eq + 1) : tokens[++i];
      if (value === undefined) throw new SparselawError(`sweep: --${name} needs a value`);
      own[name as keyof OwnOptions] = value;
    } else rest.push(t);
  }
  return { own, rest };
}

function progressReporter(): { update: (c: SweepCounts, e?: { run: RunPlan; record: RunRecord }) => void; stop: () => void } {
  const stream = process.stderr;
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'runs [{bar}] {value}/{total} done, {running} running, {failed} failed', stream, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(c) {
        if (!started) {
          bar.start(c.total, c.done, { running: c.running, failed: c.failed });
          started = true;
        } else bar.update(c.done, { running: c.running, failed: c.failed });
      },
      stop: () => bar.stop(),
    };
  }
  // Plain lines for logs: one whenever the counts change (a run started, finished or failed).
  let last = '';
  return {
    update(c, e) {
      const counts = `[${c.done}/${c.total} done, ${c.running} running, ${c.failed} failed]`;
      if (e) {
        const what = e.record.status === 'failed' ? `failed: ${e.record.error}` : `${e.record.status} in ${e.record.seconds.toFixed(1)} s`;
        stream.write(`${e.run.id} ${what} ${counts}\n`);
      } else if (counts !== last) stream.write(`runs ${counts}\n`);
      last = counts;
    },
    stop() {},
  };
}

export function register(program: Command): void {
  program
    .command('sweep')
    .description('run the cross product of train or discover options (seeds, lambdas, libraries, policies), one run directory each, on all cores or through a queue')
    .argument('<spec>', `a sweep spec (JSON), or the command to sweep: ${SWEEP_COMMANDS.join(' | ')}`)
    .argument('[options...]', 'flag form: the command\'s arguments and options; "a,b,c" or "1..5" makes an axis (e.g. train pendulum --policy poly:3,mlp --seed 1..5)')
    .option('--out <dir>', 'sweep directory (sweep.json, runs/, summary.json, summary.csv, runs.csv, curves.csv)')
    .option('--jobs <n>', 'runs at a time on this machine (default: the number of cores)')
    .option('--queue <url>', 'enqueue the runs on a Redis queue (redis://HOST:PORT) for `sparselaw worker`s and collect their results')
    .option('--queue-name <name>', 'queue name', DEFAULT_QUEUE_NAME)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (first: string, tokens: string[], parsed: OwnOptions & { queueName?: string }) => {
      const { own, rest } = extractOwn(tokens);
      const out = own.out ?? parsed.out;
      if (!out) throw new SparselawError('sweep: --out <dir> is required');
      const jobsText = own.jobs ?? parsed.jobs;
      let jobs = availableParallelism();
      if (jobsText !== undefined) {
        try {
          jobs = parseCount(jobsText);
        } catch (err) {
          throw new SparselawError(`sweep: --jobs: ${(err as Error).message}`);
        }
      }
      const queueUrl = own.queue ?? parsed.queue;
      const queueName = own['queue-name'] ?? parsed.queueName ?? DEFAULT_QUEUE_NAME;
      let spec;
      if ((SWEEP_COMMANDS as readonly string[]).includes(first)) spec = specFromFlags([first, ...rest], program);
      else {
        if (rest.length > 0) throw new SparselawError(`sweep: unexpected "${rest[0]}" after the spec file ${first}; options of the runs belong in the spec`);
        spec = readSpecFile(first, program);
      }
      // Every run loads the environment: an unknown id or a module that does not load fails here, once, before any run starts.
      const envId = spec.command === 'train' && spec.arguments[0] !== undefined ? (await resolveEnvEntry(spec.arguments[0])).id : undefined;
      const sweep = openSweep(out, spec);
      if (envId !== undefined) pinEnvModule(sweep.dir, envId);
      const reporter = progressReporter();
      // The queue client (BullMQ, ioredis) loads only when a queue is used: it is slow to import.
      const runner = queueUrl ? new (await import('../sweep/queue.js')).QueuedSweep(sweep, { url: queueUrl, queueName, onUpdate: reporter.update }) : new LocalSweep(sweep, { jobs, onUpdate: reporter.update });
      const onSignal = (): void => {
        if (!runner.interrupted) {
          process.stderr.write(queueUrl ? '\ninterrupted: the jobs stay in the queue; run the same command again to collect them\n' : '\ninterrupted: stopping every run at its next checkpoint (Ctrl-C again to stop at once)\n');
        }
        runner.interrupt();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let outcome: SweepOutcome;
      try {
        outcome = await runner.run();
      } finally {
        reporter.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      const configs = summarize(sweep);
      writeSummary(sweep, configs);
      const lines = [summaryTable(sweep, configs)];
      lines.push(`${outcome.done} of ${outcome.total} runs done (${outcome.skipped} from before), ${outcome.failed} failed, ${outcome.interrupted} interrupted; wrote ${out}/summary.json, summary.csv, runs.csv`);
      process.stdout.write(lines.join('\n') + '\n');
      if (runner.interrupted) {
        process.stderr.write(`stopped; run the same command again to ${queueUrl ? 'collect the rest' : 'resume'}\n`);
        throw new CommanderError(130, 'sparselaw.interrupted', 'interrupted');
      }
      if (outcome.failed > 0) {
        const list = outcome.failures.map((f) => `  ${f.id}: ${f.error}`).join('\n');
        throw new SparselawError(`${outcome.failed} of ${outcome.total} runs failed (logs in ${out}/runs/<run>/stderr.log):\n${list}`);
      }
    });
}
