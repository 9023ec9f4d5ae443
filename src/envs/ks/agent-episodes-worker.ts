// Worker thread of evaluateKsAgentsParallel: rebuilds the controllers from their files.
import { serveShard } from '../../util/sharded-workers.js';
import { evaluateKsAgent } from './agent-episodes.js';

await serveShard(evaluateKsAgent);
