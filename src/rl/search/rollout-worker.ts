import { parentPort, workerData } from 'node:worker_threads';
import { SparselawError } from '../../errors.js';
import { rolloutRunner, type RolloutSetup } from './rollouts.js';
import { loadEnvModule } from '../../envs/module-env.js';
import { getEnvEntry, prepareEnvEntry } from '../../envs/index.js';
import type { PoolRequest, PoolReply } from './pool.js';

// A long-lived worker: builds the environment and the law's kernel once, then answers batches.
const setup = workerData as RolloutSetup;
if (setup.envModule !== undefined) await loadEnvModule(setup.envModule);
await prepareEnvEntry(getEnvEntry(setup.env));
const runner = rolloutRunner(setup);
parentPort!.on('message', (req: PoolRequest) => {
  let reply: PoolReply;
  try {
    reply = { id: req.id, outcomes: runner.run(req.weights, req.tasks) };
  } catch (err) {
    reply = { id: req.id, error: err instanceof Error ? err.message : String(err), badInput: err instanceof SparselawError };
  }
  parentPort!.postMessage(reply);
});
