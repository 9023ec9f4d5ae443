/**
 * L0 gates against an L1 penalty on control laws: the Pendulum swing-up trained by the search and by
 * TD3 with `--penalty l0` and `--penalty l1`, each at the same seeds, every other setting the
 * command's default. Runs go two at a time (one per core) as CLI processes; each run's
 * summary.json gives its return, terms and wall time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));

export interface PolicyRun {
  trainer: 'search' | 'td3';
  penalty: 'l0' | 'l1';
  seed: number;
  mean: number;
  terms: number;
  seconds: number;
}

interface Job {
  trainer: PolicyRun['trainer'];
  penalty: PolicyRun['penalty'];
  seed: number;
  args: string[];
}

function runJob(job: Job, dir: string): Promise<PolicyRun> {
  const out = join(dir, `${job.trainer}-${job.penalty}-${job.seed}`);
  const child = spawn(process.execPath, [BIN, 'train', 'pendulum', ...job.args, '--penalty', job.penalty, '--seed', String(job.seed), '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${job.trainer} ${job.penalty} seed ${job.seed} failed (exit ${code}): ${err}`));
      const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { finalEval: { mean: number }; terms: number; seconds: number };
      resolve({ trainer: job.trainer, penalty: job.penalty, seed: job.seed, mean: s.finalEval.mean, terms: s.terms, seconds: s.seconds });
    }),
  );
}

/** Every run of the comparison, two at a time; `quick` runs the search alone, briefly, at one seed. */
export async function comparePolicyPenalties(quick: boolean): Promise<PolicyRun[]> {
  const seeds = quick ? [1] : [1, 2, 3];
  const trainers: { trainer: PolicyRun['trainer']; args: string[] }[] = [
    { trainer: 'search', args: ['--algo', 'es', '--workers', '1', ...(quick ? ['--iterations', '20'] : [])] },
    ...(quick ? [] : [{ trainer: 'td3' as const, args: [] }]),
  ];
  const jobs: Job[] = trainers.flatMap((t) => (['l0', 'l1'] as const).flatMap((penalty) => seeds.map((seed) => ({ trainer: t.trainer, penalty, seed, args: t.args }))));
  const dir = mkdtempSync(join(tmpdir(), 'sparsity-policies-'));
  try {
    const results: PolicyRun[] = new Array(jobs.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await runJob(jobs[i]!, dir);
        process.stderr.write(`policies: ${jobs[i]!.trainer} ${jobs[i]!.penalty} seed ${jobs[i]!.seed}: done\n`);
      }
    };
    await Promise.all([lane(), lane()]);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
