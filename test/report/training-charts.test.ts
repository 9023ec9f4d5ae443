import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart } from '../../src/report/charts.js';
import { readTrainingRun } from '../../src/report/run-dir.js';
import { activeTermsChart, learningCurveChart } from '../../src/report/training-charts.js';

const LAW = fileURLToPath(new URL('../../../examples/laws/pendulum-poly3.json', import.meta.url));

test('a run directory with evals.csv: evaluation spread drawn, extra files and columns tolerated', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-run-'));
  try {
    copyFileSync(LAW, join(dir, 'law.json'));
    const rows = ['episode,return,eval_mean,terms,seconds,extra'];
    for (let e = 1; e <= 40; e++) rows.push([e, -1000 + 20 * e, e % 20 === 0 ? -500 + e : '', e < 30 ? 20 : 9, (0.5 * e).toFixed(3), 'x'].join(','));
    writeFileSync(join(dir, 'returns.csv'), rows.join('\n') + '\n');
    // Three evaluation episodes at 20 and 40; one row at 30 without an evaluation mean is ignored.
    const evals = ['episode,seed,return', '20,1,-490', '20,2,-480', '20,3,-470', '30,1,-1', '40,1,-470', '40,2,-460', '40,3,-450'];
    writeFileSync(join(dir, 'evals.csv'), evals.join('\n') + '\n');
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ config: { hardenAfter: 32, g: 9.81, env: 'pendulum' }, other: true }));
    writeFileSync(join(dir, 'checkpoint.bin'), 'not read');
    const run = readTrainingRun(dir);
    assert.equal(run.episodes.length, 40);
    assert.equal(run.config.hardenAfter, 32);
    const curve = learningCurveChart(run);
    // Two evaluations with a spread bar each, and the hardening rule.
    assert.deepEqual(curve.marks, { area: 1, line: 2, symbol: 2, rule: 3 });
    const { svg } = await renderChart(curve);
    assert.equal((svg.match(/<g class="mark-rule role-mark[^>]*>([\s\S]*?)<\/g>/g) ?? []).join('').match(/<line/g)?.length, 3);
    const terms = activeTermsChart(run)!;
    assert.deepEqual(terms.marks, { line: 1, rule: 1 });
    assert.match(terms.caption!, /9 at the end/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run directory errors name the file, line and column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-run-'));
  try {
    copyFileSync(LAW, join(dir, 'law.json'));
    writeFileSync(join(dir, 'returns.csv'), 'episode,return\n1,-100\n2,oops\n');
    assert.throws(() => readTrainingRun(dir), /returns\.csv: line 3, column "return": "oops" is not a finite number/);
    writeFileSync(join(dir, 'returns.csv'), 'episode,eval_mean\n1,-100\n');
    assert.throws(() => readTrainingRun(dir), /returns\.csv: no column "return" \(the columns are: episode, eval_mean\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
