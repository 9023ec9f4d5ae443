import { test } from 'node:test';
import assert from 'node:assert/strict';
import semver from 'semver';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm ci` warns EBADENGINE when a locked package asks for a newer Node than the one running; on the
 * Node versions sparselaw supports (package.json "engines") no locked package may ask for more.
 * The oldest supported version is the floor of that range; ranges are read with semver (npm's own).
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));


test('no locked package asks for a newer Node than package.json promises (no EBADENGINE on npm ci)', () => {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { engines: { node: string } };
  const oldest = semver.minVersion(pkg.engines.node);
  assert.ok(oldest, `package.json engines.node is not a semver range: ${pkg.engines.node}`);
  const lock = JSON.parse(readFileSync(`${ROOT}package-lock.json`, 'utf8')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };
  const bad: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
    if (path === '' || range === undefined) continue;
    if (!semver.satisfies(oldest, range)) bad.push(`${path}@${entry.version}: node ${range}`);
  }
  assert.deepEqual(bad, [], `on Node ${oldest.version}`);
});
