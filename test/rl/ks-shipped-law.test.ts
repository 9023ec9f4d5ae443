import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadLaw } from '../../src/law/io.js';
import { evaluateKsPolicy } from '../../src/envs/ks.js';
import { ksLawPolicy } from '../../src/rl/ks-agent-episodes.js';
import { lawTermCount } from '../../src/rl/ks-compare.js';

const LAW = fileURLToPath(new URL('../../../examples/laws/ks-poly3.json', import.meta.url));

test('the shipped KS law: inputs m1..m8 and mu, outputs a1..a8, at most 64 terms', () => {
  const law = loadLaw(LAW);
  assert.deepEqual([...law.inputs].sort(), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'mu']);
  assert.deepEqual(law.outputs.map((o) => o.name), ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8']);
  assert.ok(lawTermCount(law) <= 64, `${lawTermCount(law)} terms`);
});

test('the shipped KS law gives the returns the README and docs/ks-compare.md quote (no noise)', () => {
  const law = loadLaw(LAW);
  const policy = ksLawPolicy(law, LAW);
  for (const [mu, quoted] of QUOTED) {
    const r = evaluateKsPolicy(policy, mu, {}).return;
    assert.ok(Math.abs(r - quoted) <= 0.05, `mu = ${mu}: ${r.toFixed(2)}, quoted ${quoted}`);
  }
});

// From docs/ks-compare.md: one episode of 999 steps per mu, printed to one decimal.
const QUOTED: [number, number][] = [
  [0, -31.7],
  [0.225, -483.1],
  [-0.25, -642.9],
];
