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
import {
  KS_COMPARE_MUS,
  KS_CONTROLLERS,
  ksComparisonMarkdown,
  ksTargetChecks,
  lawTermCount,
  meanKsCosts,
  readRunProgress,
  type KsCompareRow,
  type KsControllerId,
} from '../../../src/envs/ks/compare.js';
import { evaluateKsAgent, evaluateKsAgentsParallel, type KsAgentTask } from '../../../src/envs/ks/agent-episodes.js';
import { searchProportionalGains } from '../../../src/envs/ks/proportional.js';
import { getEnvEntry, resolveEnvOptions } from '../../../src/envs/index.js';
import { defaultTrainConfig, trainTd3 } from '../../../src/rl/off-policy.js';
import { initBackend } from '../../../src/backend.js';

const M = Array.from({ length: 8 }, (_, j) => `m${j + 1}`);
const A = Array.from({ length: 8 }, (_, j) => `a${j + 1}`);
const COMPARE = fileURLToPath(new URL('../../../examples/ks-compare.js', import.meta.url));

/** A row whose controllers cost the given amounts (return = -cost, split 90/10 into state and action). */
function row(mu: number, sensorNoise: number, costs: Record<KsControllerId, number>): KsCompareRow {
  const c = Object.fromEntries(KS_CONTROLLERS.map((k) => [k, { return: -costs[k], stateCost: 0.9 * costs[k], actionCost: 0.1 * costs[k] }])) as KsCompareRow['costs'];
  return { mu, sensorNoise, episodes: sensorNoise === 0 ? 1 : 3, gain: 4.5, gainAtGridEdge: false, costs: c };
}

/** Every target met: the sparse law 20% below proportional beyond |mu| >= 0.2, equal to it inside, below both MLPs. */
function passingRows(): KsCompareRow[] {
  return [0, 0.25].flatMap((noise) =>
    KS_COMPARE_MUS.map((mu) => {
      const p = 100 + 1000 * Math.abs(mu);
      const s = Math.abs(mu) >= 0.2 ? 0.8 * p : p;
      return row(mu, noise, { none: 2000, proportional: p, sparse: s, mlp: 1.5 * s, mlpNoMu: 2 * s });
    }),
  );
}

const verdicts = (rows: KsCompareRow[], terms = 40) => ksTargetChecks(rows, terms).map((c) => `${c.id}:${c.pass}`);

test('target checks: (a) 10% below proportional where |mu| >= 0.2 and within 10% elsewhere, (b) beyond the training range only, (c) <= 64 terms', () => {
  assert.deepEqual(verdicts(passingRows()), ['a:true', 'a:true', 'b:true', 'b:true', 'c:true']);
  assert.deepEqual(verdicts(passingRows(), 64), ['a:true', 'a:true', 'b:true', 'b:true', 'c:true']);
  assert.deepEqual(verdicts(passingRows(), 65), ['a:true', 'a:true', 'b:true', 'b:true', 'c:false']);

  const edit = (mu: number, noise: number, f: (r: KsCompareRow) => void): KsCompareRow[] => {
    const rows = passingRows();
    f(rows.find((r) => r.mu === mu && r.sensorNoise === noise)!);
    return rows;
  };
  const setSparse = (r: KsCompareRow, cost: number) => (r.costs.sparse = { return: -cost, stateCost: cost, actionCost: 0 });
  // mu = -0.2 is on the boundary: it needs the 10% improvement; 9% is not enough, 10% exactly is.
  assert.deepEqual(verdicts(edit(-0.2, 0, (r) => setSparse(r, 0.91 * -r.costs.proportional.return))), ['a:false', 'a:true', 'b:true', 'b:true', 'c:true']);
  assert.deepEqual(verdicts(edit(-0.2, 0, (r) => setSparse(r, 0.9 * -r.costs.proportional.return))), ['a:true', 'a:true', 'b:true', 'b:true', 'c:true']);
  // Inside the range 9% worse than proportional passes, 11% worse fails (only for that noise level).
  assert.deepEqual(verdicts(edit(0.121, 0.25, (r) => setSparse(r, 1.09 * -r.costs.proportional.return))), ['a:true', 'a:true', 'b:true', 'b:true', 'c:true']);
  assert.deepEqual(verdicts(edit(0.121, 0.25, (r) => setSparse(r, 1.11 * -r.costs.proportional.return))), ['a:true', 'a:false', 'b:true', 'b:true', 'c:true']);
  // (b): an MLP better than the law at mu = 0.2 (inside the training range) does not count, at 0.225 it does.
  const mlpBetter = (r: KsCompareRow) => (r.costs.mlpNoMu = { return: r.costs.sparse.return + 1, stateCost: 0, actionCost: 0 });
  assert.deepEqual(verdicts(edit(0.2, 0, mlpBetter)), ['a:true', 'a:true', 'b:true', 'b:true', 'c:true']);
  assert.deepEqual(verdicts(edit(-0.225, 0, mlpBetter)), ['a:true', 'a:true', 'b:false', 'b:true', 'c:true']);
  // A tie with an MLP is not "below".
  assert.deepEqual(verdicts(edit(0.25, 0.25, (r) => (r.costs.mlp = { ...r.costs.sparse }))), ['a:true', 'a:true', 'b:true', 'b:false', 'c:true']);

  const details = ksTargetChecks(passingRows(), 40);
  assert.equal(details[0]!.details.length, KS_COMPARE_MUS.length);
  assert.equal(details[2]!.details.length, 4, '(b) compares at +-0.225 and +-0.25');
  assert.match(details[0]!.details[3]!, /^mu = 0\.2: sparse 240\.0 vs proportional 300\.0 \(k = 4\.5\): -20\.0%, needs <= -10\.0%: PASS$/);
});

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

