import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLaw } from '../../src/law/io.js';
import type { LawDocument } from '../../src/law/document.js';
import { browserUnavailable, inspectReport } from './browser.js';

/**
 * The report as a person gets it: made by the `sparselaw report` command from what `discover` and
 * `train` write, checked as HTML everywhere and, where Chromium is installed, as a rendered page.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/bin.js');
/** One screenshot per report kind is kept here (a test artefact; not committed). */
const ARTIFACTS = join(ROOT, 'test-artifacts');

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, SPARSELAW_BACKEND: process.env.SPARSELAW_BACKEND ?? 'cpu' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function ok(...args: string[]): string {
  const r = run(...args);
  assert.equal(r.code, 0, `sparselaw ${args.join(' ')}: ${r.err}`);
  return r.out;
}

interface Made {
  file: string;
  law: LawDocument;
  html: string;
  /** Data marks the chart must have, from the fixture's own numbers. */
  expect: Record<string, Record<string, number>>;
}

let dir: string;
let discovery: Made;
let training: Made;
let runDir: string;
let dataCsv: string;
let lawJson: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sparselaw-report-'));
  // The README's discovery example, on fewer episodes.
  dataCsv = join(dir, 'pendulum.csv');
  lawJson = join(dir, 'law.json');
  ok('simulate', 'pendulum', '--episodes', '40', '--seed', '1', '--out', dataCsv);
  ok('discover', dataCsv, '--inputs', 'cos_theta,sin_theta,theta_dot,torque', '--targets', 'next_cos_theta,next_sin_theta,next_theta_dot', '--library', 'poly:3', '--out', lawJson);
  const discoveryHtml = join(dir, 'discovery.html');
  assert.match(ok('report', lawJson, '--data', dataCsv, '--out', discoveryHtml), /wrote .*discovery\.html \(discovery report: 3 formulas, 6 charts, \d+ kB\)/);
  const law = loadLaw(lawJson);
  const front = law.front!;
  discovery = {
    file: discoveryHtml,
    law,
    html: readFileSync(discoveryHtml, 'utf8'),
    expect: Object.fromEntries([
      ...law.outputs.map((o, k) => {
        const positive = front.filter((pt) => pt.validationMse[k]! > 0).length;
        // Every positive point, plus the ring around the chosen one.
        return [`front-${o.name}`, { symbol: positive + 1, line: 1 }] as const;
      }),
      // 40 episodes of 200 steps, thinned to 500 points, and the law = data line.
      ...law.outputs.map((o) => [`prediction-${o.name}`, { symbol: 500, line: 1 }] as const),
    ]),
  };
  // A real run directory: four episodes (one of random warm-up, a few TD3 updates), gates hardened after episode 3.
  runDir = join(dir, 'run');
  ok('train', 'pendulum', '--policy', 'poly:2', '--episodes', '4', '--warmup-episodes', '1', '--update-after', '2', '--updates-per-episode', '3', '--seed', '4', '--critic-width', '8', '--out', runDir);
  assert.match(ok('report', runDir), /wrote .*report\.html \(training report: 1 formula, 5 charts/);
  const trainingHtml = join(runDir, 'report.html');
  training = {
    file: trainingHtml,
    law: loadLaw(join(runDir, 'law.json')),
    html: readFileSync(trainingHtml, 'utf8'),
    expect: {
      // Band, returns, running mean; one evaluation (the last episode); the hardening rule.
      'learning-curve': { area: 1, line: 2, symbol: 1, rule: 1 },
      'active-terms': { line: 1, rule: 1 },
      // With the law and without torque; speed; torque.
      // One line per piece between wraps of the angle: the count follows the data (checked against the chart's own marks).
      'rollout-angle': {},
      'rollout-speed': { line: 1 },
      'rollout-torque': { line: 1 },
    },
  };
});

after(() => rmSync(dir, { recursive: true, force: true }));

