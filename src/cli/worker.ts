import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_QUEUE_NAME } from '../sweep/spec.js';
import { parseCount, parsePositiveNumber } from './options.js';

interface WorkerCliOptions {
  queue: string;
  queueName: string;
  concurrency?: number;
  lockSeconds: number;
  workDir?: string;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('take sweep runs (`sweep --queue`) and search rollouts (`train --algo es --queue`) from a Redis queue, run them, and report their results back, until stopped')
    .requiredOption('--queue <url>', 'the queue: redis://HOST:PORT')
    .option('--queue-name <name>', 'queue name', DEFAULT_QUEUE_NAME)
    .option('--concurrency <n>', 'runs at a time (default: the number of cores)', parseCount)
    .option('--lock-seconds <s>', 'a job whose worker goes silent this long is retried by another worker', parsePositiveNumber, 30)
    .option('--work-dir <dir>', 'scratch directory for running jobs (default: a temporary directory)')
    .action(async (options: WorkerCliOptions) => {
      const log = (line: string): void => {
        process.stdout.write(`${line}\n`);
      };
      const { SweepWorker } = await import('../sweep/queue.js');
      const worker = new SweepWorker({
        url: options.queue,
        queueName: options.queueName,
        concurrency: options.concurrency ?? availableParallelism(),
        lockSeconds: options.lockSeconds,
        workDir: options.workDir,
        log,
      });
      await worker.start();
      // Runs until SIGINT/SIGTERM: the first hands the running jobs back to the queue, a second quits at once.
      await new Promise<void>((resolveStopped) => {
        let signals = 0;
        const onSignal = (): void => {
          signals++;
          if (signals === 1) {
            log('stopping: running jobs go back to the queue (signal again to quit at once)');
            void worker.stop().then(resolveStopped, (err: Error) => {
              log(`error while stopping: ${err.message}`);
              resolveStopped();
            });
          } else {
            void worker.stop(true).finally(() => process.exit(130));
          }
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
      log('stopped');
    });
}
