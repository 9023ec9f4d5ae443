import type { Command } from 'commander';
import { readNumericCsv } from '../data/csv.js';
import { discoverLaws } from '../models/discover.js';
import { continuousTimeData, DERIVATIVE_METHODS, type DerivativeMethod } from '../models/continuous.js';
import { discoverWeak } from '../models/weak.js';
import { SPARSITY_METHODS, parseSparsityMethod, type SparsityMethod } from '../l0/methods.js';
import { DEFAULT_GATE, type GateShape } from '../l0/hard-concrete.js';
import { exportLaw } from '../export/law.js';
import { saveLaw } from '../law/io.js';
import type { LawDocument } from '../law/document.js';
import { progress } from '../util/progress.js';
import { checkOutputFile } from '../util/output-path.js';
import { parseCount, parseDelimiter, parseNameList, parseNonNegativeInt, parsePositiveNumber } from './options.js';
import { CliUsageError } from './expr.js';
import { formatTable } from './table.js';

interface DiscoverCliOptions {
  inputs: string[];
  targets?: string[];
  delimiter?: string;
  method: SparsityMethod;
  gateTemperature?: number;
  gateStretch?: [number, number];
  time?: string;
  derivative: DerivativeMethod;
  library: string;
  lambda: 'auto' | number;
  seed: number;
  validation: number;
  robust: boolean;
  digits: number;
  out: string;
}

/** The gate shape the options ask for, or undefined for the default one. */
function gateShape(options: DiscoverCliOptions): GateShape | undefined {
  if (options.gateTemperature === undefined && options.gateStretch === undefined) return undefined;
  if (options.method !== 'l0') throw new CliUsageError('--gate-temperature and --gate-stretch shape the L0 gates: use them with --method l0');
  return { beta: options.gateTemperature ?? DEFAULT_GATE.beta, gamma: options.gateStretch?.[0] ?? DEFAULT_GATE.gamma, zeta: options.gateStretch?.[1] ?? DEFAULT_GATE.zeta };
}

function parseStretch(value: string): [number, number] {
  const parts = value.split(',').map((v) => Number(v.trim()));
  if (parts.length !== 2 || parts.some((v) => !Number.isFinite(v)) || !(parts[0]! < 0 && parts[1]! > 1)) {
    throw new CliUsageError(`--gate-stretch: expected gamma,zeta with gamma < 0 and zeta > 1 (e.g. -0.1,1.1), got "${value}"`);
  }
  return [parts[0]!, parts[1]!];
}

function parseMethod(value: string): SparsityMethod {
  try {
    return parseSparsityMethod(value);
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
}

function parseLambda(value: string): 'auto' | number {
  if (value === 'auto') return 'auto';
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v <= 0) throw new CliUsageError(`--lambda: expected "auto" or a positive number, got "${value}"`);
  return v;
}

function parseDerivative(value: string): DerivativeMethod {
  if ((DERIVATIVE_METHODS as readonly string[]).includes(value)) return value as DerivativeMethod;
  throw new CliUsageError(`--derivative: unknown method "${value}"; expected one of ${DERIVATIVE_METHODS.join(', ')}`);
}

function parseFraction(value: string): number {
  const v = parsePositiveNumber(value);
  if (v >= 1) throw new CliUsageError(`--validation: expected a fraction in (0, 1), got "${value}"`);
  return v;
}

const sci = (v: unknown): string => (typeof v === 'number' ? v.toExponential(3) : '');

export function register(program: Command): void {
  program
    .command('discover')
    .description('discover one sparse law per target from a CSV data set (or the time derivatives of the inputs with --time)')
    .argument('<data>', 'CSV file with a header row')
    .requiredOption('--inputs <names>', 'input columns, e.g. cos_theta,sin_theta,theta_dot,torque', parseNameList)
    .option('--targets <names>', 'target columns, one law each', parseNameList)
    .option('--time <column>', 'time column: fit the time derivatives of the inputs instead of --targets')
    .option('--derivative <method>', `derivative estimate with --time: ${DERIVATIVE_METHODS.join(' | ')} (weak: integral form, no derivative)`, parseDerivative, 'auto')
    .option('--library <spec>', 'feature library, e.g. poly:3, fourier:1, poly:3+fourier:1, custom{sin(x);x*y}', 'poly:3')
    .option('--lambda <value>', 'L0 strength: auto (lambda path + validation) or a number', parseLambda, 'auto')
    .option('--seed <s>', 'seed of the gates and the validation split', parseNonNegativeInt, 0)
    .option('--validation <fraction>', 'held-out fraction (whole episodes when there is an episode column)', parseFraction, 0.2)
    .option('--no-robust', 'keep gross outliers in the fit')
    .option('--method <name>', `sparsity method: ${SPARSITY_METHODS.join(' | ')} (l0: hard-concrete gates; l1: the Lasso; adaptive-l1: the adaptive Lasso; stlsq: sequential thresholded least squares; sr3-l0, sr3-l1: sparse relaxed regularised regression; magnitude: pruning of the dense fit); --lambda is its level`, parseMethod, 'l0')
    .option('--gate-temperature <beta>', 'temperature beta of the L0 gates (default 2/3)', parsePositiveNumber)
    .option('--gate-stretch <gamma,zeta>', 'stretch interval of the L0 gates, gamma < 0 and zeta > 1 (default -0.1,1.1)', parseStretch)
    .option('--delimiter <char>', 'field separator of the CSV file (default ","; e.g. ";")', parseDelimiter)
    .option('--digits <n>', 'significant digits of the printed laws (the file keeps full precision)', parseCount, 6)
    .requiredOption('--out <file>', 'law document (JSON) to write')
    .action(runDiscover);
}

