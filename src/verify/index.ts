/**
 * Property-based checks with fast-check, without tfjs: arbitraries for expressions and points, and properties of laws (bounds, agreement of exported forms, closed-loop goals).
 *
 * @module sparselaw/verify
 */
export { exprArb, pointArb, constantArb, type ExprArbOptions } from './expr-arbitraries.js';
export {
  pendulumStateArb,
  uniformArb,
  setPendulumState,
  lawStaysWithinBounds,
  formsAgree,
  closedLoopReaches,
  pendulumUpright,
  type PendulumState,
  type StateSetter,
  type ClosedLoopGoal,
  type EnvSource,
} from './laws.js';
