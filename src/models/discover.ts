import { type Expr, num, mul, sum } from '../expr/ast.js';
import { simplify } from '../expr/simplify.js';
import { type Library, parseLibrarySpec, evaluateLibraryRows, type Columns, DataError } from '../library/index.js';
import { getColumn } from '../library/evaluate.js';
import { GramAccumulator, type GramStats, mseFromStats } from '../l0/gram.js';
import { lambdaPath, type LambdaPath } from '../l0/lambda-path.js';
import { fitAtLevel, type SparsityMethod } from '../l0/methods.js';
import type { GateShape } from '../l0/hard-concrete.js';
import { refitLeastSquares } from '../l0/least-squares.js';
import { imposeDependencies, linearDependencies, type LinearDependency } from '../l0/dependencies.js';
import { Rng } from '../util/rng.js';
import type { DiscoveryMetrics, LawDocument } from '../law/document.js';

export interface DiscoverOptions {
  columns: Columns;
  n: number;
  inputs: readonly string[];
  /** Column names of the outputs (each gets its own law). */
  targets: readonly string[];
  /** Names of the outputs in the law (default: the target column names). */
  outputNames?: readonly string[];
  library: Library | string;
  lambda: 'auto' | number;
  seed: number;
  /** Fraction of episodes (or, without an episode column, of the last rows) held out (default 0.2). */
  validationFraction?: number;
  /** Leave out gross outliers (|residual| > 8 robust sigmas, at most 5% of rows) before fitting (default true). */
  robust?: boolean;
  lambdaCount?: number;
  /** The sparsity method (default l0: hard-concrete gates); --lambda is then that method's level. */
  method?: SparsityMethod;
  /** The L0 gates' temperature beta and stretch (gamma, zeta). */
  gate?: GateShape;
  onProgress?: (done: number, total: number) => void;
  /**
   * Unsmoothed inputs on the same rows as `columns` (continuous-time data). Exact linear dependencies
   * of the library are found on them and imposed on the smoothed library before the fit: on smoothed
   * states the identities hold only nearly, and the fit would spend large cancelling terms on the
   * smoothing error (θ̇ - cos²·θ̇ - sin²·θ̇ with coefficients of 12).
   */
  exactColumns?: Columns;
}

export interface DiscoverResult {
  law: LawDocument & { metrics: DiscoveryMetrics };
  library: Library;
  coefficients: Float64Array;
  path?: LambdaPath;
  trainMse: Float64Array;
  validMse: Float64Array;
}

const CHUNK = 8192;
const MAX_OUTLIER_SHARE = 0.05;

/**
 * Row mask of the validation set: whole episodes when there is an episode column with more than one
 * episode; otherwise the last rows (of a time series, the end of it), which the note says.
 */
function validationMask(columns: Columns, n: number, fraction: number, seed: number): { mask: Uint8Array; note?: string } {
  const mask = new Uint8Array(n);
  const episode = getColumn(columns, 'episode');
  const ids = episode ? [...new Set(episode)].sort((a, b) => a - b) : [];
  if (episode && ids.length > 1) {
    const rng = Rng.seeded(seed);
    const shuffled = rng.shuffle([...ids]);
    const held = new Set(shuffled.slice(0, Math.max(1, Math.round(ids.length * fraction))));
    if (held.size === ids.length) throw new DataError('too few episodes to hold some out for validation');
    for (let r = 0; r < n; r++) mask[r] = held.has(episode[r]!) ? 1 : 0;
    return { mask };
  }
  const start = Math.floor(n * (1 - fraction));
  if (start < 1 || start >= n) throw new DataError(`too few rows (${n}) to hold some out for validation: give more rows or a --validation fraction that leaves rows on both sides`);
  mask.fill(1, start);
  return { mask, ...(episode ? { note: `the data holds one episode: its last ${n - start} rows are held out for validation` } : {}) };
}

function targetColumns(columns: Columns, targets: readonly string[]): Float64Array[] {
  return targets.map((t) => {
    const c = getColumn(columns, t);
    if (!c) throw new DataError(`no target column "${t}"`);
    return c;
  });
}

