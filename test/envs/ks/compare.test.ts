import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import '../../support/seed.js';
import { saveLaw, type LawDocument } from '../../../src/export/law.js';
import { parse } from '../../../src/expr/parse.js';
import { SparselawError } from '../../../src/errors.js';
import { KS_COMPARE_MUS, KS_CONTROLLERS, ksComparisonMarkdown, lawTermCount, meanKsCosts, readRunProgress, type KsCompareRow, type KsControllerId } from '../../../src/envs/ks/compare.js';
import { evaluateKsAgent, evaluateKsAgentsParallel, type KsAgentTask } from '../../../src/envs/ks/agent-episodes.js';
import { searchProportionalGains } from '../../../src/envs/ks/proportional.js';
import { getEnvEntry, resolveEnvOptions } from '../../../src/envs/index.js';
import { defaultTrainConfig, trainTd3 } from '../../../src/rl/off-policy.js';
import { initBackend } from '../../../src/backend.js';

const M = Array.from({ length: 8 }, (_, j) => `m${j + 1}`);
const A = Array.from({ length: 8 }, (_, j) => `a${j + 1}`);
const BIN = fileURLToPath(new URL('../../../src/cli/bin.js', import.meta.url));

/** A row whose controllers cost the given amounts (return = -cost, split 90/10 into state and action). */
function row(mu: number, sensorNoise: number, costs: Record<KsControllerId, number>): KsCompareRow {
  const c = Object.fromEntries(KS_CONTROLLERS.map((k) => [k, { return: -costs[k], stateCost: 0.9 * costs[k], actionCost: 0.1 * costs[k] }])) as KsCompareRow['costs'];
  return { mu, sensorNoise, episodes: sensorNoise === 0 ? 1 : 3, gain: 4.5, gainAtGridEdge: false, costs: c };
}

/** Rows at every mu of the comparison, without and with noise. */
function sampleRows(): KsCompareRow[] {
  return [0, 0.25].flatMap((noise) =>
    KS_COMPARE_MUS.map((mu) => {
      const p = 100 + 1000 * Math.abs(mu);
      const s = Math.abs(mu) >= 0.2 ? 0.8 * p : p;
      return row(mu, noise, { none: 2000, proportional: p, sparse: s, mlp: 1.5 * s, mlpNoMu: 2 * s });
    }),
  );
}

test('mean costs: the standard error of the mean return appears with two or more episodes', () => {
  const e = (r: number) => ({ return: r, stateCost: -r - 1, actionCost: 1 });
  assert.deepEqual(meanKsCosts([e(-5)]), { return: -5, stateCost: 4, actionCost: 1 });
  const two = meanKsCosts([e(-1), e(-3)]);
  assert.deepEqual([two.return, two.stateCost, two.actionCost], [-2, 1, 1]);
  assert.ok(Math.abs(two.stdError! - 1) < 1e-12, `${two.stdError}`);
  fc.assert(
    fc.property(fc.array(fc.double({ min: -3000, max: 0, noNaN: true }), { minLength: 2, maxLength: 20 }), fc.double({ min: -500, max: 500, noNaN: true }), (returns, shift) => {
      // Shifting every return moves the mean and leaves its standard error alone.
      const a = meanKsCosts(returns.map(e));
      const b = meanKsCosts(returns.map((r) => e(r + shift)));
      assert.ok(Math.abs(b.return - a.return - shift) <= 1e-9 * (1 + Math.abs(shift) + Math.abs(a.return)));
      assert.ok(Math.abs(b.stdError! - a.stdError!) <= 1e-6 * (1 + a.stdError!));
    }),
  );
  assert.throws(() => meanKsCosts([]), /no episodes/);
});

