/**
 * The tutorial's policy comparison on Pendulum-v1 (g = 9.81): TD3 with an MLP actor and with sparse
 * dictionary actors, 250 episodes, the tutorial's protocol, same seed for every policy.
 * Run: npm run build && node dist/bench/td3-pendulum.js [--policies mlp,poly:3,fourier:1,poly:3+fourier:1]
 *      [--critic-width 256] [--episodes 250] [--seed 23524] [--lambda L (default 5e-3; 1e-2 with "+")]
 * Each run is written to runs/bench-<policy>-w<width>/ (law.json, returns.csv, summary.json).
 */
import { parseArgs } from 'node:util';
import { initBackend, describeBackend } from '../src/backend.js';
import { trainTd3, defaultTrainConfig } from '../src/rl/off-policy.js';
import { exportLaw } from '../src/export/law.js';
import { formatTable } from '../src/cli/table.js';

const { values } = parseArgs({
  options: {
    policies: { type: 'string', default: 'mlp,poly:3,fourier:1,poly:3+fourier:1' },
    'critic-width': { type: 'string', default: '256' },
    episodes: { type: 'string', default: '250' },
    seed: { type: 'string', default: '23524' },
    lambda: { type: 'string' },
  },
});
const width = Number(values['critic-width']);
const episodes = Number(values.episodes);
const seed = Number(values.seed);
await initBackend();
console.log(`Pendulum-v1 (g = 9.81), TD3, ${episodes} episodes, critics 2x${width}, seed ${seed}${values.lambda !== undefined ? `, lambda ${values.lambda}` : ''}; ${describeBackend()}`);

const rows: string[][] = [];
const curves: string[] = [];
const laws: string[] = [];
for (const policy of values.policies!.split(',')) {
  const lambda = values.lambda !== undefined ? Number(values.lambda) : policy.includes('+') ? 1e-2 : 5e-3;
  const config = defaultTrainConfig({ policy, episodes, seed, lambda });
  config.td3.criticHidden = [width, width];
  const dir = `runs/bench-${policy.replace(/[^A-Za-z0-9]+/g, '_')}-w${width}${values.lambda !== undefined ? `-l${values.lambda}` : ''}`;
  const result = await trainTd3(config, { outDir: dir });
  const ev = result.finalEval!;
  const sd = Math.sqrt(ev.returns.reduce((s, r) => s + (r - ev.mean) ** 2, 0) / ev.returns.length);
  const gates = result.law ? (result.law.metrics!.gatesBinary ? 'yes' : 'no') : '';
  rows.push([
    policy === 'mlp' ? 'MLP actor' : `sparse ${policy}`,
    `${ev.mean.toFixed(1)} ± ${sd.toFixed(1)}`,
    result.terms === undefined ? '' : String(result.terms),
    gates,
    `${result.seconds.toFixed(0)} s`,
    result.envStepsPerSecond.toFixed(0),
    result.updatesPerSecond.toFixed(1),
  ]);
  curves.push(`${policy}: ${result.history.filter((h) => h.evalMean !== undefined).map((h) => `${h.episode}:${h.evalMean!.toFixed(0)}`).join(' ')}`);
  if (result.law) laws.push(exportLaw(result.law, 'text', { digits: 4 }).trimEnd());
}
console.log(formatTable(['policy', 'final return (10 episodes)', 'terms', 'gates 0/1', 'wall time', 'env steps/s', 'TD3 updates/s'], rows));
console.log(`\nevaluation return along training (episode:mean of 10)\n${curves.join('\n')}`);
if (laws.length > 0) console.log(`\nlaws\n${laws.join('\n')}`);
