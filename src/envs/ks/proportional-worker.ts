// Worker thread of evaluateProportionalParallel.
import { serveShard } from '../../util/sharded-workers.js';
import { evaluateProportional } from './proportional.js';

await serveShard(evaluateProportional);
