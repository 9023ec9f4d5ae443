import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadLaw } from '../../../src/law/io.js';
import { evaluateKsPolicy } from '../../../src/envs/ks/env.js';
import { ksLawPolicy } from '../../../src/envs/ks/agent-episodes.js';
import { lawTermCount } from '../../../src/envs/ks/compare.js';

// Per shipped law: the returns its page prints (one episode of 999 steps, no noise, one decimal).
const SHIPPED: { file: string; doc: string; quoted: [number, number][] }[] = [
  { file: 'ks-poly3.json', doc: 'docs/ks-compare.md', quoted: [[0, -31.7], [0.225, -483.1], [-0.25, -642.9]] },
  { file: 'ks-gain-schedule.json', doc: 'docs/ks-compare-gain-schedule.md', quoted: [[0, -20.6], [-0.2, -122.7], [0.225, -558.7]] },
  { file: 'ks-search.json', doc: 'docs/search.md', quoted: [[0, -18.9], [-0.2, -82.5], [0.25, -729.3]] },
  { file: 'ks-gain-schedule-quartic.json', doc: 'docs/ks-compare-gain-schedule-quartic.md', quoted: [[0, -20.3], [0.225, -487.6], [-0.25, -735.3]] },
];

for (const { file, doc, quoted } of SHIPPED) {
  const path = fileURLToPath(new URL(`../../../../examples/laws/${file}`, import.meta.url));

  test(`the shipped KS law ${file}: inputs m1..m8 and mu, outputs a1..a8, at most 64 terms`, () => {
    const law = loadLaw(path);
    assert.deepEqual([...law.inputs].sort(), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'mu']);
    assert.deepEqual(law.outputs.map((o) => o.name), ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8']);
    assert.ok(lawTermCount(law) <= 64, `${lawTermCount(law)} terms`);
  });

  test(`the shipped KS law ${file} gives the returns ${doc} quotes (no noise)`, () => {
    const policy = ksLawPolicy(loadLaw(path), path);
    for (const [mu, expected] of quoted) {
      const r = evaluateKsPolicy(policy, mu, {}).return;
      assert.ok(Math.abs(r - expected) <= 0.05, `mu = ${mu}: ${r.toFixed(2)}, quoted ${expected}`);
    }
  });
}
