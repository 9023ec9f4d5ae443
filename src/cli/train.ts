import type { Command } from 'commander';
import { initBackend, describeBackend } from '../backend.js';
import { trainTd3, defaultTrainConfig } from '../rl/train.js';
import { exportLaw } from '../export/law.js';
import { progress } from '../util/progress.js';
import { parseCount, parseFiniteNumber, parseNonNegativeInt } from './options.js';
import { CliUsageError } from './expr.js';
import { parseLibrarySpec } from '../library/index.js';

interface TrainCliOptions {
  policy: string;
  lambda?: number;
  episodes: number;
  seed: number;
  g: number;
  criticWidth: number;
  out: string;
  resume?: boolean;
}

function parseLambda(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v < 0) throw new CliUsageError(`--lambda: expected a number >= 0, got "${value}"`);
  return v;
}

export function register(program: Command): void {
  program
    .command('train')
    .description('learn a control policy with TD3: an MLP, or a sparse closed-form law over a feature library')
    .argument('<environment>', 'environment: pendulum (Pendulum-v1)')
    .option('--policy <kind>', 'mlp, or a library for the sparse law: poly:3, fourier:1, poly:3+fourier:1, custom{...}', 'poly:3')
    .option('--lambda <value>', 'L0 strength of the sparse law (default 5e-3; 1e-2 for libraries with "+")', parseLambda)
    .option('--episodes <n>', 'training episodes (200 steps each)', parseCount, 250)
    .option('--seed <s>', 'seed of everything random', parseNonNegativeInt, 0)
    .option('--g <gravity>', 'gravity', parseFiniteNumber, 9.81)
    .option('--critic-width <n>', 'hidden width of the critics (two layers)', parseCount, 256)
    .option('--resume', 'continue from OUT/checkpoint.bin (same options)')
    .requiredOption('--out <dir>', 'run directory (law.json, checkpoint.bin, returns.csv, summary.json)')
    .action(async (environment: string, options: TrainCliOptions) => {
      if (environment !== 'pendulum') throw new CliUsageError(`unknown environment "${environment}"; available: pendulum`);
      // Check the library before any work starts.
      if (options.policy !== 'mlp') parseLibrarySpec(options.policy, ['cos_theta', 'sin_theta', 'theta_dot']);
      const backend = await initBackend();
      process.stderr.write(`${describeBackend()}\n`);
      const config = defaultTrainConfig({
        policy: options.policy,
        lambda: options.lambda ?? (options.policy.includes('+') ? 1e-2 : 5e-3),
        episodes: options.episodes,
        seed: options.seed,
        g: options.g,
      });
      config.td3.criticHidden = [options.criticWidth, options.criticWidth];
      void backend;
      let interrupted = false;
      const onSigint = (): void => {
        if (interrupted) process.exit(130);
        interrupted = true;
        process.stderr.write('\ninterrupted: saving a checkpoint after this episode (Ctrl-C again to quit now)\n');
      };
      process.on('SIGINT', onSigint);
      const bar = progress('episodes', config.episodes);
      try {
        const result = await trainTd3(config, {
          outDir: options.out,
          resume: options.resume,
          shouldStop: () => interrupted,
          onEpisode: (r) => bar.update(r.episode, { return: r.return, ...(r.evalMean !== undefined ? { eval: r.evalMean } : {}), ...(r.terms !== undefined ? { terms: r.terms } : {}) }),
        });
        bar.stop();
        if (!result.completed) {
          process.stdout.write(`stopped after episode ${result.history.at(-1)?.episode}; resume with --resume\n`);
          return;
        }
        const lines = [
          `evaluation return over ${result.finalEval!.returns.length} episodes: mean ${result.finalEval!.mean.toFixed(1)} (${result.finalEval!.returns.map((r) => r.toFixed(0)).join(', ')})`,
          `wall time ${result.seconds.toFixed(1)} s, ${result.envStepsPerSecond.toFixed(0)} env steps/s, ${result.updatesPerSecond.toFixed(1)} TD3 updates/s`,
        ];
        if (result.law) lines.unshift(exportLaw(result.law, 'text', { digits: 4 }).trimEnd(), `terms: ${result.terms}`);
        lines.push(`wrote ${options.out}`);
        process.stdout.write(lines.join('\n') + '\n');
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
