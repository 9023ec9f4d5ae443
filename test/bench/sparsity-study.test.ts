import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const STUDY = fileURLToPath(new URL('../../bench/sparsity-study.js', import.meta.url));

test('the sparsity study runs end to end in its quick form: one table row per method, every count of its seeds, the sample sizes and the L0/L1 policy runs', () => {
  const r = spawnSync(process.execPath, [STUDY, '--quick'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^# Sparsity methods compared: equation discovery and control laws/);
  for (const method of ['l0', 'l1', 'adaptive-l1', 'stlsq', 'sr3-l0', 'sr3-l1', 'magnitude']) {
    assert.match(r.stdout, new RegExp(`\\| 1% +\\| +${method} \\| +[0-2]/2 \\| +\\d\\.\\d\\de[-+]\\d+ \\| +\\d+ \\| +\\d+\\.\\d{3} \\|`), method);
    assert.match(r.stdout, new RegExp(`\\| ${method} +\\| +\\d+% \\| +\\d+% \\| +\\d+\\.\\d{3} \\| +\\d+\\.\\d{3} \\|`), `${method} by sample size`);
  }
  for (const penalty of ['l0', 'l1']) assert.match(r.stdout, new RegExp(`\\| search +\\| +${penalty} \\| +1 \\| +-?\\d+\\.\\d \\| +\\d+ \\|`), `search ${penalty}`);
  assert.match(r.stdout, /\*\*L0 gates or L1 on a control law \(search\)\?\*\* Median return -?\d+\.\d with \d+ terms \(L0\)/);
});

test('the study written with --out puts its charts beside the page as SVG files the page links to', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparsity-study-'));
  try {
    const r = spawnSync(process.execPath, [STUDY, '--quick', '--out', join(dir, 'sparsity.md')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const page = readFileSync(join(dir, 'sparsity.md'), 'utf8');
    const links = [...page.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1]!);
    assert.deepEqual(links, ['sparsity-gates.svg', 'sparsity-front-van.svg']);
    for (const link of links) assert.match(readFileSync(join(dir, link), 'utf8'), /^<svg[^>]*>[\s\S]*<\/svg>\s*$/);
    assert.match(page, /\| \[0\.95, 1\] +\| +\d+ \| +\d\.\d{3} \| +\d\.\d{3} \|/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