interface Accumulated {
  train: GramAccumulator;
  valid: GramAccumulator;
}

/**
 * Streams Θ and Y in chunks into train/validation Gram sums. With `remove`, the given rows (indices
 * into the data) are taken back out of sums that already hold them.
 */
function accumulate(lib: Library, columns: Columns, ys: Float64Array[], n: number, mask: Uint8Array, into?: Accumulated, rowsToRemove?: number[]): Accumulated {
  const p = lib.terms.length;
  const m = ys.length;
  const acc = into ?? { train: new GramAccumulator(p, m), valid: new GramAccumulator(p, m) };
  // Removing scattered rows: gather them into a small data set of their own first.
  const source = rowsToRemove ? gatherRows(columns, [...lib.inputs], rowsToRemove) : columns;
  const index = rowsToRemove ? (r: number) => rowsToRemove[r]! : (r: number) => r;
  const total = rowsToRemove ? rowsToRemove.length : n;
  const theta = new Float64Array(CHUNK * p);
  const rowT = new Float64Array(CHUNK * p);
  const rowV = new Float64Array(CHUNK * p);
  const yT = new Float64Array(CHUNK * m);
  const yV = new Float64Array(CHUNK * m);
  for (let start = 0; start < total; start += CHUNK) {
    const rows = Math.min(CHUNK, total - start);
    evaluateLibraryRows(lib, source, start, rows, theta);
    let nt = 0;
    let nv = 0;
    for (let r = 0; r < rows; r++) {
      const g = index(start + r);
      const isValid = mask[g] === 1;
      const dst = isValid ? rowV : rowT;
      const dy = isValid ? yV : yT;
      const at = isValid ? nv++ : nt++;
      dst.set(theta.subarray(r * p, r * p + p), at * p);
      for (let k = 0; k < m; k++) dy[at * m + k] = ys[k]![g]!;
    }
    const op = rowsToRemove ? 'remove' : 'add';
    if (nt > 0) acc.train[op](rowT, yT, nt);
    if (nv > 0) acc.valid[op](rowV, yV, nv);
  }
  return acc;
}

function gatherRows(columns: Columns, names: string[], rows: number[]): Map<string, Float64Array> {
  return new Map(names.map((name) => [name, Float64Array.from(rows, (r) => getColumn(columns, name)![r]!)]));
}

/**
 * Rows whose residual under W is a gross outlier (> 8 robust sigmas, MAD-based) for any output.
 * W is the dense least-squares fit over the whole library: it needs no lambda, and a sample that
 * no combination of library terms explains (a saturated velocity, a glitch) stands out in it.
 */
function outlierRows(lib: Library, columns: Columns, ys: Float64Array[], n: number, W: Float64Array): number[] {
  const p = lib.terms.length;
  const m = ys.length;
  const resid = ys.map(() => new Float64Array(n));
  const theta = new Float64Array(CHUNK * p);
  for (let start = 0; start < n; start += CHUNK) {
    const rows = Math.min(CHUNK, n - start);
    evaluateLibraryRows(lib, columns, start, rows, theta);
    for (let r = 0; r < rows; r++)
      for (let k = 0; k < m; k++) {
        let pred = 0;
        for (let j = 0; j < p; j++) pred += theta[r * p + j]! * W[j * m + k]!;
        resid[k]![start + r] = ys[k]![start + r]! - pred;
      }
  }
  const outlier = new Uint8Array(n);
  for (const res of resid) {
    const abs = Float64Array.from(res, Math.abs).sort();
    const mad = abs[Math.floor(n / 2)]!;
    const limit = 8 * 1.4826 * mad;
    if (!(limit > 0)) continue;
    for (let r = 0; r < n; r++) if (Math.abs(res[r]!) > limit) outlier[r] = 1;
  }
  const rows: number[] = [];
  outlier.forEach((o, r) => o && rows.push(r));
  return rows;
}

