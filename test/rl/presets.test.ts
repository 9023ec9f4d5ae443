import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultTrainConfig } from '../../src/rl/off-policy.js';

test('pendulum defaults and the tutorial preset; an unknown preset is a clear error', () => {
  const d = defaultTrainConfig({ env: 'pendulum' });
  assert.deepEqual([d.policy, d.episodes, d.hardenAfter, d.lambda, d.td3.criticHidden], ['poly:2', 350, 280, 1e-2, [128, 128]]);
  const t = defaultTrainConfig({ env: 'pendulum' }, 'tutorial');
  assert.deepEqual([t.policy, t.episodes, t.hardenAfter, t.lambda, t.td3.criticHidden, t.batchSize, t.updatesPerEpisode], ['poly:3', 250, 200, 5e-3, [256, 256], 256, 100]);
  // Explicit settings win over the preset.
  const o = defaultTrainConfig({ env: 'pendulum', episodes: 100, lambda: 1e-3 }, 'tutorial');
  assert.deepEqual([o.episodes, o.hardenAfter, o.lambda], [100, 80, 1e-3]);
  assert.throws(() => defaultTrainConfig({ env: 'pendulum' }, 'fast'), /pendulum has no preset "fast" \(presets: tutorial\)/);
});
