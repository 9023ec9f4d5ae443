import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { exportLaw } from '../../src/export/law.js';
import { loadLaw } from '../../src/law/io.js';
import type { LawDocument } from '../../src/law/document.js';
import { parse } from '../../src/expr/parse.js';
import { Pendulum } from '../../src/envs/pendulum/env.js';
import { lawPolicy } from '../../src/rl/law-policy.js';
import { pendulumStateArb, lawStaysWithinBounds, formsAgree, closedLoopReaches, pendulumUpright } from '../../src/verify/index.js';

// A law trained by `node dist/bench/td3-pendulum.js` (sparse poly:3 actor, 250 episodes), kept as a fixture.
const LAW_FILE = fileURLToPath(new URL('../../../examples/laws/pendulum-poly3.json', import.meta.url));
const env = () => new Pendulum({ g: 9.81 });

test('the trained law keeps the torque within [-2, 2] everywhere', () => {
  fc.assert(lawStaysWithinBounds(loadLaw(LAW_FILE), env, pendulumStateArb()), { numRuns: 500 });
});

test('the compiled law and its exported JS module agree to 1e-9', async () => {
  const law = loadLaw(LAW_FILE);
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-verify-'));
  try {
    const file = join(dir, 'law.mjs');
    writeFileSync(file, exportLaw(law, 'js'));
    const mod = (await import(pathToFileURL(file).href)) as { default: (x: Record<string, number>) => Record<string, number> };
    const exported = (obs: Float64Array) => [mod.default({ cos_theta: obs[0]!, sin_theta: obs[1]!, theta_dot: obs[2]! }).torque!];
    fc.assert(formsAgree(lawPolicy(law, env()), exported, env, pendulumStateArb(), 1e-9), { numRuns: 300 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('closed loop: from the reset distribution the trained law swings up and holds the pendulum upright', () => {
  const law = loadLaw(LAW_FILE);
  const resets = pendulumStateArb({ maxSpeed: 1 });
  fc.assert(closedLoopReaches(law, env, resets, { horizon: 200, target: pendulumUpright(0.1, 0.5), hold: 50 }), { numRuns: 40 });
});

test('the closed-loop property fails for a law that does nothing', () => {
  const idle: LawDocument = { inputs: ['cos_theta', 'sin_theta', 'theta_dot'], outputs: [{ name: 'torque', expr: parse('0'), terms: [] }] };
  const result = fc.check(closedLoopReaches(idle, env, pendulumStateArb({ maxSpeed: 1 }), { horizon: 200, target: pendulumUpright(), hold: 50 }), { numRuns: 20 });
  assert.ok(result.failed);
  const tooStrong: LawDocument = { inputs: ['cos_theta', 'sin_theta', 'theta_dot'], outputs: [{ name: 'torque', expr: parse('3 * sin_theta'), terms: [] }] };
  assert.ok(fc.check(lawStaysWithinBounds(tooStrong, env, pendulumStateArb()), { numRuns: 50 }).failed);
});
