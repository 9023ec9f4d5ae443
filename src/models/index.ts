/**
 * Laws from data without tfjs: discovery (discrete, continuous, weak form), metrics and rollouts of discovered laws.
 *
 * @module sparselaw/models
 */
export { discoverLaws, type DiscoverOptions, type DiscoverResult } from './discover.js';
export { continuousTimeData, DERIVATIVE_METHODS, type DerivativeMethod, type ContinuousData } from './continuous.js';
export { predictLaw, lawMse } from './metrics.js';
export { rolloutDiscrete, simulateContinuous } from './rollout.js';
export { discoverWeak, type WeakOptions } from './weak.js';
