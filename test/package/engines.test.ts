import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm ci` warns EBADENGINE when a locked package asks for a newer Node than the one running; on the
 * Node versions sparselaw supports (package.json "engines") no locked package may ask for more.
 * Ranges are read by a small reader of the forms found in lockfiles (*, a.x, a.*, >= a.b.c, ||);
 * an unknown form fails the test, so a new dependency's range gets looked at.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

type Version = [number, number, number];

function parseVersion(text: string): Version {
  const parts = text.trim().replace(/^v/, '').split('.');
  const nums = [0, 1, 2].map((i) => (parts[i] === undefined || parts[i] === 'x' || parts[i] === '*' ? 0 : Number(parts[i])));
  if (nums.some((n) => !Number.isInteger(n))) throw new Error(`cannot read version "${text}"`);
  return nums as Version;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((alt) => {
    const r = alt.trim();
    if (r === '*' || r === '') return true;
    const ge = /^>=\s*(\d+(?:\.(?:\d+|x|\*))*)$/.exec(r);
    if (ge) return compare(version, parseVersion(ge[1]!)) >= 0;
    const major = /^(\d+)\.(?:x|\*)(?:\.(?:x|\*))?$/.exec(r);
    if (major) return version[0] === Number(major[1]);
    throw new Error(`cannot read the engines range "${range}"`);
  });
}

test('the range reader', () => {
  assert.equal(satisfies([20, 0, 0], '>=20'), true);
  assert.equal(satisfies([20, 19, 0], '>=22.12.0'), false);
  assert.equal(satisfies([20, 0, 0], '6.* || 8.* || >= 10.*'), true);
  assert.equal(satisfies([9, 0, 0], '6.* || 8.* || >= 10.*'), false);
  assert.throws(() => satisfies([20, 0, 0], '^20'), /cannot read/);
});

test('no locked package asks for a newer Node than package.json promises (no EBADENGINE on npm ci)', () => {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { engines: { node: string } };
  const floor = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(pkg.engines.node);
  assert.ok(floor, `package.json engines.node should be a ">=" floor, got ${pkg.engines.node}`);
  const oldest = parseVersion(floor[1]!);
  const lock = JSON.parse(readFileSync(`${ROOT}package-lock.json`, 'utf8')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };
  const bad: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
    if (path === '' || range === undefined) continue;
    if (!satisfies(oldest, range)) bad.push(`${path}@${entry.version}: node ${range}`);
  }
  assert.deepEqual(bad, [], `on Node ${oldest.join('.')}`);
});
