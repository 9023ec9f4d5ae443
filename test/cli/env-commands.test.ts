import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { registerEnv, getEnvEntry, type EnvEntry } from '../../src/envs/index.js';
import { SparselawError } from '../../src/errors.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

test('an environment command gets its options by their declared names, and the command line that gives them', async () => {
  const calls: { values: Record<string, unknown>; argv: readonly string[] }[] = [];
  const base = getEnvEntry('pendulum');
  const entry: EnvEntry = {
    ...base,
    id: 'cmd-probe',
    title: 'CmdProbe-v0',
    commands: {
      compare: {
        description: 'a probe',
        options: [
          { name: 'law-file', value: 'file', description: 'a file', required: true },
          { name: 'noisy-seeds', value: 'n', description: 'a number' },
          { name: 'quick', description: 'a flag' },
        ],
        async run(values, argv) {
          if (values['noisy-seeds'] === 'bad') throw new SparselawError('--noisy-seeds: expected a number, got "bad"');
          calls.push({ values: { ...values }, argv });
        },
      },
    },
  };
  registerEnv(entry);
  assert.equal(await main(['compare', 'cmd-probe', '--law-file', 'a b.json', '--quick']), 0);
  assert.deepEqual(calls[0]!.values, { 'law-file': 'a b.json', 'noisy-seeds': undefined, quick: true });
  assert.deepEqual(calls[0]!.argv, ['sparselaw', 'compare', 'cmd-probe', '--law-file', "'a b.json'", '--quick']);
  assert.equal(await main(['compare', 'cmd-probe', '--noisy-seeds', '3', '--law-file', 'x.json']), 0);
  assert.deepEqual(calls[1]!.argv, ['sparselaw', 'compare', 'cmd-probe', '--law-file', 'x.json', '--noisy-seeds', '3']);
  // Bad values are the command's one-line errors; a missing required option is commander's.
  assert.equal(await main(['compare', 'cmd-probe', '--law-file', 'x', '--noisy-seeds', 'bad']), 1);
  assert.equal(await main(['compare', 'cmd-probe']), 1);
  assert.equal(calls.length, 2);
});

test('compare and search-law list the environments that have them, each with its own options', () => {
  const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' }).stdout;
  assert.match(help, /\n {2}compare +compare controllers [^]*?\(ks\)\n/);
  assert.match(help, /\n {2}search-law +search the coefficients [^]*?\(ks\)\n/);
  const ks = spawnSync(process.execPath, [BIN, 'compare', 'ks', '--help'], { encoding: 'utf8' }).stdout;
  for (const flag of ['--sparse <law-or-run>', '--mlp <run>', '--mlp-no-mu <run>', '--mus <list>', '--seeds <n>', '--out <file>']) assert.ok(ks.includes(flag), `${flag} in\n${ks}`);
  const unknown = spawnSync(process.execPath, [BIN, 'compare', 'pendulum'], { encoding: 'utf8' });
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /unknown command 'pendulum'/);
});
