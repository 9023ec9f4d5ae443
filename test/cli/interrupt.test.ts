import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));
const ARGS = ['train', 'pendulum', '--policy', 'poly:2', '--episodes', '14', '--warmup-episodes', '1', '--update-after', '1', '--updates-per-episode', '40', '--eval-every', '7', '--critic-width', '16', '--seed', '3'];

const law = (dir: string): string => readFileSync(join(dir, 'law.json'), 'utf8').replace(/"seconds": [\d.e-]+/g, '');
const returns = (dir: string): string[] => readFileSync(join(dir, 'returns.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, 2).join(','));

test('a real SIGINT stops training at the end of an episode with a checkpoint; --resume ends exactly where an uninterrupted run ends', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-sigint-'));
  try {
    const full = spawnSync(process.execPath, [BIN, ...ARGS, '--out', join(dir, 'full')], { encoding: 'utf8' });
    assert.equal(full.status, 0, full.stderr);
    const out = join(dir, 'split');
    const child = spawn(process.execPath, [BIN, ...ARGS, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const sent = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // Interrupt once updates are running (a progress line reports updates/s).
        if (/updates\/s=/.test(stderr) && !child.killed) {
          child.kill('SIGINT');
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await sent;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted: saving a checkpoint after this episode/);
    assert.match(stdout, /stopped after episode (\d+); checkpoint in/);
    const stoppedAt = Number(/stopped after episode (\d+)/.exec(stdout)![1]);
    assert.ok(stoppedAt < 14, `stopped at ${stoppedAt}`);
    const resumed = spawnSync(process.execPath, [BIN, ...ARGS, '--out', out, '--resume'], { encoding: 'utf8' });
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.deepEqual(returns(out), returns(join(dir, 'full')));
    assert.equal(law(out), law(join(dir, 'full')));
    const changed = spawnSync(process.execPath, [BIN, ...ARGS.map((a) => (a === '40' ? '41' : a)), '--out', out, '--resume'], { encoding: 'utf8' });
    assert.notEqual(changed.status, 0);
    assert.match(changed.stderr, /different settings: updatesPerEpisode \(checkpoint: 40, now: 41\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
