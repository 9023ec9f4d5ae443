import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { runTrainingLoop, type IterationTrainer, type RunCounters } from '../../src/rl/loop.js';
import { RunFiles } from '../../src/rl/run-files.js';
import { readCheckpoint } from '../../src/rl/checkpoint.js';
import { defaultTrainConfig } from '../../src/rl/train-config.js';
import { checkResumable } from '../../src/rl/checkpoint-migration.js';
import type { Policy } from '../../src/rl/actor.js';
import type { TrainingCallback } from '../../src/rl/callbacks.js';
import type { SavedArray } from '../../src/rl/td3.js';
import type { LoopCheckpoint } from '../../src/rl/train-types.js';
import { Rng } from '../../src/util/rng.js';
import '../support/seed.js';

/** A trainer without a network: its "policy" is a random walk, so a resume that lost state would show. */
interface WalkState {
  updates: number;
  rng: ReturnType<Rng['getState']>;
}

class WalkTrainer implements IterationTrainer<WalkState> {
  rng = Rng.seeded(5);
  weight = Float32Array.of(0);
  updates = 0;
  readonly parameterNames = ['mu'];
  readonly log: string[] = [];
  readonly actor = { sparsity: () => ({ terms: Math.round(Math.abs(this.weight[0]!)), gatesBinary: true }) } as unknown as Policy;
  harden(): void {
    this.log.push('harden');
  }
  async iterate(i: number, beforeUpdate: () => void, counters: RunCounters): Promise<{ return: number; parameters: number[] }> {
    this.log.push(`iterate ${i}`);
    for (let k = 0; k < 3; k++) {
      beforeUpdate();
      this.weight[0]! += this.rng.normal();
      this.updates++;
    }
    counters.envSteps += 7;
    return { return: this.weight[0]!, parameters: [i / 10] };
  }
  checkpointState(): WalkState {
    return { updates: this.updates, rng: this.rng.getState() };
  }
  async checkpointArrays(): Promise<SavedArray[]> {
    return [{ name: 'w', shape: [1], data: this.weight }];
  }
  async restore(state: WalkState & LoopCheckpoint, arrays: ReadonlyMap<string, SavedArray>): Promise<void> {
    this.updates = state.updates;
    this.rng = Rng.fromState(state.rng);
    this.weight = Float32Array.from(arrays.get('w')!.data);
  }
}

function setup(trainer: WalkTrainer, dir: string, episodes: number, every: number) {
  const config = defaultTrainConfig({ episodes, evalEvery: every });
  const order: string[] = [];
  const cb: TrainingCallback = {
    beforeUpdate: () => order.push('before'),
    afterUpdates: (_c, i) => {
      order.push(`after ${i}`);
    },
    onRecord: (_c, r) => {
      order.push(`record ${r.episode}`);
      r.evalMean = r.return * 2;
    },
  };
  const resumable = (saved: unknown, path: string) => checkResumable(saved as typeof config, config, path);
  return { order, setup: { config, iterations: episodes, checkResumable: resumable, trainer, callbacks: [cb], saveDue: (i: number) => i % every === 0 || i === episodes, files: new RunFiles(dir) } };
}

const strip = (h: { seconds: number }[]) => h.map(({ seconds: _s, ...rest }) => rest);

test('training loop: callbacks run in order every iteration, and a stopped run resumed from its checkpoint ends exactly as an uninterrupted one', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 11 }), async (episodes, every, stopAt) => {
      fc.pre(stopAt < episodes);
      const dir = mkdtempSync(join(tmpdir(), 'loop-'));
      try {
        const whole = setup(new WalkTrainer(), join(dir, 'whole'), episodes, every);
        const full = await runTrainingLoop(whole.setup, {});
        assert.equal(full.completed, true);
        assert.equal(full.history.length, episodes);
        assert.deepEqual(whole.order.slice(0, 5), ['before', 'before', 'before', 'after 1', 'record 1']);
        assert.equal(full.counters.envSteps, 7 * episodes);

        const first = setup(new WalkTrainer(), join(dir, 'split'), episodes, every);
        const part = await runTrainingLoop(first.setup, { untilEpisode: stopAt });
        assert.equal(part.completed, false);
        assert.equal(part.history.length, stopAt);
        const saved = readCheckpoint<LoopCheckpoint>(join(dir, 'split', 'checkpoint.bin')).state;
        assert.equal(saved.episode, stopAt);
        const second = setup(new WalkTrainer(), join(dir, 'split'), episodes, every);
        const rest = await runTrainingLoop(second.setup, { resume: true });
        assert.equal(rest.completed, true);
        assert.deepEqual(strip(rest.history), strip(full.history));
        const cut = (p: string) => readFileSync(p, 'utf8').split('\n').map((l) => l.split(',').filter((_, i) => i !== 8).join(','));
        assert.deepEqual(cut(join(dir, 'split', 'returns.csv')), cut(join(dir, 'whole', 'returns.csv')));
        assert.equal(cut(join(dir, 'whole', 'returns.csv'))[0], 'episode,return,eval_mean,eval_std,select_mean,terms,updates,env_steps,mu');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 25 },
  );
});

test('training loop: a resume with other settings is refused, naming the setting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loop-'));
  try {
    await runTrainingLoop(setup(new WalkTrainer(), dir, 4, 2).setup, { untilEpisode: 2 });
    const other = setup(new WalkTrainer(), dir, 5, 2);
    await assert.rejects(runTrainingLoop(other.setup, { resume: true }), /different settings: episodes \(checkpoint: 4, now: 5\)/);
    await assert.rejects(runTrainingLoop(setup(new WalkTrainer(), join(dir, 'none'), 4, 2).setup, { resume: true }), /nothing to resume/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
