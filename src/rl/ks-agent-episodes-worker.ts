// Worker thread of evaluateKsAgentsParallel: rebuilds the controllers, evaluates its share of tasks, posts the results.
import { parentPort, workerData } from 'node:worker_threads';
import { SparselawError } from '../errors.js';
import { evaluateKsAgent, type KsAgentResult, type KsAgentTask, type KsAgentWorkerReply } from './ks-agent-episodes.js';

const tasks = workerData as KsAgentTask[];
let reply: KsAgentWorkerReply;
try {
  const results: KsAgentResult[] = [];
  for (const t of tasks) results.push(await evaluateKsAgent(t));
  reply = { results };
} catch (err) {
  reply = { error: err instanceof Error ? err.message : String(err), badInput: err instanceof SparselawError };
}
parentPort!.postMessage(reply);
