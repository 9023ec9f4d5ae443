import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SparselawError } from '../../src/errors.js';
import { loadLaw } from '../../src/export/law.js';
import { KuramotoSivashinsky, KS_NX } from '../../src/envs/ks.js';
import { ksLawPolicy } from '../../src/rl/ks-agent-episodes.js';

/** The NumPy law evaluator, next to this file's source (dist/bench/reference -> bench/reference). */
export const NUMPY_KS_LAW_SCRIPT = fileURLToPath(new URL('../../../bench/reference/ks_law_numpy.py', import.meta.url));

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
}

interface NumpyLawRun {
  mu: number;
  return: number;
  start: number[];
  fields: number[][];
}

/**
 * The law at `lawPath` as a controller at each mu, in sparselaw (KS-v0, compiled JS kernel) and in the
 * NumPy implementation (ks_law_numpy.py, reading the law's expression trees itself), no noise;
 * returns per mu both returns and how far the two fields drift apart.
 */
export function compareLawWithNumpy(python: string, lawPath: string, mus: readonly number[], steps = 999, threshold = 1e-6): { numpy: string; rows: LawAgreement[] } {
  const policy = ksLawPolicy(loadLaw(lawPath), lawPath);
  let out: string;
  try {
    out = execFileSync(python, [NUMPY_KS_LAW_SCRIPT, lawPath, String(steps), ...mus.map(String)], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim().split('\n').pop();
    throw new SparselawError(`the NumPy law evaluation failed: ${stderr || (err as Error).message}`);
  }
  const parsed = JSON.parse(out) as { numpy: string; runs: NumpyLawRun[] };
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
    for (let s = 0; s < steps; s++) {
      const r = env.step(policy(obs, mu));
      total += r.reward;
      obs = r.observation;
      const d = maxDiff(env.field(), ref.fields[s]!);
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
    };
  });
  return { numpy: parsed.numpy, rows };
}
