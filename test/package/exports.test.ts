import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The package's entry points as a user imports them ('sparselaw/expr', resolved through the exports
 * map by the package's self-reference). Each is imported in a child process whose module loader logs
 * every module it resolves, so the packages an entry really loads, statically or through an import()
 * that runs on load, are what is checked: subpaths such as 'sparselaw/expr' must not load tfjs (a
 * second of start-up and a native or wasm backend), and no entry loads the Redis queue or Vega, which
 * are imported only where a sweep runs on a queue or a report draws a chart.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RECORDER = fileURLToPath(new URL('../support/record-loads.js', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { default: string; types: string }> };
const run = promisify(execFile);

/** Entry points that may load tfjs (the whole library, and training). */
const WITH_TFJS = new Set(['.', './rl']);
/** What each entry may load beyond its tfjs allowance: only the report entry typesets with KaTeX. */
const KATEX = new Set(['.', './report']);

/** The packages (scope/name) a child process loads when it imports `specifier`. */
async function loadedPackages(specifier: string): Promise<Set<string>> {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-loads-'));
  const log = join(dir, 'loads.txt');
  try {
    await run(process.execPath, ['--import', RECORDER, '--input-type=module', '-e', `await import(${JSON.stringify(specifier)});`], {
      cwd: ROOT,
      env: { ...process.env, SPARSELAW_LOAD_LOG: log },
    });
    const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
    const names = urls.flatMap((u) => [...u.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]!).slice(-1));
    return new Set(names);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const subpaths = Object.entries(pkg.exports).filter(([, v]) => typeof v === 'object');

test('every export of package.json points at a built file with its types', () => {
  for (const [key, target] of Object.entries(pkg.exports)) {
    const files = typeof target === 'string' ? [target] : [target.default, target.types];
    for (const f of files) assert.ok(existsSync(join(ROOT, f)), `${key}: ${f} does not exist (run npm run build)`);
  }
});

test('the entry points load tfjs, KaTeX, Vega and the Redis queue only where they are needed', async () => {
  assert.ok(subpaths.length >= 12);
  const loads = await Promise.all(subpaths.map(async ([key]) => [key, await loadedPackages(`sparselaw${key.slice(1)}`)] as const));
  for (const [key, reached] of loads) {
    const heavy = [...reached].filter(
      (p) => /^bullmq$|^ioredis$|^vega/.test(p) || (p.startsWith('@tensorflow/') && !WITH_TFJS.has(key)) || (p === 'katex' && !KATEX.has(key)),
    );
    assert.deepEqual(heavy, [], `sparselaw${key.slice(1)} loads ${heavy.join(', ')}`);
  }
  // The recorder sees packages at all: the whole library does load tfjs.
  assert.ok(loads.find(([key]) => key === '.')![1].has('@tensorflow/tfjs'));
});

test('the subpaths export what their names promise', async () => {
  const expr = await import('sparselaw/expr' as string);
  assert.equal(expr.print(expr.simplify(expr.parse('2*x + 3*x'))), '5 * x');
  const exporters = await import('sparselaw/export' as string);
  assert.deepEqual([...exporters.EXPORT_FORMATS], ['text', 'latex', 'js', 'c', 'python', 'json']);
  const envs = await import('sparselaw/envs' as string);
  const models = await import('sparselaw/models' as string);
  const data = envs.collectRandomEpisodes(new envs.Pendulum({ g: 9.81 }), { episodes: 20, seed: 1 });
  const { law } = models.discoverLaws({ columns: data.columns, n: data.n, inputs: ['sin_theta', 'theta_dot', 'torque'], targets: ['next_theta_dot'], library: 'poly:1', lambda: 'auto', seed: 1 });
  assert.match(exporters.exportLaw(law, 'text', { digits: 3 }), /0\.736 \* sin_theta/);
  for (const [key, names] of Object.entries({ './law': ['loadLaw', 'saveLaw'], './library': ['parseLibrarySpec'], './l0': ['fitGram'], './data': ['readNumericCsv'], './systems': ['KsSolver'], './verify': ['formsAgree'], './report': ['writeReport'], './rl': ['trainTd3', 'lawPolicy'] })) {
    const m = await import(`sparselaw${key.slice(1)}`);
    for (const name of names) assert.equal(typeof m[name], 'function', `sparselaw${key.slice(1)} exports ${name}`);
  }
});

test('the API reference documents exactly the entry points the package exports', () => {
  const typedoc = JSON.parse(readFileSync(join(ROOT, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };
  const exported = subpaths.map(([, v]) => (v as { default: string }).default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts')).sort();
  assert.deepEqual([...typedoc.entryPoints].sort(), exported);
  for (const [key, v] of subpaths) {
    const source = readFileSync(join(ROOT, (v as { default: string }).default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts')), 'utf8');
    assert.match(source, new RegExp(`@module sparselaw${key.slice(1).replace('/', '\\/')}\\b`), `${key}: its entry module names itself with @module`);
  }
});
