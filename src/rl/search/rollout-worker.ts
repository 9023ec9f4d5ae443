import { parentPort, workerData } from 'node:worker_threads';
import { SparselawError } from '../../errors.js';
import { prepareRolloutSetup, rolloutRunner, type RolloutSetup } from './rollouts.js';
import type { PoolRequest, PoolReply } from './pool.js';

// A long-lived worker: builds the environment and the law's kernel once, then answers batches.
const setup = workerData as RolloutSetup;
await prepareRolloutSetup(setup);
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
