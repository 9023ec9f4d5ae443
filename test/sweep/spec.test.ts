import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../src/cli/main.js';
import { checkSpec, configurationKey, expandRuns, readSpecFile, specFromFlags, splitAxis } from '../../src/sweep/spec.js';
import { openSweep } from '../../src/sweep/layout.js';
import { SparselawError } from '../../src/errors.js';

const SEED = Number(process.env.FC_SEED ?? 1317);
const program = buildProgram();

test('the runs are the cross product of the grid: one per combination, unique names, the options on every command line', () => {
  const axis = (key: string) => fc.uniqueArray(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 4 }).map((vs) => [key, vs] as const);
  fc.assert(
    fc.property(fc.subarray(['seed', 'episodes', 'critic-width'], { minLength: 0 }).chain((keys) => fc.tuple(...keys.map(axis))), (axes) => {
      const grid = Object.fromEntries(axes.map(([k, vs]) => [k, vs.map((v) => (k === 'seed' ? v : v + 1))]));
      const spec = checkSpec({ command: 'train', arguments: ['pendulum'], options: { policy: 'poly:2' }, grid }, 'spec', program);
      const runs = expandRuns(spec);
      const expected = Object.values(grid).reduce((n, vs) => n * vs.length, 1);
      assert.equal(runs.length, expected);
      assert.equal(new Set(runs.map((r) => r.id)).size, runs.length);
      assert.equal(new Set(runs.map((r) => JSON.stringify(r.point))).size, runs.length);
      for (const r of runs) {
        assert.deepEqual(r.argv.slice(0, 4), ['train', 'pendulum', '--policy', 'poly:2']);
        for (const [k, v] of Object.entries(r.point)) {
          const i = r.argv.indexOf(`--${k}`);
          assert.ok(i > 0 && r.argv[i + 1] === String(v));
        }
      }
      // Runs that differ only in their seed share a configuration.
      const configs = new Set(runs.map((r) => configurationKey(r.point)));
      assert.equal(configs.size, expected / (grid.seed?.length ?? 1));
    }),
    { seed: SEED, numRuns: 60 },
  );
});

test('the flag form: commas and ranges make axes, brackets keep a library whole, a lone value is shared', () => {
  assert.deepEqual(splitAxis('poly:2[x,y]+fourier:1,mlp'), ['poly:2[x,y]+fourier:1', 'mlp']);
  assert.deepEqual(splitAxis('3..6'), ['3', '4', '5', '6']);
  const spec = specFromFlags(['train', 'pendulum', '--policy', 'poly:3,mlp', '--seed', '1..3', '--episodes', '5', '--critic-width=8'], program);
  assert.deepEqual(spec.grid, { policy: ['poly:3', 'mlp'], seed: ['1', '2', '3'] });
  assert.deepEqual(spec.options, { episodes: '5', 'critic-width': '8' });
  assert.equal(expandRuns(spec).length, 6);
});

test('a malformed spec, an unknown option, a reserved option or a bad value is refused with its place', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-spec-'));
  try {
    const path = join(dir, 'spec.json');
    const cases: [string, RegExp][] = [
      ['{\n  "command": "train",\n  "grid": { "seed": [1, 2], }\n}', /spec\.json: line 3, column 29: malformed JSON/],
      ['{"command": "train", "arguments": ["pendulum"], "grid": {"sed": [1, 2]}}', /spec\.json: grid\.sed\[0\]: unknown option --sed of "sparselaw train"; known: .*seed/],
      ['{"command": "train", "options": {"out": "x"}}', /options\.out: --out is set by the sweep itself/],
      ['{"command": "train", "grid": {"episodes": [5, 0]}}', /grid\.episodes\[1\]: --episodes: expected a positive integer, got "0"/],
      ['{"command": "train", "grid": {"seed": []}}', /grid\.seed: expected a non-empty list/],
      ['{"command": "simulate"}', /command: expected one of "train", "discover"/],
      ['{"command": "train", "grid": {"seed": [1, 1]}}', /grid\.seed\[1\]: 1 is listed twice/],
      ['{"command": "train", "options": {"resume": true}}', /--resume is set by the sweep/],
      ['{"command": "train", "grid": {"seed": [1]}, "extra": 1}', /extra: unknown field/],
      ['[1]', /spec: expected a JSON object/],
    ];
    for (const [text, pattern] of cases) {
      writeFileSync(path, text);
      assert.throws(() => readSpecFile(path, program), (err: Error) => err instanceof SparselawError && pattern.test(err.message), text);
    }
    assert.throws(() => readSpecFile(join(dir, 'none.json'), program), /none\.json: cannot read the sweep spec \(ENOENT\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an output directory that holds a different sweep, or something else, is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-sweepdir-'));
  try {
    const a = checkSpec({ command: 'train', arguments: ['pendulum'], grid: { seed: [1, 2] } }, 'spec', program);
    const b = checkSpec({ command: 'train', arguments: ['pendulum'], grid: { seed: [1, 3] } }, 'spec', program);
    const out = join(dir, 'sweep');
    const first = openSweep(out, a);
    assert.equal(openSweep(out, a).file.id, first.file.id);
    assert.throws(() => openSweep(out, b), /holds a different sweep \(spec\.grid\.seed\[1\]: 2 there, 3 here\)/);
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other', 'x.txt'), 'x');
    assert.throws(() => openSweep(join(dir, 'other'), a), /exists and is not a sweep directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
