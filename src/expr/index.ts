/**
 * Expressions without tfjs: the tree, parsing, printing, simplification, derivatives, evaluation and compiled kernels.
 *
 * @module sparselaw/expr
 */
export * from './ast.js';
export { parse, ParseError, type ParseOptions } from './parse.js';
export { print } from './print.js';
export { simplify, type SimplifyOptions } from './simplify.js';
export { derivative } from './derivative.js';
export { interpret, type Env as ExprEnv } from './interpret.js';
export { compileRow, compileBatch, compileScalar, type RowKernel, type BatchKernel } from './compile.js';
