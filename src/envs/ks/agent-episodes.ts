import { availableParallelism } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runSharded } from '../../util/sharded-workers.js';
import { SparselawError } from '../../errors.js';
import { lawFromJson, loadLaw, type LawDocument } from '../../export/law.js';
import type { LawJson } from '../../law/io.js';
import { evaluateKsPolicy, KuramotoSivashinsky, type KsEpisodeCosts } from './env.js';
import { lawPolicy } from '../../rl/law-policy.js';

/**
 * A KS controller in a form a worker thread can rebuild: a law file, a training run's actor, or a
 * law document sent inline (as JSON; for candidates of a search, which are never cached).
 */
export type KsAgentSource = { kind: 'law'; path: string } | { kind: 'trained'; runDir: string } | { kind: 'document'; law: LawJson; label: string };

/** One evaluation episode of a stored controller. */
export interface KsAgentTask {
  agent: KsAgentSource;
  mu: number;
  /** Std of the sensor noise (0 for none). */
  sensorNoise: number;
  /** Seed of the sensor noise. */
  seed: number;
  /** Control steps (default 999). */
  episodeSteps?: number;
}

export interface KsAgentResult extends KsAgentTask, KsEpisodeCosts {}

export type KsPolicy = (obs: Float64Array, mu: number) => ArrayLike<number>;

/** The law document at `path` (a law.json, or a run directory holding one). */
export function ksLawPath(pathOrRun: string): string {
  return existsSync(pathOrRun) && statSync(pathOrRun).isDirectory() ? join(pathOrRun, 'law.json') : pathOrRun;
}

/**
 * A law as a KS policy; its inputs must be among m1..m8 and mu and its outputs a1..a8. Errors are
 * one line naming the file.
 */
export function ksLawPolicy(law: LawDocument, source: string): KsPolicy {
  let policy: ReturnType<typeof lawPolicy>;
  try {
    policy = lawPolicy(law, new KuramotoSivashinsky({ episodeSteps: 1 }));
  } catch (err) {
    if (err instanceof SparselawError) throw new SparselawError(`${source}: ${err.message}`);
    throw err;
  }
  const input = new Float64Array(9);
  return (obs, mu) => {
    input.set(obs);
    input[8] = mu;
    return policy(input);
  };
}

const cache = new Map<string, Promise<KsPolicy>>();

/** Rebuilds a stored controller (cached per source in this thread). */
export function ksAgentPolicy(source: KsAgentSource): Promise<KsPolicy> {
  if (source.kind === 'document') return Promise.resolve(ksLawPolicy(lawFromJson(source.law, source.label), source.label));
  const key = JSON.stringify(source);
  let p = cache.get(key);
  if (p === undefined) {
    p = (async (): Promise<KsPolicy> => {
      if (source.kind === 'law') {
        const path = ksLawPath(source.path);
        return ksLawPolicy(loadLaw(path), path);
      }
      // Imported here so that laws (and the command's input checks) never load tfjs.
      const [{ initBackend }, { loadTrainedPolicy }] = await Promise.all([import('../../backend.js'), import('../../rl/trained-policy.js')]);
      await initBackend();
      const trained = await loadTrainedPolicy(source.runDir);
      if (trained.config.env !== 'ks') throw new SparselawError(`${source.runDir}: the run was trained on "${trained.config.env}", not ks`);
      const input = new Float64Array(trained.withParameters ? 9 : 8);
      return (obs, mu) => {
        input.set(obs);
        if (trained.withParameters) input[8] = mu;
        return trained.act(input);
      };
    })();
    cache.set(key, p);
  }
  return p;
}

/** One episode of a stored controller. */
export async function evaluateKsAgent(task: KsAgentTask): Promise<KsAgentResult> {
  const policy = await ksAgentPolicy(task.agent);
  const costs = evaluateKsPolicy(policy, task.mu, { sensorNoise: task.sensorNoise, seed: task.seed, episodeSteps: task.episodeSteps });
  return { ...task, ...costs };
}

/**
 * Evaluates the tasks on `workers` worker threads (default: one per core), each rebuilding the
 * controllers from their files; results come back in task order.
 */
export function evaluateKsAgentsParallel(tasks: readonly KsAgentTask[], workers = availableParallelism()): Promise<KsAgentResult[]> {
  return runSharded(new URL('./agent-episodes-worker.js', import.meta.url), tasks, workers, 'KS agent worker');
}