function checkHtml(made: Made): void {
  const { html, law } = made;
  // Offline: nothing refers to the network (the SVG namespace is a name, not a request).
  assert.doesNotMatch(html, /(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
  assert.doesNotMatch(html, /url\(\s*["']?(?:https?:)?\/\//i);
  assert.doesNotMatch(html, /@import/);
  // KaTeX fonts inline, woff2 only.
  assert.match(html, /url\(data:font\/woff2;base64,/);
  assert.doesNotMatch(html, /url\(fonts\//);
  assert.doesNotMatch(html, /\.woff\)|\.ttf\)/);
  // One typeset formula per output, no KaTeX error.
  assert.equal(html.match(/<span class="katex">/g)?.length, law.outputs.length);
  assert.doesNotMatch(html, /katex-error/);
  // Every chart is an inline SVG, and the charts are the expected ones.
  const figures = [...html.matchAll(/<figure class="chart" data-chart="([^"]+)"[^>]*>([\s\S]*?)<\/figure>/g)];
  for (const [, id, body] of figures) assert.match(body!, /<svg[^>]*class="marks"/, `chart ${id}`);
  for (const id of Object.keys(made.expect)) assert.ok(figures.some((f) => f[1] === id), `missing chart ${id}`);
  // The plain-text and JS forms are on the page.
  for (const o of law.outputs) assert.ok(html.includes(`${o.name} = `), o.name);
  assert.match(html, /export default function/);
  // A reasonable size.
  assert.ok(html.length < 3_000_000, `${html.length} bytes`);
}

describe('report: the HTML file', () => {
  test('discovery report: typeset laws, front and data charts, the notes of the law document, offline', () => {
    checkHtml(discovery);
    assert.match(discovery.html, /exact linear dependenc/);
    assert.match(discovery.html, /Lambda front of next_theta_dot/);
  });

  test('training report: learning curve with gate hardening, active terms, closed loop', () => {
    checkHtml(training);
    assert.match(training.html, /gates hardened after episode 3/);
    assert.match(training.html, /One episode of Pendulum-v1 from the start state of seed 0/);
  });

  test('clear errors, and no file written: no law, invalid law, data that does not match', () => {
    const out = join(dir, 'never.html');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const badLaw = join(dir, 'bad-law.json');
    const j = JSON.parse(readFileSync(lawJson, 'utf8'));
    j.outputs[1].terms[0].term = 'sin((';
    writeFileSync(badLaw, JSON.stringify(j));
    const wrongData = join(dir, 'wrong.csv');
    writeFileSync(wrongData, 'cos_theta,sin_theta,theta_dot,u\n1,0,0,0\n');
    const cases: [string[], RegExp][] = [
      [['report', empty, '--out', out], /empty: no law\.json in this directory; give a training run directory or a law document/],
      [['report', join(dir, 'missing.json'), '--out', out], /missing\.json: cannot read the law document \(no such file\)/],
      [['report', badLaw, '--out', out], /bad-law\.json: \$\.outputs\[1\]\.terms\[0\]\.term: "sin\(\(" is not an expression/],
      [['report', lawJson, '--data', wrongData, '--out', out], /wrong\.csv: the law needs the column "torque" \(an input of the law\), which the data does not have \(its columns: cos_theta, sin_theta, theta_dot, u\)/],
      [['report', runDir, '--data', dataCsv, '--out', out], /--data: .* is a training run/],
    ];
    for (const [args, pattern] of cases) {
      const r = run(...args);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, pattern);
      assert.doesNotMatch(r.err, /at .*\.js:\d+/);
      assert.equal(existsSync(out), false);
    }
    // A failing run leaves an existing report as it was.
    writeFileSync(out, 'before');
    assert.equal(run('report', badLaw, '--out', out).code, 1);
    assert.equal(readFileSync(out, 'utf8'), 'before');
  });
});

const unavailable = browserUnavailable();

describe('report: in headless Chromium, network blocked', { skip: unavailable ? `browser test skipped: ${unavailable}` : false }, () => {
  for (const kind of ['discovery', 'training'] as const) {
    test(`${kind} report renders: no console error, one formula per law, every chart with its marks, not blank`, async () => {
      const made = kind === 'discovery' ? discovery : training;
      mkdirSync(ARTIFACTS, { recursive: true });
      const seen = await inspectReport(made.file, join(ARTIFACTS, `report-${kind}.png`));
      assert.deepEqual(seen.consoleErrors, []);
      assert.deepEqual(seen.blocked, []);
      assert.equal(seen.katexErrors, 0);
      assert.equal(seen.laws, made.law.outputs.length);
      assert.equal(seen.katex, made.law.outputs.length);
      assert.ok(seen.charts.length > 0);
      for (const chart of seen.charts) {
        assert.ok(chart.hasSvg, chart.id);
        for (const [mark, count] of Object.entries(chart.expected)) assert.equal(chart.counts[mark], count, `${chart.id}: ${mark} marks`);
        const fixture = made.expect[chart.id];
        if (fixture) for (const [mark, count] of Object.entries(fixture)) assert.equal(chart.counts[mark], count, `${chart.id}: ${mark} marks (fixture)`);
      }
      for (const id of Object.keys(made.expect)) assert.ok(seen.charts.some((c) => c.id === id), `chart ${id} on the page`);
      assert.ok(seen.inkShare > 0.01 && seen.colours > 50, `screenshot looks blank: ${(100 * seen.inkShare).toFixed(1)}% ink, ${seen.colours} colours`);
    });
  }
});