function lawExpression(lib: Library, W: Float64Array, k: number, m: number): { expr: Expr; terms: { term: string; coefficient: number }[] } {
  const parts: Expr[] = [];
  const terms: { term: string; coefficient: number }[] = [];
  lib.terms.forEach((t, j) => {
    const c = W[j * m + k]!;
    if (c === 0) return;
    parts.push(mul(num(c), t));
    terms.push({ term: lib.names[j]!, coefficient: c });
  });
  return { expr: parts.length === 0 ? num(0) : simplify(sum(parts)), terms };
}

/** Fits one sparse law per target over the library, with lambda chosen on held-out data when 'auto'. */
export function discoverLaws(options: DiscoverOptions): DiscoverResult {
  const { columns, n, inputs, targets } = options;
  const fullLibrary = typeof options.library === 'string' ? parseLibrarySpec(options.library, inputs) : options.library;
  const ys = targetColumns(columns, targets);
  const m = targets.length;
  const { mask, note: splitNote } = validationMask(columns, n, options.validationFraction ?? 0.2, options.seed);
  const library = fullLibrary;
  const p = library.terms.length;
  const known = options.exactColumns ? linearDependencies(accumulate(library, options.exactColumns, ys, n, new Uint8Array(n)).train.stats(), library.names) : undefined;
  const acc = accumulate(library, columns, ys, n, mask);
  const warnings: string[] = splitNote ? [splitNote] : [];
  if (options.robust ?? true) {
    const dense = refitLeastSquares(acc.train.stats(), new Uint8Array(p * m).fill(1));
    const outliers = outlierRows(library, columns, ys, n, dense);
    const share = `${outliers.length} of ${n} rows (${((100 * outliers.length) / n).toFixed(2)}%)`;
    if (outliers.length > 0 && outliers.length <= MAX_OUTLIER_SHARE * n) {
      accumulate(library, columns, ys, n, mask, acc, outliers);
      warnings.push(`${share} are gross outliers of every law the library can express (|residual| > 8 robust sigmas, e.g. saturated samples) and were left out of the fit`);
    } else if (outliers.length > 0) {
      warnings.push(`${share} have residuals beyond 8 robust sigmas, too many to be outliers; they were kept (is the library missing a term?)`);
    }
  }
  let train = acc.train.stats();
  let valid = acc.valid.stats();
  if (known && known.length > 0) {
    train = imposeDependencies(train, known, library.names);
    valid = imposeDependencies(valid, known, library.names);
  }
  return fitFromStats(library, train, valid, { ...options, targets, knownDependencies: known }, warnings);
}

function dependencyNote(dependencies: readonly LinearDependency[], resolved: boolean): string {
  const count = `${dependencies.length} exact linear ${dependencies.length === 1 ? 'dependency' : 'dependencies'}`;
  const list = dependencies.map((d) => d.description).join('; ');
  if (!resolved) return `the library has ${count} on this data (${list}): equivalent laws exist, and the sparsest one found is returned`;
  return `the library has ${count} on the unsmoothed data (${list}); the smoothed states satisfy them only nearly, so they were imposed before the fit: equivalent laws exist, and the sparsest one found is returned`;
}

/**
 * The fitting half of discovery, from train and validation Gram statistics however they were
 * made (sample rows, or the integrated rows of the weak form).
 */
