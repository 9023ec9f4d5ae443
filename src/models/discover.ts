import { type Expr, num, mul, sum } from '../expr/ast.js';
import { simplify } from '../expr/simplify.js';
import { type Library, parseLibrarySpec, evaluateLibraryRows, type Columns, DataError } from '../library/index.js';
import { getColumn } from '../library/evaluate.js';
import { GramAccumulator, type GramStats, mseFromStats } from '../l0/gram.js';
import { fitGram } from '../l0/fit-gram.js';
import { lambdaPath, type LambdaPath } from '../l0/lambda-path.js';
import { refitLeastSquares } from '../l0/least-squares.js';
import { linearDependencies } from '../l0/dependencies.js';
import { Rng } from '../util/rng.js';
import type { LawDocument } from '../export/law.js';

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
  /** Drop gross outliers (|residual| > 8 robust sigmas, e.g. saturated samples) and refit once (default true). */
  robust?: boolean;
  lambdaCount?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface DiscoverResult {
  law: LawDocument;
  library: Library;
  coefficients: Float64Array;
  path?: LambdaPath;
  trainMse: Float64Array;
  validMse: Float64Array;
}

const CHUNK = 8192;

/** Row mask of the validation set: whole episodes when an episode column exists. */
function validationMask(columns: Columns, n: number, fraction: number, seed: number): Uint8Array {
  const mask = new Uint8Array(n);
  const episode = getColumn(columns, 'episode');
  if (episode) {
    const ids = [...new Set(episode)].sort((a, b) => a - b);
    const rng = Rng.seeded(seed);
    const shuffled = [...ids];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const held = new Set(shuffled.slice(0, Math.max(1, Math.round(ids.length * fraction))));
    if (held.size === ids.length) throw new DataError('too few episodes to hold some out for validation');
    for (let r = 0; r < n; r++) mask[r] = held.has(episode[r]!) ? 1 : 0;
  } else {
    const start = Math.floor(n * (1 - fraction));
    if (start < 1 || start >= n) throw new DataError(`too few rows (${n}) to hold some out for validation`);
    mask.fill(1, start);
  }
  return mask;
}

function targetColumns(columns: Columns, targets: readonly string[]): Float64Array[] {
  return targets.map((t) => {
    const c = getColumn(columns, t);
    if (!c) throw new DataError(`no target column "${t}"`);
    return c;
  });
}

/** Streams Θ and Y in chunks into train/validation Gram statistics (rows with keep[r] === 0 skipped). */
function accumulate(lib: Library, columns: Columns, ys: Float64Array[], n: number, mask: Uint8Array, keep?: Uint8Array): { train: GramStats; valid: GramStats } {
  const p = lib.terms.length;
  const m = ys.length;
  const train = new GramAccumulator(p, m);
  const valid = new GramAccumulator(p, m);
  const theta = new Float64Array(CHUNK * p);
  const rowT = new Float64Array(CHUNK * p);
  const rowV = new Float64Array(CHUNK * p);
  const yT = new Float64Array(CHUNK * m);
  const yV = new Float64Array(CHUNK * m);
  for (let start = 0; start < n; start += CHUNK) {
    const rows = Math.min(CHUNK, n - start);
    evaluateLibraryRows(lib, columns, start, rows, theta);
    let nt = 0;
    let nv = 0;
    for (let r = 0; r < rows; r++) {
      const g = start + r;
      if (keep && !keep[g]) continue;
      const isValid = mask[g] === 1;
      const dst = isValid ? rowV : rowT;
      const dy = isValid ? yV : yT;
      const at = isValid ? nv++ : nt++;
      dst.set(theta.subarray(r * p, r * p + p), at * p);
      for (let k = 0; k < m; k++) dy[at * m + k] = ys[k]![g]!;
    }
    if (nt > 0) train.add(rowT, yT, nt);
    if (nv > 0) valid.add(rowV, yV, nv);
  }
  return { train: train.stats(), valid: valid.stats() };
}

/** Rows whose residual under W is a gross outlier (> 8 robust sigmas, MAD-based) for any output. */
function outlierRows(lib: Library, columns: Columns, ys: Float64Array[], n: number, W: Float64Array): Uint8Array {
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
  const keep = new Uint8Array(n).fill(1);
  for (const res of resid) {
    const abs = Float64Array.from(res, Math.abs).sort();
    const mad = abs[Math.floor(n / 2)]!;
    const limit = 8 * 1.4826 * mad;
    if (!(limit > 0)) continue;
    for (let r = 0; r < n; r++) if (Math.abs(res[r]!) > limit) keep[r] = 0;
  }
  return keep;
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
  const library = typeof options.library === 'string' ? parseLibrarySpec(options.library, inputs) : options.library;
  const ys = targetColumns(columns, targets);
  const m = targets.length;
  const p = library.terms.length;
  const mask = validationMask(columns, n, options.validationFraction ?? 0.2, options.seed);
  let { train, valid } = accumulate(library, columns, ys, n, mask);
  const warnings: string[] = [];
  for (const d of linearDependencies(train, library.names)) {
    warnings.push(`the library has an exact linear dependency: ${d.description}; equivalent laws exist and the sparsest is returned`);
  }
  let path: LambdaPath | undefined;
  let W: Float64Array;
  let support: Uint8Array;
  if (options.lambda === 'auto') {
    path = lambdaPath(train, valid, { seed: options.seed, count: options.lambdaCount, onPoint: options.onProgress });
    W = path.coefficients;
    support = path.support;
  } else {
    const fit = fitGram(train, { lambda: options.lambda, seed: options.seed });
    W = fit.coefficients;
    support = fit.support;
  }
  if (options.robust ?? true) {
    const keep = outlierRows(library, columns, ys, n, W);
    const dropped = keep.reduce((s, v) => s + (v ? 0 : 1), 0);
    if (dropped > 0 && dropped < 0.1 * n) {
      ({ train, valid } = accumulate(library, columns, ys, n, mask, keep));
      W = refitLeastSquares(train, support);
      warnings.push(`${dropped} of ${n} rows (${((100 * dropped) / n).toFixed(2)}%) are gross outliers of the law (|residual| > 8 robust sigmas, e.g. saturated samples) and were left out of the final refit`);
    }
  }
  const trainMse = mseFromStats(train, W);
  const validMse = mseFromStats(valid, W);
  const names = options.outputNames ?? targets;
  const outputs = names.map((name, k) => ({ name, ...lawExpression(library, W, k, m) }));
  const law: LawDocument = {
    inputs: [...inputs],
    outputs,
    library: library.spec,
    metrics: {
      trainRows: train.n,
      validationRows: valid.n,
      terms: outputs.map((o) => o.terms.length),
      trainMse: Array.from(trainMse),
      validationMse: Array.from(validMse),
      lambda: options.lambda === 'auto' ? path!.selected.map((s) => path!.points[s]!.lambda) : options.lambda,
      ...(path ? { selectionRule: path.rule } : {}),
    },
    front: path?.points.map((pt) => ({ lambda: pt.lambda, terms: pt.terms, trainMse: Array.from(pt.trainMse), validationMse: Array.from(pt.validMse) })),
    warnings,
  };
  void p;
  return { law, library, coefficients: W, path, trainMse, validMse };
}
