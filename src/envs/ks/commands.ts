import { SparselawError } from '../../errors.js';
import type { EnvCommand } from '../registry.js';

type Values = Readonly<Record<string, string | true | undefined>>;

/** A numeric option: undefined when absent, else a finite number passing `check`, or a one-line error naming the option. */
function numberOption(values: Values, name: string, check: (v: number) => boolean, what: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const v = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(v) || !check(v)) throw new SparselawError(`--${name}: expected ${what}, got "${value}"`);
  return v;
}

const integer = (min: number) => (v: number) => Number.isInteger(v) && v >= min;
const text = (values: Values, name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);

/** The command line that reproduces a comparison: the options that change its numbers, as typed. */
function compareCommand(values: Values): string {
  const shown = ['sparse', 'mlp', 'mlp-no-mu', 'mus', 'episode-steps', 'seeds', 'max-gain', 'gain-step', 'sparse-title'];
  const words = shown.flatMap((name) => (values[name] === undefined ? [] : [`--${name}`, name === 'sparse-title' ? `'${values[name]}'` : String(values[name])]));
  return ['sparselaw compare ks', ...words].join(' ');
}

export const ksCompareCommand: EnvCommand = {
  description:
    'the law against no control, the best proportional feedback a = clip(-k m, -1, 1) (k searched per mu and noise) and, when given, TD3 agents with and without mu, ' +
    'at mu = 0, 0.121, -0.15, ±0.2, ±0.225, ±0.25, without noise and with sensor noise N(0, 0.25); markdown on stdout',
  options: [
    { name: 'sparse', value: 'law-or-run', description: 'the law: a law document, or a training run directory holding law.json', required: true },
    { name: 'mlp', value: 'run', description: 'a TD3 run of an MLP actor with mu among its inputs' },
    { name: 'mlp-no-mu', value: 'run', description: 'a TD3 run of an MLP actor without mu (train ks --policy mlp --no-params)' },
    { name: 'sparse-title', value: 'text', description: 'column title of the law (default "sparse law")' },
    { name: 'mus', value: 'list', description: 'comma-separated mu instead of the default nine' },
    { name: 'seeds', value: 'n', description: 'episodes per mu with sensor noise, each on its own noise stream (default 10)' },
    { name: 'episode-steps', value: 'n', description: 'control steps per episode (default 999)' },
    { name: 'max-gain', value: 'k', description: 'largest proportional gain of the coarse grid (default 12)' },
    { name: 'gain-step', value: 's', description: 'spacing of the coarse gain grid (default 0.25)' },
    { name: 'workers', value: 'n', description: 'worker threads (default: one per core)' },
    { name: 'out', value: 'file', description: 'also write the markdown to this file (atomically)' },
  ],
  async run(values) {
    const [{ compareKs }, { writeFileAtomic }, { checkOutputFile }] = await Promise.all([import('./compare-run.js'), import('../../util/atomic-write.js'), import('../../util/output-path.js')]);
    const mus = text(values, 'mus')?.split(',').map((s) => {
      const v = s.trim() === '' ? NaN : Number(s);
      if (!(Number.isFinite(v) && Math.abs(v) <= 1)) throw new SparselawError(`--mus: expected a comma-separated list of numbers in [-1, 1], got "${values.mus}"`);
      return v;
    });
    const options = {
      law: text(values, 'sparse')!,
      mlp: text(values, 'mlp'),
      mlpNoMu: text(values, 'mlp-no-mu'),
      lawTitle: text(values, 'sparse-title'),
      mus,
      seeds: numberOption(values, 'seeds', (v) => integer(1)(v) && v <= 100, 'an integer in 1..100'),
      episodeSteps: numberOption(values, 'episode-steps', integer(1), 'a positive integer'),
      maxGain: numberOption(values, 'max-gain', (v) => v >= 0, 'a number >= 0'),
      gainStep: numberOption(values, 'gain-step', (v) => v > 0, 'a number > 0'),
      workers: numberOption(values, 'workers', integer(1), 'a positive integer'),
      command: compareCommand(values),
    };
    const out = text(values, 'out');
    if (out !== undefined) await checkOutputFile(out, 'the comparison (markdown)');
    const { markdown } = await compareKs(options);
    process.stdout.write(markdown);
    if (out !== undefined) writeFileAtomic(out, markdown);
  },
};

export const ksLawSearchCommand: EnvCommand = {
  description:
    'antithetic random search of the coefficients of a gain-scheduled law a_j = tanh(sum of terms in m_j and mu) on the training mu only ' +
    '(objective: mean log cost over the training (mu, noise) cells); the best law so far and the search state (OUT.search.json) are saved after every iteration; Ctrl-C stops after the current one',
  options: [
    { name: 'out', value: 'law.json', description: 'where the best law is written', required: true },
    { name: 'iterations', value: 'n', description: 'iterations (default 100)' },
    { name: 'seed', value: 's', description: 'seed of the directions and the noise streams (default 1)' },
    { name: 'family', value: 'name', description: 'gain-schedule (7 terms per actuator, default) or quartic (adds mu^4 m_j: 8)' },
    { name: 'start', value: 'law.json', description: "start from this law (its terms among the family's; the others start at 0)" },
    { name: 'population', value: 'p', description: 'directions per iteration, each tried with both signs (default 8)' },
    { name: 'sigma', value: 's', description: "perturbation, in units of each coefficient's scale (default 0.1)" },
    { name: 'step', value: 's', description: "Adam step, in units of each coefficient's scale (default 0.05)" },
    { name: 'noisy-episodes', value: 'n', description: 'episodes with sensor noise per training mu and candidate (default 2)' },
    { name: 'episode-steps', value: 'n', description: 'control steps per episode (default 999; fewer for quick checks)' },
    { name: 'workers', value: 'n', description: 'worker threads (default: one per core)' },
    { name: 'resume', description: 'continue the search saved in OUT.search.json (same options; a finished one up to more iterations)' },
  ],
  async run(values, argv) {
    const [{ searchKsLaw }, { interruptRequest }] = await Promise.all([import('./law-search.js'), import('../../cli/interrupt.js')]);
    const interrupt = interruptRequest('iteration');
    try {
      await searchKsLaw({
        out: text(values, 'out')!,
        family: text(values, 'family'),
        start: text(values, 'start'),
        iterations: numberOption(values, 'iterations', integer(0), 'an integer >= 0'),
        population: numberOption(values, 'population', integer(1), 'an integer >= 1'),
        sigma: numberOption(values, 'sigma', (v) => v > 0, 'a number > 0'),
        step: numberOption(values, 'step', (v) => v > 0, 'a number > 0'),
        seed: numberOption(values, 'seed', (v) => Number.isInteger(v) && v >= 0 && v < 2 ** 31, 'an integer in [0, 2^31)'),
        noisyEpisodes: numberOption(values, 'noisy-episodes', integer(1), 'an integer >= 1'),
        episodeSteps: numberOption(values, 'episode-steps', integer(1), 'an integer >= 1'),
        workers: numberOption(values, 'workers', integer(1), 'an integer >= 1'),
        resume: values.resume === true,
        // A resumed search gives the same law as an uninterrupted one: the command names no --resume.
        command: argv.filter((a) => a !== '--resume').join(' '),
        log: (line) => process.stdout.write(line),
        stop: () => interrupt.requested,
      });
      if (interrupt.requested) process.exitCode = 130;
    } finally {
      interrupt.dispose();
    }
  },
};
