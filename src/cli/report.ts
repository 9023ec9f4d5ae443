import type { Command } from 'commander';
import { dirname, join } from 'node:path';
import { isDirectory } from '../report/run-dir.js';
import { parseNonNegativeInt } from './options.js';
import { checkOutputFile } from '../util/output-path.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('write one self-contained HTML report of a law, a training run or a sweep: typeset laws, the lambda front, learning curves, closed-loop plots')
    .argument('<run-or-law>', 'a training run directory (runs/NAME), a sweep directory (its learning curves across seeds) or a law document (law.json)')
    .option('--data <csv>', 'data set to set a discovered law against (its prediction; for continuous-time laws a simulation)')
    .option('--seed <s>', 'seed of the closed-loop rollout start state', parseNonNegativeInt, 0)
    .option('--out <file>', 'HTML file to write (default: report.html in the run directory, or beside the law document)')
    .option('--env <name>', "environment of the closed-loop rollout: an id or an ES module's path (default: the one the run or the law records)")
    .action(async (input: string, options: { data?: string; seed: number; out?: string; env?: string }) => {
      const out = options.out ?? join(isDirectory(input) ? input : dirname(input), 'report.html');
      await checkOutputFile(out, 'the report', { inputs: [input, ...(options.data !== undefined ? [options.data] : [])] });
      // Loaded here: Vega, Vega-Lite and KaTeX are needed by this command only.
      const { writeReport } = await import('../report/report.js');
      const report = await writeReport({ input, data: options.data, seed: options.seed, out, ...(options.env !== undefined ? { env: options.env } : {}) });
      const sizeKb = Math.round(Buffer.byteLength(report.html) / 1024);
      process.stdout.write(`wrote ${out} (${report.kind} report: ${report.formulas} formula${report.formulas === 1 ? '' : 's'}, ${report.charts.length} chart${report.charts.length === 1 ? '' : 's'}, ${sizeKb} kB)\n`);
    });
}
