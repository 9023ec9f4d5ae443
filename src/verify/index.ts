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
