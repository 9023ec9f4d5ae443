/**
 * KS laws judged on distributions of mu: `in`, mu drawn from U(-0.2, 0.2) (the training range), and
 * `beyond`, half from U(0.2, 0.25) and half from U(-0.25, -0.2), each without sensor noise and with
 * noise N(0, 0.25). The baseline is the proportional law a = clip(-k m, -1, 1) with one gain k* per
 * noise setting, the one with the least mean cost on the `in` draws over k = 0, step, ..., max-gain;
 * every cost is also given as a multiple of that baseline's on the same draws. The per-draw best gain
 * (an oracle no single law has) is a reference row. Several laws also get the row of their mean.
 * A run directory without a law.json (TD3 with an MLP actor) is judged with the actor it kept.
 *
 *   node dist/bench/ks-protocols.js LAW_OR_RUN... [--draws 12] [--max-gain 50] [--gain-step 1] [--seed 1] [--workers N]
 */
import { availableParallelism } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../src/util/rng.js';
import { loadLaw } from '../src/export/law.js';
import { evaluateProportionalParallel, type ProportionalTask } from '../src/envs/ks/proportional.js';
import { evaluateKsAgentsParallel, ksLawPath, type KsAgentSource, type KsAgentTask } from '../src/envs/ks/agent-episodes.js';
import { formatTable } from '../src/cli/table.js';
import { lawTermCount } from '../src/envs/ks/compare.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    draws: { type: 'string', default: '12' },
    'max-gain': { type: 'string', default: '50' },
    'gain-step': { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: String(availableParallelism()) },
  },
});
const draws = Number(values.draws);
const maxGain = Number(values['max-gain']);
const gainStep = Number(values['gain-step']);
const workers = Number(values.workers);
if (!(Number.isInteger(draws) && draws >= 2 && draws % 2 === 0)) throw new Error(`--draws: an even integer >= 2, got ${values.draws}`);
if (!(maxGain >= 0 && gainStep > 0)) throw new Error('--max-gain must be >= 0 and --gain-step > 0');

const rng = Rng.seeded(Number(values.seed));
const protocols = {
  in: Array.from({ length: draws }, () => rng.range(-0.2, 0.2)),
  beyond: Array.from({ length: draws }, (_, i) => (i % 2 === 0 ? rng.range(0.2, 0.25) : rng.range(-0.25, -0.2))),
};
const NOISES = [0, 0.25];
// One episode per draw and noise setting, each draw on its own noise stream.
const cases = (['in', 'beyond'] as const).flatMap((protocol) => NOISES.flatMap((sensorNoise) => protocols[protocol].map((mu, i) => ({ protocol, sensorNoise, mu, seed: 7000 + i }))));
type Case = (typeof cases)[number];
const settings = (['in', 'beyond'] as const).flatMap((protocol) => NOISES.map((sensorNoise) => ({ protocol, sensorNoise })));
const inSetting = (c: Case, s: { protocol: string; sensorNoise: number }) => c.protocol === s.protocol && c.sensorNoise === s.sensorNoise;

const isTrainedRun = (p: string) => existsSync(p) && statSync(p).isDirectory() && !existsSync(join(p, 'law.json')) && existsSync(join(p, 'checkpoint.bin'));
const agents: { title: string; source: KsAgentSource; terms?: number }[] = positionals.map((p) => {
  if (isTrainedRun(p)) return { title: basename(p), source: { kind: 'trained', runDir: p } };
  const path = ksLawPath(p);
  return { title: basename(p).replace(/\.json$/, ''), source: { kind: 'law', path }, terms: lawTermCount(loadLaw(path)) };
});
const laws = agents.filter((a) => a.terms !== undefined);

const start = performance.now();
const gains = Array.from({ length: Math.floor(maxGain / gainStep + 1e-9) + 1 }, (_, i) => Math.round(i * gainStep * 1e9) / 1e9);
const pTasks: ProportionalTask[] = gains.flatMap((gain) => cases.map((c) => ({ mu: c.mu, gain, sensorNoise: c.sensorNoise, seed: c.seed })));
const pCosts = (await evaluateProportionalParallel(pTasks, workers)).map((r) => -r.return);
const agentTasks: KsAgentTask[] = agents.flatMap((a) => cases.map((c) => ({ agent: a.source, mu: c.mu, sensorNoise: c.sensorNoise, seed: c.seed })));
const agentCosts = (await evaluateKsAgentsParallel(agentTasks, workers)).map((r) => -r.return);

const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const costOf = (all: number[], block: number) => cases.map((_, i) => all[block * cases.length + i]!);
const byGain = gains.map((_, g) => costOf(pCosts, g));
const settingMean = (costs: number[], s: (typeof settings)[number]) => mean(costs.filter((_, i) => inSetting(cases[i]!, s)));
// k* per noise setting: the least mean cost on the in-range draws.
const kStar = NOISES.map((noise) => {
  const s = { protocol: 'in', sensorNoise: noise } as const;
  let best = 0;
  byGain.forEach((costs, g) => {
    if (settingMean(costs, s) < settingMean(byGain[best]!, s)) best = g;
  });
  return best;
});
const baseline = cases.map((c, i) => byGain[kStar[NOISES.indexOf(c.sensorNoise)]!]![i]!);
const oracle = cases.map((_, i) => Math.min(...byGain.map((costs) => costs[i]!)));
const row = (title: string, terms: string, costs: number[]) => [
  title,
  terms,
  ...settings.map((s) => {
    const c = settingMean(costs, s);
    return `${c.toFixed(1)} (${(c / settingMean(baseline, s)).toFixed(2)}x)`;
  }),
];
const agentRows = agents.map((a, j) => ({ a, costs: costOf(agentCosts, j) }));
const lawRows = agentRows.filter((r) => r.a.terms !== undefined);
const rows = [
  row('no control', '0', byGain[0]!),
  row(`proportional, k* = ${NOISES.map((n, i) => `${gains[kStar[i]!]} (noise ${n})`).join(', ')}`, '8', baseline),
  row('proportional, best gain per draw (oracle)', '8', oracle),
  ...agentRows.map(({ a, costs }) => row(a.title, a.terms === undefined ? 'MLP' : String(a.terms), costs)),
  ...(laws.length > 1 ? [row(`mean of the ${laws.length} laws`, mean(laws.map((l) => l.terms!)).toFixed(1), cases.map((_, i) => mean(lawRows.map((r) => r.costs[i]!))))] : []),
];
console.log(`${draws} draws per protocol (seed ${values.seed}); in: ${protocols.in.map((m) => m.toFixed(3)).join(', ')}; beyond: ${protocols.beyond.map((m) => m.toFixed(3)).join(', ')}`);
console.log(`mean cost per episode (-return) and its multiple of the proportional baseline's; gains 0 to ${maxGain} by ${gainStep}; ${((performance.now() - start) / 1000).toFixed(1)} s on ${workers} workers\n`);
console.log(formatTable(['controller', 'terms', 'in, no noise', 'in, noise 0.25', 'beyond, no noise', 'beyond, noise 0.25'], rows));
