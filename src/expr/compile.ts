import { type Expr, variables as variablesOf, ExprError } from './ast.js';
import { straightLine } from './codegen.js';

/** out[offset + k] = exprs[k] at x, where x[i] is the value of variables[i]. */
export type RowKernel = (x: ArrayLike<number>, out: Float64Array, offset?: number) => void;
/** out is row-major n × exprs.length; columns[i] holds variables[i]. */
export type BatchKernel = (columns: readonly Float64Array[], n: number, out: Float64Array) => void;

function checkVariables(exprs: readonly Expr[], variables: readonly string[]): Map<string, number> {
  const index = new Map(variables.map((v, i) => [v, i] as const));
  for (const [k, e] of exprs.entries()) {
    for (const name of variablesOf(e)) {
      if (!index.has(name)) {
        throw new ExprError(`expression ${k} uses variable ${name}, which is not among the inputs (${variables.join(', ')})`);
      }
    }
  }
  return index;
}

/** Compiles to a closure with no allocation per call (same semantics as the interpreter). */
export function compileRow(exprs: readonly Expr[], variables: readonly string[]): RowKernel {
  const index = checkVariables(exprs, variables);
  const { statements, results } = straightLine(exprs, (name) => `x[${index.get(name)}]`);
  const body = [
    'offset = offset | 0;',
    ...statements,
    ...results.map((r, k) => `out[offset + ${k}] = ${r};`),
  ].join('\n');
  return new Function('x', 'out', 'offset', body) as RowKernel;
}

export function compileBatch(exprs: readonly Expr[], variables: readonly string[]): BatchKernel {
  const index = checkVariables(exprs, variables);
  const p = exprs.length;
  const used = [...new Set(exprs.flatMap((e) => variablesOf(e)))];
  const { statements, results } = straightLine(exprs, (name) => `c${index.get(name)}[r]`);
  const body = [
    ...used.map((name) => `const c${index.get(name)} = columns[${index.get(name)}];`),
    `if (out.length < n * ${p}) throw new RangeError('output buffer holds ' + out.length + ' values, need ' + n * ${p});`,
    'for (let r = 0; r < n; r++) {',
    `  const base = r * ${p};`,
    ...statements.map((s) => '  ' + s),
    ...results.map((res, k) => `  out[base + ${k}] = ${res};`),
    '}',
  ].join('\n');
  return new Function('columns', 'n', 'out', body) as BatchKernel;
}

export function compileScalar(e: Expr, variables: readonly string[]): (x: ArrayLike<number>) => number {
  const kernel = compileRow([e], variables);
  const out = new Float64Array(1);
  return (x) => {
    kernel(x, out, 0);
    return out[0]!;
  };
}
