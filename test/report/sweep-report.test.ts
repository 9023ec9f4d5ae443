import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderChart } from '../../src/report/charts.js';
import { buildReport, writeReport } from '../../src/report/report.js';
import { countMarks } from './marks.js';

/** A sweep's summary.json as `sparselaw sweep` writes it: two policies over seeds, one with a single seed. */
function summary() {
  const stat = (values: number[]) => {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : undefined;
    return { mean, ...(std !== undefined ? { std } : {}), values };
  };
  const curve = (base: number, n: number) => [10, 20, 30].map((episode, i) => ({ episode, mean: base + 100 * i, ...(n > 1 ? { std: 20 + i } : {}), n }));
  return {
    sweep: 'abc123',
    command: 'train',
    axes: ['policy'],
    configurations: [
      { key: 'policy=poly:3', point: { policy: 'poly:3' }, finished: 3, failed: 0, runs: [], stats: { return: stat([-150, -160, -170]), terms: stat([9, 10, 11]), seconds: stat([100, 110, 120]) }, gatesBinary: { yes: 3, of: 3 }, curve: curve(-900, 3) },
      { key: 'policy=mlp', point: { policy: 'mlp' }, finished: 1, failed: 1, runs: [], stats: { return: stat([-140]) }, curve: curve(-800, 1) },
    ],
  };
}

test('sweep report: a row per configuration with mean ± std over seeds, and the learning curves with their spread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-sweep-report-'));
  try {
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary()));
    const report = await buildReport({ input: dir });
    assert.equal(report.kind, 'sweep');
    assert.match(report.html, /policy=poly:3<\/td><td[^>]*>3<\/td><td[^>]*>0<\/td><td[^>]*>-160\.0 ± 10\.0<\/td><td[^>]*>10\.0 ± 1\.0<\/td><td[^>]*>3\/3/);
    assert.match(report.html, /policy=mlp<\/td><td[^>]*>1<\/td><td[^>]*>1<\/td><td[^>]*>-140\.0<\/td>/);
    assert.equal(report.charts.length, 1);
    const chart = report.charts[0]!;
    // Two configurations draw a line each; only the one with several seeds has a band.
    assert.deepEqual(chart.marks, { line: 2, area: 1 });
    const counts = countMarks((await renderChart(chart)).svg);
    assert.equal(counts.line, 2);
    assert.equal(counts.area, 1);
    await assert.rejects(buildReport({ input: dir, data: 'x.csv' }), /is a sweep/);
    const out = join(dir, 'report.html');
    await writeReport({ input: dir, out });
    assert.ok(existsSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