export function fitFromStats(
  library: Library,
  train: GramStats,
  valid: GramStats,
  options: Pick<DiscoverOptions, 'inputs' | 'targets' | 'outputNames' | 'lambda' | 'seed' | 'lambdaCount' | 'onProgress' | 'method' | 'gate'> & {
    /** Dependencies found (and resolved) before the fit, on the unsmoothed data. */
    knownDependencies?: readonly LinearDependency[];
    /** What a row of the statistics is, in messages (default "rows"; the weak form has test functions). */
    rowsName?: string;
  },
  warnings: string[] = [],
): DiscoverResult {
  const { inputs, targets } = options;
  const m = targets.length;
  checkRowCount(train.n, valid.n, library.terms.length, warnings, options.rowsName);
  if (options.knownDependencies) {
    if (options.knownDependencies.length > 0) warnings.push(dependencyNote(options.knownDependencies, true));
  } else {
    const dependencies = linearDependencies(train, library.names);
    if (dependencies.length > 0) warnings.push(dependencyNote(dependencies, false));
  }
  let path: LambdaPath | undefined;
  let W: Float64Array;
  if (options.lambda === 'auto') {
    path = lambdaPath(train, valid, { seed: options.seed, count: options.lambdaCount, onPoint: options.onProgress, ...(options.method ? { method: options.method } : {}), ...(options.gate ? { gate: options.gate } : {}) });
    W = path.coefficients;
  } else {
    W = fitAtLevel(options.method ?? 'l0', train, options.lambda, options.seed, options.gate);
  }
  const trainMse = mseFromStats(train, W);
  const validMse = mseFromStats(valid, W);
  const names = options.outputNames ?? targets;
  const outputs = names.map((name, k) => ({ name, ...lawExpression(library, W, k, m) }));
  outputs.forEach((o, k) => {
    if (o.terms.length === 0) warnings.push(emptyLawNote(o.name, k, train, valid, options.lambda, path));
  });
  const law: DiscoverResult['law'] = {
    inputs: [...inputs],
    outputs,
    library: library.spec,
    metrics: {
      kind: 'discovery',
      trainRows: train.n,
      validationRows: valid.n,
      terms: outputs.map((o) => o.terms.length),
      trainMse: Array.from(trainMse),
      validationMse: Array.from(validMse),
      lambda: options.lambda === 'auto' ? path!.selected.map((s) => path!.points[s]!.lambda) : options.lambda,
      ...(path ? { selectionRule: path.rule } : {}),
      ...(options.method && options.method !== 'l0' ? { method: options.method } : {}),
    },
    front: path?.points.map((pt) => ({ lambda: pt.lambda, terms: pt.terms, trainMse: Array.from(pt.trainMse), validationMse: Array.from(pt.validMse) })),
    warnings,
  };
  return { law, library, coefficients: W, path, trainMse, validMse };
}

/**
 * Rows per library term below which a fit is reported as weakly determined: with fewer than a few
 * rows per coefficient, least squares fits noise as readily as signal.
 */
export const ROWS_PER_TERM = 5;

/** Refuses data that cannot determine the library's coefficients; warns when it barely can. */
function checkRowCount(trainRows: number, validRows: number, terms: number, warnings: string[], rowsName = 'rows'): void {
  if (trainRows < terms) {
    throw new DataError(
      `${trainRows} training ${rowsName} (of ${trainRows + validRows}; the rest is held out for validation) cannot determine a library of ${terms} terms: give at least ${ROWS_PER_TERM * terms} ${rowsName} for training, or a smaller --library`,
    );
  }
  if (trainRows < ROWS_PER_TERM * terms) {
    warnings.push(`only ${trainRows} training ${rowsName} for a library of ${terms} terms (fewer than ${ROWS_PER_TERM} per term): the law is weakly determined; give more data or a smaller --library`);
  }
  if (validRows < ROWS_PER_TERM) warnings.push(`only ${validRows} validation ${rowsName}: the validation error, and the choice of lambda, rest on very little data`);
}

/** Why an output's law is 0, and what to try. */
function emptyLawNote(name: string, k: number, train: GramStats, valid: GramStats, lambda: 'auto' | number, path: LambdaPath | undefined): string {
  const variance = (s: GramStats): number => Math.max(s.yy[k]! - s.yMean[k]! ** 2, 0) || s.yy[k]! || 1;
  const tries = 'try a richer --library (more degrees or frequencies, custom terms), inputs that determine it, or more data';
  if (lambda === 'auto' && path) {
    const best = Math.min(...path.points.map((pt) => pt.validMse[k]!));
    const explained = Math.max(0, 1 - best / variance(valid));
    return `${name} = 0: no law on the lambda path explains enough of its held-out variance to beat the constant 0 under the selection rule (the best explains ${(100 * explained).toPrecision(3)}%); ${tries}`;
  }
  return `${name} = 0: no term explains more than lambda = ${String(lambda)} of its variance (the share a term must explain to be kept); ${tries}, or a smaller --lambda`;
}
