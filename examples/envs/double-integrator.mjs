// A double integrator as a sparselaw environment: position x, velocity v, force u in [-1, 1].
import { Rng } from 'sparselaw';

const dt = 0.05;

class DoubleIntegrator {
  id = 'DoubleIntegrator-v0';
  observationNames = ['x', 'v'];
  actionNames = ['u'];
  parameterNames = [];
  observationLow = Float64Array.of(-10, -10);
  observationHigh = Float64Array.of(10, 10);
  actionLow = Float64Array.of(-1);
  actionHigh = Float64Array.of(1);
  maxEpisodeSteps = 200;
  rng = Rng.seeded(0);
  s = { x: 0, v: 0, t: 0 };
  reset({ seed } = {}) {
    if (seed !== undefined) this.rng = Rng.seeded(seed);
    this.s = { x: this.rng.range(-1, 1), v: this.rng.range(-0.5, 0.5), t: 0 };
    return Float64Array.of(this.s.x, this.s.v);
  }
  step(action) {
    const { x, v, t } = this.s;
    const u = Math.min(1, Math.max(-1, action[0]));
    this.s = { x: x + v * dt, v: v + u * dt, t: t + 1 };
    const reward = -(x * x + 0.1 * v * v + 0.01 * u * u);
    return { observation: Float64Array.of(this.s.x, this.s.v), reward, terminated: false, truncated: t + 1 >= this.maxEpisodeSteps };
  }
  parameters() { return new Float64Array(0); }
  getState() { return { ...this.s, rng: this.rng.getState() }; }
  setState({ rng, ...s }) { this.s = s; this.rng = Rng.fromState(rng); }
}

export default {
  id: 'double-integrator',
  title: 'DoubleIntegrator-v0',
  description: 'bring a unit mass to rest at x = 0 with a bounded force (200 steps of 0.05 s)',
  create: () => new DoubleIntegrator(),
  trainDefaults: { policy: 'poly:1:nobias', episodes: 60, warmupEpisodes: 10, updateAfterEpisodes: 10, lambda: 1e-2 },
};
