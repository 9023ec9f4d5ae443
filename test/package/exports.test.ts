import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's entry points as a user imports them. Subpaths such as 'sparselaw/expr' must not
 * load tfjs (a second of start-up and a native or wasm backend): checked on the static import graph
 * of the built files, where a dynamic import() does not count, as it costs nothing until it runs.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { import: string; types: string }> };

/** Every package a module reaches through static imports, following the package's own files. */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) stack.push(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  }
  return packages;
}

const subpaths = Object.entries(pkg.exports).filter(([key, v]) => typeof v === 'object' && key !== '.');

test('every export of package.json points at a built file with its types', () => {
  for (const [key, target] of Object.entries(pkg.exports)) {
    const files = typeof target === 'string' ? [target] : [target.import, target.types];
    for (const f of files) assert.ok(existsSync(join(ROOT, f)), `${key}: ${f} does not exist (run npm run build)`);
  }
});

test('the subpath entry points do not load tfjs, the Redis queue or the report renderers', () => {
  assert.ok(subpaths.length >= 5);
  for (const [key, target] of subpaths) {
    const reached = staticPackages(join(ROOT, (target as { import: string }).import));
    const heavy = [...reached].filter((p) => /^@tensorflow\/|^bullmq$|^ioredis$|^vega|^katex$/.test(p));
    assert.deepEqual(heavy, [], `sparselaw${key.slice(1)} reaches ${heavy.join(', ')}`);
  }
});

test('the subpaths export what their names promise', async () => {
  const expr = await import(join(ROOT, 'dist/src/expr/index.js'));
  assert.equal(expr.print(expr.simplify(expr.parse('2*x + 3*x'))), '5 * x');
  const exporters = await import(join(ROOT, 'dist/src/export/index.js'));
  assert.deepEqual([...exporters.EXPORT_FORMATS], ['text', 'latex', 'js', 'c', 'python', 'json']);
});
