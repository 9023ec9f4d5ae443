// Worker thread of evaluateProportionalParallel: evaluates its share of tasks and posts the results.
import { parentPort, workerData } from 'node:worker_threads';
import { evaluateProportional, type ProportionalTask } from './ks-proportional.js';

const tasks = workerData as ProportionalTask[];
parentPort!.postMessage(tasks.map(evaluateProportional));