test('target checks are invariant to the unit of cost, and (b) ignores rows inside the training range', () => {
  const cost = fc.double({ min: 1, max: 1e4, noNaN: true });
  const costs = fc.record({ none: cost, proportional: cost, sparse: cost, mlp: cost, mlpNoMu: cost });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...KS_COMPARE_MUS), fc.constantFrom(0, 0.25), costs), { minLength: 1, maxLength: 12 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (spec, scale) => {
      const rows = spec.map(([mu, noise, c]) => row(mu, noise, c));
      const scaled = spec.map(([mu, noise, c]) => row(mu, noise, Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v * scale])) as Record<KsControllerId, number>));
      const a = ksTargetChecks(rows, 10);
      const b = ksTargetChecks(scaled, 10);
      // Products of doubles can land on either side of an exact tie; only clear verdicts must agree.
      const clear = rows.every((r) => {
        const s = -r.costs.sparse.return;
        const p = -r.costs.proportional.return;
        return [0.9, 1.1].every((l) => Math.abs(s - l * p) > 1e-9 * p) && s !== -r.costs.mlp.return && s !== -r.costs.mlpNoMu.return;
      });
      if (clear) assert.deepEqual(b.map((c) => c.pass), a.map((c) => c.pass));
      const inside = rows.filter((r) => Math.abs(r.mu) <= 0.2);
      const beyond = rows.filter((r) => Math.abs(r.mu) > 0.2);
      const bOnly = (cs: ReturnType<typeof ksTargetChecks>) => cs.filter((c) => c.id === 'b').map((c) => c.details);
      const worse = inside.map((r) => ({ ...r, costs: { ...r.costs, mlp: { return: 0, stateCost: 0, actionCost: 0 } } }));
      assert.deepEqual(bOnly(ksTargetChecks([...worse, ...beyond], 10)), bOnly(a));
    }),
  );
});