/** `sparselaw discover`: checks the options and the output path, fits, writes the law, prints it with its front. */
async function runDiscover(file: string, options: DiscoverCliOptions): Promise<void> {
  if ((options.targets === undefined) === (options.time === undefined)) {
    throw new CliUsageError('give exactly one of --targets (discrete-time or static laws) and --time (continuous-time laws)');
  }
  const both = (options.targets ?? []).filter((t) => options.inputs.includes(t));
  if (both.length > 0) throw new CliUsageError(`${both.map((b) => `"${b}"`).join(', ')} ${both.length > 1 ? 'are' : 'is'} both an input and a target (a law ${both[0]} = ${both[0]} says nothing): drop ${both.length > 1 ? 'them' : 'it'} from --inputs or --targets`);
  await checkOutputFile(options.out, 'the law document', { inputs: [file] });
  const wanted = [...options.inputs, ...(options.targets ?? []), ...(options.time ? [options.time] : [])];
  // The episode column, when present, keeps validation episodes whole and derivatives inside episodes.
  const table = readNumericCsv(file, { columns: [...new Set(wanted)], optional: ['episode'], ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}) });
  let { columns, n } = table;
  let targets = options.targets ?? [];
  let outputNames: string[] | undefined;
  let exactColumns: Map<string, Float64Array> | undefined;
  let note: string | undefined;
  if (options.time && options.derivative !== 'weak') {
    const data = continuousTimeData(columns, n, options.time, options.inputs, options.derivative, file);
    ({ columns, n } = data);
    targets = data.names;
    outputNames = data.names;
    if (options.derivative !== 'finite-difference') exactColumns = data.raw;
    const w = [...new Set(data.windows)];
    note = `derivatives by ${options.derivative === 'finite-difference' ? 'central differences' : `Savitzky-Golay (cubic, window ${w.join('/')} samples; smoothed states; ${table.n - n} end rows dropped)`}`;
  }
  const bar = progress('lambda path', 20);
  const common = {
    columns,
    n,
    inputs: options.inputs,
    library: options.library,
    lambda: options.lambda,
    method: options.method,
    ...(gateShape(options) ? { gate: gateShape(options) } : {}),
    seed: options.seed,
    validationFraction: options.validation,
    onProgress: (done: number) => bar.update(done),
  };
  const result =
    options.time && options.derivative === 'weak'
      ? discoverWeak({ ...common, time: options.time })
      : discoverLaws({ ...common, targets, outputNames, robust: options.robust, exactColumns });
  // The formulation reads "weak form: N test functions ...": say what it means once, after it.
  if (options.derivative === 'weak' && options.time) note = `${String(result.law.metrics?.formulation ?? 'weak form')} (integrals against test functions, no derivative of the data)`;
  bar.stop();
  const law = { ...result.law, meta: { command: 'discover', data: file, seed: options.seed, library: options.library, method: options.method, ...(gateShape(options) ? { gate: gateShape(options) } : {}) } };
  saveLaw(options.out, law);
  process.stdout.write(discoverSummary(law, result.path, options, note));
}

/** The printed laws, their metrics and the lambda front. */
function discoverSummary(law: LawDocument, path: ReturnType<typeof discoverLaws>['path'], options: DiscoverCliOptions, note: string | undefined): string {
  const out: string[] = [exportLaw(law, 'text', { digits: options.digits })];
  const m = law.metrics as { terms: number[]; trainMse: number[]; validationMse: number[]; lambda: number[] | number };
  out.push(
    formatTable(
      ['output', 'terms', 'train MSE', 'validation MSE', 'lambda'],
      law.outputs.map((o, k) => [o.name, String(m.terms[k]), sci(m.trainMse[k]), sci(m.validationMse[k]), sci(Array.isArray(m.lambda) ? m.lambda[k] : m.lambda)]),
    ),
  );
  if (path) {
    out.push('\nfront (lambda path, validation MSE per output):');
    out.push(
      formatTable(
        ['lambda', ...law.outputs.map((o) => `${o.name} terms`), ...law.outputs.map((o) => `${o.name} MSE`)],
        path.points.map((pt) => [sci(pt.lambda), ...pt.terms.map(String), ...Array.from(pt.validMse, sci)]),
      ),
    );
  }
  if (note) out.push(`note: ${note}`);
  for (const w of law.warnings ?? []) out.push(`note: ${w}`);
  out.push(`wrote ${options.out}`);
  return out.join('\n') + '\n';
}
