// A double integrator as a sparselaw environment: position x, velocity v, force u in [-1, 1].
import { boundsScale } from 'sparselaw';

const dt = 0.05;
const next = (s) => ((s = (s + 0x6d2b79f5) | 0), Math.imul(s ^ (s >>> 15), 1 | s)); // mulberry32 step
const uniform = (env, lo, hi) => {
  env.seed = next(env.seed);
  const r = ((env.seed ^ (env.seed >>> 7)) >>> 0) / 4294967296;
  return lo + (hi - lo) * r;
};

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
  state = { x: 0, v: 0, t: 0, seed: 1 };
  reset(options = {}) {
    if (options.seed !== undefined) this.state.seed = options.seed | 0;
    Object.assign(this.state, { x: uniform(this.state, -1, 1), v: uniform(this.state, -0.5, 0.5), t: 0 });
    return Float64Array.of(this.state.x, this.state.v);
  }
  step(action) {
    const u = Math.min(1, Math.max(-1, action[0]));
    const s = this.state;
    const reward = -(s.x * s.x + 0.1 * s.v * s.v + 0.01 * u * u);
    s.x += s.v * dt;
    s.v += u * dt;
    s.t += 1;
    return { observation: Float64Array.of(s.x, s.v), reward, terminated: false, truncated: s.t >= this.maxEpisodeSteps };
  }
  parameters() { return new Float64Array(0); }
  getState() { return { ...this.state }; }
  setState(state) { this.state = { ...state }; }
}

export default {
  id: 'double-integrator',
  title: 'DoubleIntegrator-v0',
  description: 'bring a unit mass to rest at x = 0 with a bounded force (200 steps of 0.05 s)',
  options: [],
  create: () => new DoubleIntegrator(),
  inputScale: (env) => boundsScale(env),
  evaluation: { default: { description: '10 episodes from the reset distribution', cases: (seed) => Array.from({ length: 10 }, (_, i) => ({ seed: seed + i })) } },
  trainDefaults: { policy: 'poly:1:nobias', episodes: 60, warmupEpisodes: 10, updateAfterEpisodes: 10, updatesPerEpisode: 100, lambda: 1e-2 },
};
