import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadLaw } from '../../../src/law/io.js';
import { lawPolicy } from '../../../src/rl/law-policy.js';
import { agentInput } from '../../../src/rl/evaluate.js';
import { runEpisode } from '../../../src/envs/episode.js';
import { getEnvEntry, prepareEnvEntry } from '../../../src/envs/index.js';

// Per shipped law: its task, its term limit and the return docs/search.md quotes for every evaluation episode.
const SHIPPED = [{ file: 'inverted-pendulum.json', task: 'inverted-pendulum', maxTerms: 8, quoted: 1000 }];

for (const { file, task, maxTerms, quoted } of SHIPPED) {
  test(`the shipped ${task} law has at most ${maxTerms} terms and returns ${quoted} on the evaluation episodes`, async () => {
    const law = loadLaw(fileURLToPath(new URL(`../../../../examples/laws/${file}`, import.meta.url)));
    assert.equal(law.meta?.environment, task);
    assert.ok((law.metrics?.terms as number) <= maxTerms, `${String(law.metrics?.terms)} terms`);
    const entry = getEnvEntry(task);
    await prepareEnvEntry(entry);
    const env = entry.create({});
    const policy = lawPolicy(law, env);
    for (const { seed } of entry.evaluation.default!.cases(1).slice(0, 3)) {
      const r = runEpisode(env, { reset: { seed }, act: (obs) => policy(agentInput(obs, env)) });
      assert.ok(Math.abs(r.return - quoted) < 1e-6, `seed ${seed}: ${r.return}`);
    }
  });
}
