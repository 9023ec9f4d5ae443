import { Command, CommanderError } from 'commander';
import { SparselawError } from '../errors.js';
import { describeFsError, isFsError } from '../util/fs-errors.js';
import { VERSION } from '../version.js';
import * as exprCommands from './expr.js';
import * as simulateCommand from './simulate.js';
import * as discoverCommand from './discover.js';
import * as exportCommand from './export.js';
import * as trainCommand from './train.js';
import * as rolloutCommand from './rollout.js';
import * as sweepCommand from './sweep.js';
import * as workerCommand from './worker.js';
import * as reportCommand from './report.js';
import * as checkEnvCommand from './check-env.js';
import * as envCommands from './env-commands.js';

/** Each module adds its subcommands; the order here is the order of `--help`. */
const modules: { register(program: Command): void }[] = [simulateCommand, discoverCommand, trainCommand, rolloutCommand, envCommands, checkEnvCommand, sweepCommand, workerCommand, reportCommand, exportCommand, exprCommands];

export function buildProgram(): Command {
  const program = new Command('sparselaw')
    .description('Discover sparse closed-form laws (dynamics, rewards, control policies) and export them.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const m of modules) m.register(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof SparselawError) {
      process.stderr.write(`sparselaw: ${err.message}\n`);
      return 1;
    }
    // A file-system error on a path (a user's input or output the command could not check first) is
    // the user's to fix, not a bug: one line naming the path and the cause.
    if (isFsError(err) && err.path !== undefined) {
      process.stderr.write(`sparselaw: ${describeFsError(err)}\n`);
      return 1;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`sparselaw: internal error: ${message}\n`);
    if (process.env.SPARSELAW_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write('(set SPARSELAW_DEBUG=1 for the stack trace; please report this)\n');
    return 70;
  }
}
