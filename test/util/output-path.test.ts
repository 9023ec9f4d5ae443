import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SparselawError } from '../../src/errors.js';
import { checkOutputDir, checkOutputFile, withTimeLimit } from '../../src/util/output-path.js';

const MAKE_DIR = fileURLToPath(new URL('../../src/util/make-dir.js', import.meta.url));
const ATOMIC = fileURLToPath(new URL('../../src/util/atomic-write.js', import.meta.url));

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sparselaw-out-'));
}

async function rejection(p: Promise<unknown>): Promise<SparselawError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SparselawError, `expected a SparselawError, got ${String(err)}`);
    assert.doesNotMatch(err.message, /\n/);
    return err;
  }
  assert.fail('expected the check to fail');
}

test('a writable location passes, its missing directories are made, and no probe file is left', async () => {
  const dir = tempDir();
  try {
    await checkOutputFile(join(dir, 'a', 'b', 'law.json'), 'the law document');
    assert.deepEqual(readdirSync(join(dir, 'a', 'b')), []);
    await checkOutputDir(join(dir, 'run', 'x'), 'the run directory');
    assert.deepEqual(readdirSync(join(dir, 'run', 'x')), []);
    writeFileSync(join(dir, 'old.json'), '{}');
    await checkOutputFile(join(dir, 'old.json'), 'the law document');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a path under a regular file names that file', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'data.csv');
    writeFileSync(file, 'x\n1\n');
    const e1 = await rejection(checkOutputFile(join(file, 'sub', 'law.json'), 'the law document'));
    assert.equal(e1.message, `cannot write the law document ${join(file, 'sub', 'law.json')}: ${file} is not a directory (ENOTDIR)`);
    const e2 = await rejection(checkOutputDir(join(file, 'run'), 'the run directory'));
    assert.match(e2.message, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a directory`));
    const e3 = await rejection(checkOutputDir(file, 'the run directory'));
    assert.match(e3.message, /is not a directory \(ENOTDIR\)/);
    assert.equal(existsSync(join(file, 'sub')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a directory, a device or a path ending in a separator is not accepted as an output file', async () => {
  const dir = tempDir();
  try {
    assert.match((await rejection(checkOutputFile(dir, 'the law document'))).message, /it is a directory$/);
    assert.match((await rejection(checkOutputFile(`${dir}/new/`, 'the law document'))).message, /ends in a separator/);
    // An atomic write renames over its target: as root, that would replace /dev/null by a file.
    if (existsSync('/dev/null')) assert.match((await rejection(checkOutputFile('/dev/null', 'the law document'))).message, /not a regular file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('/proc/x fails at once with the cause instead of spinning', { skip: !existsSync('/proc/self') && 'no procfs here' }, async () => {
  const e1 = await rejection(checkOutputFile('/proc/x', 'the law document'));
  assert.match(e1.message, /^cannot write the law document \/proc\/x: cannot create a file in \/proc: no such file or directory \(ENOENT\)/);
  const e2 = await rejection(checkOutputDir('/proc/x/run', 'the run directory'));
  assert.match(e2.message, /cannot create the directory \/proc\/x: /);
  // The cause of the spin: mkdirSync(..., { recursive: true }) loops on procfs. Run in a child with a
  // time limit so a regression fails instead of hanging the suite.
  for (const [mod, call] of [
    [MAKE_DIR, `m.makeDirSync('/proc/x/y')`],
    [ATOMIC, `m.writeFileAtomic('/proc/x/law.json', 'x')`],
  ] as const) {
    const script = `import(${JSON.stringify(mod)}).then((m) => { try { ${call}; console.log('no error'); } catch (e) { console.log(e.code); } });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.signal, null, `${call} did not return within 30 s`);
    assert.equal(r.stdout.trim(), 'ENOENT', r.stderr);
  }
});

test('a directory that cannot be written to is reported before any work', async (t) => {
  const dir = tempDir();
  try {
    let target: string;
    if (process.getuid?.() !== 0) {
      const ro = join(dir, 'ro');
      mkdirSync(ro);
      chmodSync(ro, 0o555);
      target = join(ro, 'law.json');
    } else if (existsSync('/sys/kernel')) {
      // Root ignores permission bits; sysfs refuses new files even to root.
      target = '/sys/kernel/sparselaw-law.json';
    } else {
      t.skip('running as root and no sysfs: a read-only directory cannot be reproduced here');
      return;
    }
    const e = await rejection(checkOutputFile(target, 'the law document'));
    assert.match(e.message, /cannot create a file in .*: (permission denied \(EACCES\)|operation not permitted \(EPERM\)|read-only file system \(EROFS\)|no such file or directory \(ENOENT\))/);
  } finally {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the time limit turns a hung file system into an error', async () => {
  const never = new Promise<never>(() => undefined);
  const e = await rejection(withTimeLimit(never, 'cannot write the law document /mnt/x/law.json', 20));
  assert.equal(e.message, 'cannot write the law document /mnt/x/law.json: the file system did not answer within 0.02 s');
});
