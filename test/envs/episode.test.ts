import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runEpisode, type EpisodeEnv } from '../../src/envs/episode.js';
import type { StepResult } from '../../src/envs/env.js';
import '../support/seed.js';

/** A scripted environment: step t returns rewards[t], terminates at `terminateAt`, truncates at `truncateAt`. */
function scripted(rewards: number[], terminateAt: number, truncateAt: number): EpisodeEnv & { actions: number[]; resets: number } {
  let t = 0;
  const env = {
    actions: [] as number[],
    resets: 0,
    reset: () => {
      t = 0;
      env.resets++;
      return Float64Array.of(0);
    },
    step: (a: ArrayLike<number>): StepResult => {
      env.actions.push(a[0]!);
      const r = rewards[t % rewards.length]!;
      t++;
      return { observation: Float64Array.of(t), reward: r, terminated: t === terminateAt, truncated: t >= truncateAt };
    },
  };
  return env;
}

const script = fc.record({
  rewards: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 8 }),
  terminateAt: fc.integer({ min: 1, max: 40 }),
  truncateAt: fc.integer({ min: 1, max: 40 }),
  maxSteps: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
  stopOnTruncation: fc.boolean(),
});

test('runEpisode: the return is the rewards summed in step order, and it stops exactly where its rules say', () => {
  fc.assert(
    fc.property(script, ({ rewards, terminateAt, truncateAt, maxSteps, stopOnTruncation }) => {
      const env = scripted(rewards, terminateAt, truncateAt);
      const seen: number[] = [];
      const observed: number[] = [];
      const out = runEpisode(env, {
        reset: {},
        act: (obs, t) => {
          assert.equal(obs[0], t, 'act sees the observation of step t');
          return [t];
        },
        onStep: (obs, action, r, t) => {
          assert.equal(action[0], t);
          observed.push(obs[0]!);
          seen.push(r.reward);
        },
        ...(maxSteps !== undefined ? { maxSteps } : {}),
        stopOnTruncation,
      });
      let sum = 0;
      for (const r of seen) sum += r;
      assert.equal(out.return, sum);
      assert.equal(out.steps, seen.length);
      const end = Math.min(terminateAt, stopOnTruncation ? truncateAt : Infinity, maxSteps ?? Infinity);
      assert.equal(out.steps, end);
      assert.deepEqual(observed, Array.from({ length: end }, (_, t) => t));
      assert.equal(out.observation[0], end === 0 ? 0 : end);
      assert.equal(env.resets, 1);
    }),
  );
});

test('runEpisode: onStep returning true ends the episode after that step; reset null starts from the given observation', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 20 }), (stopAt) => {
      const env = scripted([1], 100, 100);
      const out = runEpisode(env, { reset: null, start: Float64Array.of(0), act: (_o, t) => [t], onStep: (_o, _a, _r, t) => t === stopAt });
      assert.equal(out.steps, stopAt + 1);
      assert.equal(out.terminated || out.truncated, false);
      assert.equal(env.resets, 0);
    }),
  );
});
