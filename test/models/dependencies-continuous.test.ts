import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleTrajectory } from '../../src/systems/rk4.js';
import { Rng } from '../../src/util/rng.js';
import { continuousTimeData } from '../../src/models/continuous.js';
import { discoverLaws } from '../../src/models/discover.js';
import { discoverWeak } from '../../src/models/weak.js';

/**
 * Pendulum episodes, θ̈ = -9.81 sin θ + u with a random torque held for each step (not an input:
 * it acts as noise on θ̈), observed as (cos θ, sin θ, θ̇) every 0.05 s, as `simulate pendulum` writes.
 */
function pendulumEpisodes(episodes: number, seed: number): { columns: Map<string, Float64Array>; n: number } {
  const rng = Rng.seeded(seed);
  const dt = 0.05;
  const steps = 200;
  const cols = { episode: [] as number[], t: [] as number[], cos_theta: [] as number[], sin_theta: [] as number[], theta_dot: [] as number[] };
  for (let e = 0; e < episodes; e++) {
    const u = Array.from({ length: steps + 1 }, () => 6 * (rng.uniform() - 0.5));
    const { t, states } = sampleTrajectory(
      (time, y, out) => {
        out[0] = y[1]!;
        out[1] = -9.81 * Math.sin(y[0]!) + u[Math.min(steps, Math.floor(time / dt + 1e-9))]!;
      },
      [Math.PI * (2 * rng.uniform() - 1), 2 * rng.uniform() - 1],
      { dt, tEnd: steps * dt },
    );
    for (let i = 0; i < t.length; i++) {
      cols.episode.push(e);
      cols.t.push(t[i]!);
      cols.cos_theta.push(Math.cos(states[0]![i]!));
      cols.sin_theta.push(Math.sin(states[0]![i]!));
      cols.theta_dot.push(states[1]![i]!);
    }
  }
  return { columns: new Map(Object.entries(cols).map(([k, v]) => [k, Float64Array.from(v)])), n: cols.t.length };
}

const INPUTS = ['cos_theta', 'sin_theta', 'theta_dot'];

test('continuous time on smoothed states: cos² + sin² = 1 is reported and imposed, no near-cancelling terms', () => {
  const { columns, n } = pendulumEpisodes(30, 5);
  const data = continuousTimeData(columns, n, 't', INPUTS, 'auto');
  const result = discoverLaws({ columns: data.columns, n: data.n, inputs: INPUTS, targets: data.names, library: 'poly:3', lambda: 'auto', seed: 1, exactColumns: data.raw });
  const notes = (result.law.warnings ?? []).join('\n');
  assert.match(notes, /sin_theta\^2 = 1 - cos_theta\^2/);
  assert.match(notes, /unsmoothed data/);
  const accel = result.law.outputs[2]!;
  // The true law has one term of size 9.81; cancelling triples (θ̇ - cos²·θ̇ - sin²·θ̇) are far larger
  // than any true coefficient and come with a term of the dependency's other side.
  for (const o of result.law.outputs) for (const t of o.terms) assert.ok(Math.abs(t.coefficient) < 11, `${o.name}: ${t.term} = ${t.coefficient}`);
  const sinTerm = accel.terms.find((t) => t.term === 'sin_theta');
  assert.ok(sinTerm && Math.abs(sinTerm.coefficient + 9.81) < 0.1, JSON.stringify(accel.terms));
  assert.ok(accel.terms.length <= 2, JSON.stringify(accel.terms));
});

test('the weak form reports the dependencies of its integrated library', () => {
  const { columns, n } = pendulumEpisodes(30, 5);
  const result = discoverWeak({ columns, n, inputs: INPUTS, time: 't', library: 'poly:3', lambda: 'auto', seed: 1 });
  assert.match((result.law.warnings ?? []).join('\n'), /sin_theta\^2 = 1 - cos_theta\^2/);
});