test('the markdown has one table per noise level with a row per mu and a column per controller, the checks and the learning curves', () => {
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
    const rows = passingRows();
    const md = ksComparisonMarkdown({ rows, checks: ksTargetChecks(rows, 40), terms: 40, runs: [{ title: 'sparse law', progress }], notes: ['a note'] });
    const tables = md.split('\n\n').filter((b) => b.startsWith('| mu |'));
    assert.equal(tables.length, 2);
    for (const t of tables) {
      const lines = t.split('\n');
      assert.equal(lines.length, 2 + KS_COMPARE_MUS.length);
      for (const l of lines) assert.equal(l.split(' | ').length, 7, l);
    }
    assert.match(md, /## Target checks: all PASS/);
    assert.equal(md.match(/\*\*PASS\*\*/g)!.length, 5);
    assert.match(md, /\| 2 \| -8\.5 ± 1\.3 \|/);
    assert.match(md, /running: no summary\.json/);
    assert.match(md, /- a note/);
    // A finished run with selection: the kept law's terms and where it was taken.
    writeFileSync(join(runDir, 'summary.json'), JSON.stringify({ seconds: 3, terms: 12, finalEval: { mean: -7.25 }, selection: { protocol: 'in', episode: 2, mean: -6.5, last: { mean: -8.5, terms: 30 } } }));
    const done = ksComparisonMarkdown({ rows, checks: ksTargetChecks(rows, 12), terms: 12, runs: [{ title: 'sparse law', progress: readRunProgress(runDir) }], notes: [] });
    assert.match(done, /\| 12 \| -8\.5 \| episode 2 \(-6\.5 on "in"; evaluation -7\.3\) \|/);
    // A column title for the law compared replaces "sparse law" in both tables, nowhere else.
    const titled = ksComparisonMarkdown({ rows, checks: ksTargetChecks(rows, 40), terms: 40, runs: [], notes: [], titles: { sparse: 'gain-scheduled law' } });
    assert.equal(titled.match(/\| mu \| no control \| best proportional \| gain-scheduled law \| MLP with mu \| MLP without mu \| best k \|/g)!.length, 2);
    assert.doesNotMatch(titled, /sparse law/);
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

test('stored agents on worker threads give the serial results; the compare example runs end to end on tiny runs and rejects bad input in one line', async () => {
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
    const run = (...args: string[]) => spawnSync(process.execPath, [COMPARE, ...args], { encoding: 'utf8' });
    const ok = run('--sparse', lawPath, '--mlp', join(dir, 'mlp'), '--mlp-no-mu', join(dir, 'nomu'), ...quick, '--out', out);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(readFileSync(out, 'utf8'), ok.stdout);
    assert.match(ok.stdout, /## With sensor noise N\(0, 0\.25\) \(mean of 2 episodes per mu and controller\)/);
    // With noise every cell and every compared number carries the standard error of its mean; without, none.
    const noisy = ok.stdout.split('## With sensor noise')[1]!.split('## Target checks')[0]!;
    assert.match(noisy, /\| 0\.2 \| -[\d.]+ ± [\d.]+ \([\d.]+ \+ [\d.]+\) \| -[\d.]+ ± [\d.]+ \(/);
    assert.doesNotMatch(ok.stdout.split('## With sensor noise')[0]!, /±/);
    assert.match(ok.stdout, /\(a\) with sensor noise 0\.25: .*\n {2}- mu = 0\.2: sparse [\d.]+ ± [\d.]+ vs proportional [\d.]+ ± [\d.]+ \(k = /);
    assert.match(ok.stdout, /\(c\) at most 64 terms over the 8 actuators\n {2}- 16 terms: PASS/);
    assert.equal(lawTermCount(proportionalLaw(1)), 16);
    assert.match(ok.stdout, /\| MLP with mu \| `.*mlp` \| 2 \| /);

    const oneLine = (r: ReturnType<typeof run>, pattern: RegExp) => {
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, pattern);
    };
    const bad = join(dir, 'bad.json');
    saveLaw(bad, proportionalLaw(1, 'x'));
    oneLine(run('--sparse', join(dir, 'none'), '--mlp', join(dir, 'mlp'), '--mlp-no-mu', join(dir, 'nomu')), /--sparse: .*none.* does not exist/);
    oneLine(run('--sparse', bad, '--mlp', join(dir, 'mlp'), '--mlp-no-mu', join(dir, 'nomu')), /bad\.json: the law.s input "x" is .*KS-v0/);
    oneLine(run('--sparse', lawPath, '--mlp', join(dir, 'missing'), '--mlp-no-mu', join(dir, 'nomu')), /--mlp: .*missing is not a run directory/);
    oneLine(run('--sparse', lawPath, '--mlp', join(dir, 'nomu'), '--mlp-no-mu', join(dir, 'nomu')), /--mlp: .*nomu was trained without mu/);
    oneLine(run('--sparse', lawPath, '--mlp', join(dir, 'mlp')), /--mlp-no-mu is required/);
    oneLine(run('--sparse', lawPath, '--mlp', join(dir, 'mlp'), '--mlp-no-mu', join(dir, 'nomu'), '--seeds', '101'), /--seeds: expected an integer in 1\.\.100, got "101"/);
    oneLine(run('--sparse', lawPath, '--mlp', join(dir, 'mlp'), '--mlp-no-mu', join(dir, 'nomu'), '--sparse-title', 'a | b'), /--sparse-title: expected a non-empty column title without "\|"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
