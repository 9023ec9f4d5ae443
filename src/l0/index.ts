/**
 * The L0 engine without tfjs: hard-concrete gates, Gram statistics and the Gram-path fit, least squares, polishing and refitting, the lambda path.
 *
 * @module sparselaw/l0
 */
export * from './hard-concrete.js';
export * from './gram.js';
export * from './fit-gram.js';
export * from './least-squares.js';
export * from './polish.js';
export * from './lambda-path.js';
