/**
 * A KS law checked in an environment that is not sparselaw's own: the law is evaluated as a
 * controller in the NumPy implementation of the KS numerics (bench/reference/ks_law_numpy.py, acting
 * through the law's Python export and cross-checking it against its own reading of the law's
 * expression trees) and in sparselaw's KS-v0, at the
 * comparison's mu without noise; prints both returns, their relative difference, the largest
 * |u - u_numpy| over the episode, and the control step at which it first exceeds 1e-6 (the dynamics
 * are chaotic, so rounding differences grow).
 *
 *   npm run build && node dist/bench/ks-law-numpy.js LAW.json [--mus 0,0.2] [--episode-steps N]
 *
 * Skipped (exit 0, with a message) when no python3 with numpy is found ($SPARSELAW_PYTHON first).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SparselawError } from '../src/errors.js';
import { formatTable } from '../src/cli/table.js';
import { KS_COMPARE_MUS } from '../src/envs/ks/compare.js';
import { ksLawPath } from '../src/envs/ks/agent-episodes.js';
import { findNumpyPython } from './reference/numpy-ks.js';
import { compareLawWithNumpy } from './reference/numpy-ks-law.js';
import { runExample } from './shared/cli.js';

const USAGE = 'usage: node dist/bench/ks-law-numpy.js LAW.json [--mus 0,0.2] [--episode-steps N]';
const THRESHOLD = 1e-6;

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { mus: { type: 'string' }, 'episode-steps': { type: 'string' } } });
  if (positionals.length !== 1) throw new SparselawError(`expected one law document; ${USAGE}`);
  const lawPath = ksLawPath(positionals[0]!);
  if (!existsSync(lawPath)) throw new SparselawError(`${lawPath} does not exist`);
  const steps = values['episode-steps'] === undefined ? 999 : Number(values['episode-steps']);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new SparselawError(`--episode-steps: expected a positive integer, got "${values['episode-steps']}"`);
  const mus = values.mus === undefined ? [...KS_COMPARE_MUS] : values.mus.split(',').map((s) => {
    const v = Number(s);
    if (s.trim() === '' || !Number.isFinite(v)) throw new SparselawError(`--mus: expected comma-separated numbers, got "${values.mus}"`);
    return v;
  });
  const python = findNumpyPython();
  if (python === null) {
    process.stdout.write('skipped: no python3 with numpy found (tried $SPARSELAW_PYTHON, python3, /usr/bin/python3, python)\n');
    return;
  }
  const t0 = performance.now();
  const { numpy, rows } = compareLawWithNumpy(python, lawPath, mus, steps, THRESHOLD);
  const sci = (x: number) => x.toExponential(2);
  process.stdout.write(
    formatTable(
      ['mu', 'sparselaw return', 'NumPy return', 'relative difference', 'max abs(u - u_numpy) at start', 'over the episode', `first step above ${THRESHOLD.toExponential(0)}`, 'max abs(a_export - a_tree)'],
      rows.map((r) => [
        String(r.mu),
        r.sparselawReturn.toFixed(6) + (r.sparselawStopped ? ` (${r.sparselawStopped})` : ''),
        r.numpyReturn.toFixed(6) + (r.numpyStopped ? ` (${r.numpyStopped})` : ''),
        sci(r.relativeDifference),
        sci(r.startDifference),
        sci(r.maxFieldDifference),
        r.divergenceStep === null ? 'none' : String(r.divergenceStep),
        sci(r.exportVsTree),
      ]),
    ) +
      `\n${lawPath} as a controller, ${steps} control steps, no noise; NumPy ${numpy} (${python}) acts through the law's Python export (sparselaw export --to python); a_export - a_tree: the export against NumPy's own reading of the law's expression trees on the same observations; ${((performance.now() - t0) / 1000).toFixed(1)} s wall\n`,
  );
}

await runExample('ks-law-numpy', USAGE, main);
