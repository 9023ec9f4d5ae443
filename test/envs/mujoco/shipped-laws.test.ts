import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadLaw } from '../../../src/law/io.js';
import { lawPolicy } from '../../../src/rl/law-policy.js';
import { agentInput } from '../../../src/rl/evaluate.js';
import { runEpisode } from '../../../src/envs/episode.js';
import { getEnvEntry, prepareEnvEntry } from '../../../src/envs/index.js';

// Per shipped law: its task, its term limit and the least return docs/search.md quotes for its evaluation episodes.
const SHIPPED = [
  { file: 'inverted-pendulum.json', task: 'inverted-pendulum', maxTerms: 8, least: 1000 },
  { file: 'inverted-double-pendulum.json', task: 'inverted-double-pendulum', maxTerms: 12, least: 9359 },
  { file: 'hopper.json', task: 'hopper', maxTerms: 16, least: 3120 },
  { file: 'swimmer.json', task: 'swimmer', maxTerms: 8, least: 325 },
  { file: 'half-cheetah.json', task: 'half-cheetah', maxTerms: 24, least: 3000 },
  { file: 'walker2d.json', task: 'walker2d', maxTerms: 24, least: 3396 },
];

for (const { file, task, maxTerms, least } of SHIPPED) {
  test(`the shipped ${task} law has at most ${maxTerms} terms and returns at least ${least} on evaluation episodes`, async () => {
    const law = loadLaw(fileURLToPath(new URL(`../../../../examples/laws/${file}`, import.meta.url)));
    // The law names its environment by the registry's id or by its title (Hopper-v5); either resolves to the task.
    assert.equal(getEnvEntry(law.meta?.environment as string).id, task);
    assert.ok((law.metrics?.terms as number) <= maxTerms, `${String(law.metrics?.terms)} terms`);
    const entry = getEnvEntry(task);
    await prepareEnvEntry(entry);
    const env = entry.create({});
    const policy = lawPolicy(law, env);
    for (const { seed } of entry.evaluation.default!.cases(1).slice(0, 3)) {
      const r = runEpisode(env, { reset: { seed }, act: (obs) => policy(agentInput(obs, env)) });
      assert.ok(r.return >= least, `seed ${seed}: ${r.return}`);
    }
  });
}