test('the markdown has one table per noise level with a row per mu and a column per controller compared, and the learning curves', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-kscmp-'));
  try {
    const runDir = join(dir, 'run');
    mkdirSync(runDir);
    writeFileSync(join(runDir, 'returns.csv'), 'episode,return,eval_mean,eval_std,terms,updates,seconds,mu\n1,-10,,,,0,1.5,0.1\n2,-9,-8.5,1.25,30,20,3.000,-0.2\n');
    const progress = readRunProgress(runDir);
    assert.deepEqual(progress.evaluations, [{ episode: 2, evalMean: -8.5, evalStd: 1.25 }]);
    assert.equal(progress.updates, 20);
    assert.equal(progress.seconds, 3);
    assert.equal(progress.terms, 30);
    assert.equal(progress.summary, undefined);
    const rows = sampleRows();
    const md = ksComparisonMarkdown({ rows, runs: [{ title: 'sparse law', progress }], notes: ['a note'] });
    const tables = md.split('\n\n').filter((b) => b.startsWith('| mu |'));
    assert.equal(tables.length, 2);
    for (const t of tables) {
      const lines = t.split('\n');
      assert.equal(lines.length, 2 + KS_COMPARE_MUS.length);
      for (const l of lines) assert.equal(l.split(' | ').length, 7, l);
    }
    assert.doesNotMatch(md, /PASS|FAIL|[Tt]arget/);
    assert.match(md, /\| 2 \| -8\.5 ± 1\.3 \|/);
    assert.match(md, /running: no summary\.json/);
    assert.match(md, /- a note/);
    // A finished run with selection: the kept law's terms and where it was taken.
    writeFileSync(join(runDir, 'summary.json'), JSON.stringify({ seconds: 3, terms: 12, finalEval: { mean: -7.25 }, selection: { protocol: 'in', episode: 2, mean: -6.5, last: { mean: -8.5, terms: 30 } } }));
    const done = ksComparisonMarkdown({ rows, runs: [{ title: 'sparse law', progress: readRunProgress(runDir) }], notes: [] });
    assert.match(done, /\| 12 \| -8\.5 \| episode 2 \(-6\.5 on "in"; evaluation -7\.3\) \|/);
    // A column title for the law compared replaces "sparse law" in both tables, nowhere else.
    const titled = ksComparisonMarkdown({ rows, runs: [], notes: [], titles: { sparse: 'gain-scheduled law' } });
    assert.equal(titled.match(/\| mu \| no control \| best proportional \| gain-scheduled law \| MLP with mu \| MLP without mu \| best k \|/g)!.length, 2);
    assert.doesNotMatch(titled, /sparse law/);
    // Agents not compared have no column.
    const lawOnly = rows.map((r) => ({ ...r, costs: { none: r.costs.none, proportional: r.costs.proportional, sparse: r.costs.sparse } }));
    assert.equal(ksComparisonMarkdown({ rows: lawOnly, runs: [], notes: [] }).match(/\| mu \| no control \| best proportional \| sparse law \| best k \|/g)!.length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run files: missing directory, missing returns.csv and a bad number are one-line errors naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-kscmp-'));
  try {
    assert.throws(() => readRunProgress(join(dir, 'nope')), (e: Error) => e instanceof SparselawError && /nope: not a run directory/.test(e.message));
    assert.throws(() => readRunProgress(dir), /returns\.csv: missing/);
    writeFileSync(join(dir, 'returns.csv'), 'episode,return,eval_mean,eval_std,terms,updates,seconds\n1,-1,x,0,,0,1\n');
    assert.throws(() => readRunProgress(dir), /returns\.csv: line 2, column eval_mean: expected a number, got "x"/);
    writeFileSync(join(dir, 'returns.csv'), 'episode,return\n1,-1\n');
    assert.throws(() => readRunProgress(dir), /missing column\(s\) eval_mean, eval_std, updates, seconds/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** a_j = tanh(-k m_j + 0.5 mu), with the parameter called `param`. */
function proportionalLaw(k: number, param = 'mu'): LawDocument {
  return {
    inputs: [...M, param],
    outputs: A.map((name, j) => ({ name, expr: parse(`tanh(-${k} * m${j + 1} + 0.5 * ${param})`), terms: [{ term: `m${j + 1}`, coefficient: -k }, { term: param, coefficient: 0.5 }] })),
  };
}

test('the gain search finds the best gain on the grid plus refinement, no control is gain 0 on the same seeds', async () => {
  const [r] = await searchProportionalGains([{ mu: 0.2, sensorNoise: 0.25, seeds: [5, 6] }], { maxGain: 1, step: 0.5, episodeSteps: 6, workers: 2 });
  assert.ok(r);
  const gains = r.tried.map((t) => t.gain);
  assert.deepEqual(gains.slice(0, 1), [0]);
  assert.ok([0, 0.5, 1].every((g) => gains.includes(g)));
  assert.equal(r.best.return, Math.max(...r.tried.map((t) => t.return)));
  assert.equal(r.uncontrolled.gain, 0);
  assert.deepEqual(r.uncontrolled.episodes.map((e) => e.seed), [5, 6]);
  assert.equal(r.episodes, 2 * r.tried.length);
  for (const t of r.tried) assert.ok(Math.abs(t.return - (t.episodes[0]!.return + t.episodes[1]!.return) / 2) < 1e-9);
});

test('stored agents on worker threads give the serial results; `sparselaw compare ks` runs end to end on tiny runs and rejects bad input in one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-kscmp-'));
  try {
    const lawPath = join(dir, 'law.json');
    saveLaw(lawPath, proportionalLaw(1.5));
    const tasks: KsAgentTask[] = [0.25, 0].flatMap((sensorNoise) => [-0.1, 0.2].map((mu, i) => ({ agent: { kind: 'law' as const, path: lawPath }, mu, sensorNoise, seed: 7 + i, episodeSteps: 5 })));
    const parallel = await evaluateKsAgentsParallel(tasks, 2);
    const serial = [];
    for (const t of tasks) serial.push(await evaluateKsAgent(t));
    assert.deepEqual(parallel, serial);

    await initBackend();
    for (const [name, observeParameters] of [['mlp', true], ['nomu', false]] as const) {
      const config = defaultTrainConfig({
        env: 'ks',
        envOptions: { ...resolveEnvOptions(getEnvEntry('ks')), episodeSteps: 4 },
        policy: 'mlp',
        observeParameters,
        episodes: 2,
        warmupEpisodes: 1,
        updateAfterEpisodes: 1,
        updatesPerEpisode: 2,
        evalEvery: 1,
        batchSize: 8,
      });
      config.td3 = { ...config.td3, criticHidden: [8, 8], actorHidden: [8, 8] };
      await trainTd3(config, { outDir: join(dir, name) });
    }
    const out = join(dir, 'results.md');
    const quick = ['--mus', '0.2,-0.25', '--episode-steps', '4', '--max-gain', '1', '--gain-step', '0.5', '--seeds', '2'];
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'compare', 'ks', ...args], { encoding: 'utf8' });
    const ok = run('--sparse', lawPath, '--mlp', join(dir, 'mlp'), '--mlp-no-mu', join(dir, 'nomu'), ...quick, '--out', out);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(readFileSync(out, 'utf8'), ok.stdout);
    assert.match(ok.stdout, /## With sensor noise N\(0, 0\.25\) \(mean of 2 episodes per mu and controller\)/);
    // With noise every cell carries the standard error of its mean; without, none.
    const noisy = ok.stdout.split('## With sensor noise')[1]!.split('## Learning curves')[0]!;
    assert.match(noisy, /\| 0\.2 \| -[\d.]+ ± [\d.]+ \([\d.]+ \+ [\d.]+\) \| -[\d.]+ ± [\d.]+ \(/);
    assert.doesNotMatch(ok.stdout.split('## With sensor noise')[0]!, /±/);
    assert.doesNotMatch(ok.stdout, /PASS|FAIL/);
    assert.match(ok.stdout, /sparse law: `.*law\.json` \(16 terms in its terms tables\); MLP with mu: `.*mlp`; MLP without mu: `.*nomu` \(actors rebuilt/);
    assert.match(ok.stdout, /Reproduce: `sparselaw compare ks --sparse .*law\.json --mlp .*mlp --mlp-no-mu .*nomu --mus 0\.2,-0\.25 --episode-steps 4 --seeds 2 --max-gain 1 --gain-step 0\.5`/);
    assert.equal(lawTermCount(proportionalLaw(1)), 16);
    assert.match(ok.stdout, /\| MLP with mu \| `.*mlp` \| 2 \| /);
    // The law alone: no control, the proportional law and the law.
    const alone = run('--sparse', lawPath, ...quick);
    assert.equal(alone.status, 0, alone.stderr);
    assert.match(alone.stdout, /\| mu \| no control \| best proportional \| sparse law \| best k \|/);

    const oneLine = (r: ReturnType<typeof run>, pattern: RegExp) => {
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, pattern);
    };
    const bad = join(dir, 'bad.json');
    saveLaw(bad, proportionalLaw(1, 'x'));
    oneLine(run('--sparse', join(dir, 'none'), '--mlp', join(dir, 'mlp'), '--mlp-no-mu', join(dir, 'nomu')), /--sparse: .*none.* does not exist/);
    oneLine(run('--sparse', bad, '--mlp', join(dir, 'mlp'), '--mlp-no-mu', join(dir, 'nomu')), /bad\.json: the law.s input "x" is .*KS-v0/);
    oneLine(run('--sparse', lawPath, '--mlp', join(dir, 'missing'), '--mlp-no-mu', join(dir, 'nomu')), /--mlp: .*missing is not a run directory/);
    oneLine(run('--sparse', lawPath, '--mlp', join(dir, 'nomu'), '--mlp-no-mu', join(dir, 'nomu')), /--mlp: .*nomu was trained without mu/);
    const usage = run('--mlp', join(dir, 'mlp'));
    assert.equal(usage.status, 1);
    assert.match(usage.stderr, /^error: required option '--sparse <law-or-run>' not specified\n/);
    oneLine(run('--sparse', lawPath, '--seeds', '101'), /--seeds: expected an integer in 1\.\.100, got "101"/);
    oneLine(run('--sparse', lawPath, '--mus', '0.1,x'), /--mus: expected a comma-separated list of numbers in \[-1, 1\], got "0\.1,x"/);
    oneLine(run('--sparse', lawPath, '--sparse-title', 'a | b'), /--sparse-title: expected a non-empty column title without "\|"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
