import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SparsitySchedule } from '../../src/rl/sparsity-schedule.js';
import { PeriodicEvaluation } from '../../src/rl/evaluation.js';
import { BestActorSelection, type SelectionScore } from '../../src/rl/selection.js';
import type { Actor } from '../../src/rl/actor.js';
import type { TrainingContext } from '../../src/rl/callbacks.js';
import type { EpisodeRecord } from '../../src/rl/train-types.js';
import '../support/seed.js';

test('sparsity schedule: the penalty factor rises from 0 to 1 without ever falling, reaching 1 at ramp x total updates', () => {
  fc.assert(
    fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 100_000 }), fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 2, maxLength: 20 }), (ramp, total, updates) => {
      const s = new SparsitySchedule(ramp, total, 1);
      assert.equal(s.penaltyScale(0), ramp === 0 ? 1 : 0);
      const sorted = [...updates].sort((a, b) => a - b);
      const scales = sorted.map((u) => s.penaltyScale(u));
      scales.forEach((v, i) => {
        assert.ok(v >= 0 && v <= 1);
        if (i > 0) assert.ok(v >= scales[i - 1]!);
      });
      const full = Math.ceil(Math.max(1, ramp * total));
      assert.equal(s.penaltyScale(full), 1);
    }),
  );
});

test('sparsity schedule: the gates harden once, after the configured iteration, and the ramp reaches the actor before each update', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 60 }), (hardenAfter, iterations) => {
      const s = new SparsitySchedule(0.25, 1000, hardenAfter);
      let hardened = 0;
      const scales: number[] = [];
      const ctx = { actor: { setPenaltyScale: (v: number) => scales.push(v) } as unknown as Actor, updates: 100, harden: () => hardened++, countEnvSteps: () => {} } satisfies TrainingContext;
      for (let i = 1; i <= iterations; i++) s.afterUpdates(ctx, i);
      assert.equal(hardened, hardenAfter <= iterations ? 1 : 0);
      s.beforeUpdate(ctx);
      assert.deepEqual(scales, [0.4]);
    }),
  );
});

test('periodic evaluation: due every `every` iterations and at the last one, never otherwise', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 200 }), (every, total) => {
      const e = new PeriodicEvaluation(() => { throw new Error('not evaluated here'); }, [], every, total);
      const due = Array.from({ length: total }, (_, i) => i + 1).filter((i) => e.due(i));
      assert.equal(due.at(-1), total);
      assert.equal(due.length, Math.floor(total / every) + (total % every === 0 ? 0 : 1));
      for (const i of due) assert.ok(i % every === 0 || i === total);
    }),
  );
});

/** A selection whose candidates' scores are scripted (each scoring takes 7 env steps), over a stand-in actor carrying its weights. */
class ScriptedSelection extends BestActorSelection {
  constructor(actor: Actor, private readonly scores: number[], due: (i: number) => boolean, eligible: (i: number) => boolean) {
    super(actor, 'p', () => { throw new Error('no environment'); }, [], true, due, (i) => eligible(i));
  }
  override score(): SelectionScore {
    return { mean: this.scores.shift()!, envSteps: 7 };
  }
}

function standInActor(): Actor & { w: number } {
  const a = {
    w: 0,
    getWeights: () => [Float32Array.of(a.w)],
    setWeights: (w: readonly Float32Array[]) => { a.w = w[0]![0]!; },
    getState: () => ({ w: a.w }),
    setState: () => {},
    sync: () => {},
  };
  return a as unknown as Actor & { w: number };
}

test('selection keeps the first actor with the highest score among the due, eligible iterations, and restores exactly it', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 10 }), (scores, every, from) => {
      const due = (i: number) => i % every === 0;
      const eligible = (i: number) => i > from;
      const actor = standInActor();
      const sel = new ScriptedSelection(actor, [...scores], due, eligible);
      let counted = 0;
      const ctx = { actor, updates: 0, harden: () => {}, countEnvSteps: (n: number) => { counted += n; } } satisfies TrainingContext;
      const tried: { episode: number; score: number }[] = [];
      for (let i = 1; i <= scores.length * every; i++) {
        actor.w = i;
        const record: EpisodeRecord = { episode: i, return: 0, updates: 0, seconds: 0 };
        const before = sel.best?.episode;
        sel.onRecord(ctx, record);
        if (record.selectionMean !== undefined) tried.push({ episode: i, score: record.selectionMean });
        else assert.equal(sel.best?.episode, before);
        assert.equal(record.selectionMean !== undefined, due(i) && eligible(i));
      }
      assert.equal(counted, 7 * tried.length, 'every scoring counts its steps, nothing else does');
      if (tried.length === 0) return assert.equal(sel.best, undefined);
      const top = Math.max(...tried.map((t) => t.score));
      const first = tried.find((t) => t.score === top)!;
      assert.equal(sel.best!.episode, first.episode);
      assert.equal(sel.best!.score, top);
      actor.w = -1;
      sel.restoreBest();
      assert.equal(actor.w, first.episode);
      // The checkpoint's part restores the same choice.
      const arrays = new Map(sel.arrays().map((a) => [a.name, a]));
      const again = new ScriptedSelection(actor, [], due, eligible);
      again.restore(sel.state(), arrays, 'ckpt');
      assert.deepEqual({ ...again.best, weights: Array.from(again.best!.weights[0]!) }, { ...sel.best, weights: Array.from(sel.best!.weights[0]!) });
    }),
  );
});
