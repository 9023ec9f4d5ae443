/**
 * Simulators without an agent and without tfjs: RK4 sampling of ODEs, known systems (Lorenz, Rössler, Van der Pol), measurement noise, and the Kuramoto–Sivashinsky spectral solver.
 *
 * @module sparselaw/systems
 */
export { sampleTrajectory, type Rhs, type SampleOptions } from './rk4.js';
export { addRelativeNoise } from './noise.js';
export { lorenzRhs, lorenzTrajectory, lorenzTrueTerms, LORENZ_CLASSIC, type LorenzParameters, type LorenzOptions } from './lorenz.js';
export { type KnownSystem, LORENZ, ROSSLER, VAN_DER_POL, KNOWN_SYSTEMS, simulate } from './known.js';
export { KsSolver, type KsSolverOptions } from './ks.js';
