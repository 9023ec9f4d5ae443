import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LORENZ, simulate } from '../../src/systems/known.js';
import { parse } from '../../src/expr/parse.js';
import { saveLaw } from '../../src/law/io.js';
import { buildReport } from '../../src/report/report.js';

test('a continuous-time law against data: derivative predictions and a simulation from the first state', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-report-ct-'));
  try {
    const { t, states } = simulate(LORENZ, { tEnd: 2, dt: 0.01 });
    const rows = ['t,x,y,z', ...Array.from(t, (v, i) => [v, states[0]![i], states[1]![i], states[2]![i]].join(','))];
    const data = join(dir, 'lorenz.csv');
    writeFileSync(data, rows.join('\n') + '\n');
    const file = join(dir, 'law.json');
    const laws = { x_dot: '10 * y - 10 * x', y_dot: '28 * x - y - x * z', z_dot: 'x * y - 2.6666666666666665 * z' };
    saveLaw(file, { inputs: ['x', 'y', 'z'], outputs: Object.entries(laws).map(([name, text]) => ({ name, expr: parse(text), terms: [] })), meta: { time: 't' } });
    const report = await buildReport({ input: file, data });
    assert.equal(report.kind, 'law');
    assert.deepEqual(
      report.charts.map((c) => c.id),
      ['prediction-x_dot', 'prediction-y_dot', 'prediction-z_dot', 'simulation-x', 'simulation-y', 'simulation-z'],
    );
    for (const c of report.charts.slice(3)) {
      assert.equal(c.marks.line, 2);
      assert.match(c.svg, /<svg/);
      // The true law integrated from the first row follows the data it was sampled from.
      const values = (c.spec.data as { values: { t: number; value: number; series: string }[] }).values;
      const data = values.filter((v) => v.series === 'data');
      const sim = values.filter((v) => v.series === 'simulated law');
      assert.equal(data.length, sim.length);
      data.forEach((d, i) => assert.ok(Math.abs(d.value - sim[i]!.value) < 1e-3 * Math.max(1, Math.abs(d.value)), `${c.id} at t = ${d.t}: ${d.value} vs ${sim[i]!.value}`));
    }
    assert.match(report.html, /the simulated law dashed; RK4 from the first row, 201 samples/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
