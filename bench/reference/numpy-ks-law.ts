import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SparselawError } from '../../src/errors.js';
import { loadLaw } from '../../src/export/law.js';
import { KuramotoSivashinsky, KS_NX } from '../../src/envs/ks/env.js';
import { ksLawPolicy } from '../../src/envs/ks/agent-episodes.js';

/** The NumPy law evaluator, next to this file's source (dist/bench/reference -> bench/reference). */
export const NUMPY_KS_LAW_SCRIPT = fileURLToPath(new URL('../../../bench/reference/ks_law_numpy.py', import.meta.url));
/** The sparselaw command (dist/src/cli/bin.js), for `sparselaw export LAW --to python`. */
const SPARSELAW_BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

export interface LawAgreement {
  mu: number;
  steps: number;
  sparselawReturn: number;
  numpyReturn: number;
  /** |sparselaw - numpy| / |numpy|. */
  relativeDifference: number;
  /** max |u - u_numpy| over the grid at the start state (after the uncontrolled transient). */
  startDifference: number;
  /** max over all steps and grid points of |u - u_numpy|. */
  maxFieldDifference: number;
  /** First control step (1-based) after which max |u - u_numpy| exceeds the threshold, or null. */
  divergenceStep: number | null;
  /** max |a| difference between the Python export and the NumPy reading of the law's expression trees, over the NumPy episode (NaN if not finite). */
  exportVsTree: number;
  /** Why an episode ended early (an action or the field stopped being finite), per side; the returns then cover the steps before. */
  sparselawStopped: string | null;
  numpyStopped: string | null;
}

interface NumpyLawRun {
  mu: number;
  return: number;
  start: number[];
  fields: number[][];
  action_difference: number | null;
  stopped: string | null;
}

const lastLine = (err: unknown): string => String((err as { stderr?: unknown }).stderr ?? '').trim().split('\n').pop() || (err as Error).message;

/**
 * The law at `lawPath` as a controller at each mu, in sparselaw (KS-v0, compiled JS kernel) and in the
 * NumPy implementation (ks_law_numpy.py, acting through the law's Python export from
 * `sparselaw export --to python`, cross-checked against its own reading of the expression trees), no
 * noise; returns per mu both returns and how far the two fields drift apart.
 */
export function compareLawWithNumpy(python: string, lawPath: string, mus: readonly number[], steps = 999, threshold = 1e-6): { numpy: string; rows: LawAgreement[] } {
  const policy = ksLawPolicy(loadLaw(lawPath), lawPath);
  const dir = mkdtempSync(join(tmpdir(), 'sparselaw-ks-law-'));
  let out: string;
  try {
    const module = join(dir, 'law_module.py');
    try {
      execFileSync(process.execPath, [SPARSELAW_BIN, 'export', lawPath, '--to', 'python', '--out', module], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      throw new SparselawError(`sparselaw export --to python failed: ${lastLine(err)}`);
    }
    try {
      out = execFileSync(python, [NUMPY_KS_LAW_SCRIPT, lawPath, module, String(steps), ...mus.map(String)], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      throw new SparselawError(`the NumPy law evaluation failed: ${lastLine(err)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let parsed: { numpy: string; runs: NumpyLawRun[] };
  try {
    parsed = JSON.parse(out) as { numpy: string; runs: NumpyLawRun[] };
  } catch {
    throw new SparselawError(`the NumPy law evaluation printed something that is not JSON: ${out.slice(0, 80)}`);
  }
  const rows = mus.map((mu, i) => {
    const ref = parsed.runs[i]!;
    const env = new KuramotoSivashinsky({ episodeSteps: steps });
    let obs = env.reset({ parameters: [mu] });
    const maxDiff = (u: Float64Array, v: readonly number[]) => {
      let d = 0;
      for (let k = 0; k < KS_NX; k++) d = Math.max(d, Math.abs(u[k]! - v[k]!));
      return d;
    };
    const startDifference = maxDiff(env.field(), ref.start);
    let total = 0;
    let maxFieldDifference = 0;
    let divergenceStep: number | null = null;
    let sparselawStopped: string | null = null;
    for (let s = 0; s < steps; s++) {
      const a = policy(obs, mu);
      if (!Array.from(a).every(Number.isFinite)) {
        sparselawStopped = `non-finite action at step ${s + 1}`;
        break;
      }
      const r = env.step(a);
      const u = env.field();
      if (!(Number.isFinite(r.reward) && u.every(Number.isFinite))) {
        sparselawStopped = `non-finite field at step ${s + 1}`;
        break;
      }
      total += r.reward;
      obs = r.observation;
      const v = ref.fields[s];
      if (v === undefined) continue;
      const d = maxDiff(u, v);
      maxFieldDifference = Math.max(maxFieldDifference, d);
      if (divergenceStep === null && d > threshold) divergenceStep = s + 1;
    }
    return {
      mu,
      steps,
      sparselawReturn: total,
      numpyReturn: ref.return,
      relativeDifference: Math.abs(total - ref.return) / Math.max(Math.abs(ref.return), Number.MIN_VALUE),
      startDifference,
      maxFieldDifference,
      divergenceStep,
      exportVsTree: ref.action_difference ?? Number.NaN,
      sparselawStopped,
      numpyStopped: ref.stopped,
    };
  });
  return { numpy: parsed.numpy, rows };
}
