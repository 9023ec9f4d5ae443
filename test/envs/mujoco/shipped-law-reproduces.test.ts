import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../src/cli/bin.js', import.meta.url));
const SHIPPED = fileURLToPath(new URL('../../../../examples/laws/inverted-pendulum.json', import.meta.url));

/** A law without what differs between two runs of the same command: the wall time and the output directory. */
function reproducible(path: string): unknown {
  const law = JSON.parse(readFileSync(path, 'utf8')) as { metrics: Record<string, unknown>; meta: Record<string, unknown> };
  delete law.metrics.seconds;
  delete law.meta.command;
  return law;
}

test('the shipped inverted-pendulum law is what its meta.command trains', async () => {
  const command = (JSON.parse(readFileSync(SHIPPED, 'utf8')) as { meta: { command: string } }).meta.command.split(' ');
  assert.equal(command[0], 'sparselaw');
  const out = command.indexOf('--out');
  assert.ok(out > 0, 'the command names its run directory');
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-reproduce-'));
  try {
    const args = [...command.slice(1, out), ...command.slice(out + 2), '--out', join(dir, 'run')];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    assert.equal(code, 0);
    assert.deepEqual(reproducible(join(dir, 'run', 'law.json')), reproducible(SHIPPED));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
