import { loadRecordedEnvModule, resolveEnvEntry } from '../envs/module-env.js';
import { closeEnv } from '../envs/env-state.js';
import { SparselawError } from '../errors.js';
import { readNumericCsv } from '../data/csv.js';
import { exportLaw } from '../export/law.js';
import { latexEquation } from '../export/latex.js';
import type { LawDocument } from '../law/document.js';
import { loadLaw } from '../law/io.js';
import { continuousTimeData, derivativeName } from '../models/continuous.js';
import { predictLaw } from '../models/metrics.js';
import { simulateContinuous } from '../models/rollout.js';
import { getEnvEntry, prepareEnvEntry, resolveEnvOptions, type EnvEntry, type EnvEntryInput } from '../envs/index.js';
import { agentInput } from '../rl/evaluate.js';
import { lawPolicy } from '../rl/law-policy.js';
import type { Env } from '../envs/env.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { simplify } from '../expr/simplify.js';
import { VERSION } from '../version.js';
import { type ChartSpec, type RenderedChart, renderChart } from './charts.js';
import { frontCharts, predictionCharts, simulationCharts } from './discovery-charts.js';
import { copyBlock, escapeHtml, figure, page, table } from './html.js';
import { typeset } from './katex.js';
import { rolloutCharts, type RolloutTrace } from './rollout-charts.js';
import { recordRollout } from './trace.js';
import { readSweepSummary, sweepCurveChart, sweepTable, type SweepSummary } from './sweep-report.js';
import { isDirectory, readTrainingRun, type TrainingRun } from './run-dir.js';
import { activeTermsChart, learningCurveChart } from './training-charts.js';

export interface ReportOptions {
  /** A training run directory or a law document. */
  input: string;
  /** A CSV data set to set a discovered law against. */
  data?: string;
  /** Seed of the closed-loop rollout's start state (default 0). */
  seed?: number;
  /** The environment of the closed-loop rollout (an id, a module path or an entry); default: the one the run or the law records. */
  env?: string | EnvEntryInput;
}

export interface Report {
  kind: 'discovery' | 'training' | 'law' | 'sweep';
  html: string;
  /** Number of typeset formulas (one per output of the law). */
  formulas: number;
  charts: RenderedChart[];
}

const sci = (v: number | undefined) => (v === undefined ? '' : v.toExponential(3));
const fixed = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(4) : v.toPrecision(6));

/** Significant digits of the typeset coefficients (the table and the copyable forms keep full precision). */
const FORMULA_DIGITS = 4;

function lawSection(law: LawDocument, idPrefix: string): string {
  const cards = law.outputs.map((o) => {
    const terms = o.terms.length
      ? table(['term', 'coefficient'], o.terms.map((t) => [`<code>${escapeHtml(t.term)}</code>`, `<span class="num">${escapeHtml(fixed(t.coefficient))}</span>`]))
      : '<p class="sub">no terms: the law is a constant</p>';
    return `<section class="card law" data-output="${escapeHtml(o.name)}"><h3>${escapeHtml(o.name)}</h3><div class="formula">${typeset(latexEquation(o.name, simplify(o.expr, { digits: FORMULA_DIGITS, keepNearOne: true })), `the law of ${o.name}`, { wrap: true })}</div>${terms}</section>`;
  });
  const facts: [string, string][] = [
    ['inputs', law.inputs.join(', ') || 'none'],
    ...(law.library ? [['library', law.library] as [string, string]] : []),
    ...Object.entries(law.meta ?? {})
      .filter(([k, v]) => !(k === 'library' && v === law.library))
      .map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]),
  ];
  const warnings = law.warnings?.length
    ? `<h3>Notes carried by the law document</h3><ul class="warnings">${law.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
    : '';
  return [
    `<h2>The law</h2>`,
    ...cards,
    `<section class="card"><dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`,
    copyBlock('Plain text', exportLaw(law, 'text'), `${idPrefix}-text`),
    copyBlock('JavaScript module', exportLaw(law, 'js'), `${idPrefix}-js`),
    copyBlock('LaTeX', exportLaw(law, 'latex'), `${idPrefix}-latex`),
    warnings,
    '</section>',
  ].join('\n');
}

function discoveryMetricsTable(law: LawDocument): string {
  const m = law.metrics;
  if (m?.kind !== 'discovery') return '';
  const lambda = (k: number) => (Array.isArray(m.lambda) ? m.lambda[k] : m.lambda);
  const rows = law.outputs.map((o, k) => [escapeHtml(o.name), String(m.terms[k]), sci(m.trainMse[k]), sci(m.validationMse[k]), sci(lambda(k))]);
  const counts = m.trainRows !== undefined ? `<p class="sub">${m.trainRows} training rows, ${m.validationRows ?? 0} validation rows${m.selectionRule ? `; ${escapeHtml(m.selectionRule)}` : ''}</p>` : '';
  return `<h2>Fit</h2><section class="card">${table(['output', 'terms', 'train MSE', 'validation MSE', 'lambda'], rows)}${counts}</section>`;
}

/** True when every output is the time derivative (<input>_dot) of one of the inputs. */
function isContinuousTime(law: LawDocument): boolean {
  return law.outputs.every((o) => law.inputs.some((i) => derivativeName(i) === o.name));
}

function missingColumn(file: string, header: readonly string[], name: string, role: string): SparselawError {
  return new SparselawError(`${file}: the law needs the column "${name}" (${role}), which the data does not have (its columns: ${header.join(', ')})`);
}

/** The law against a data set: predictions, and for a continuous-time law a simulation from the data's first state. */
function dataCharts(law: LawDocument, file: string): { charts: ChartSpec[]; note: string } {
  const continuous = isContinuousTime(law);
  const timeCandidates = [...(typeof law.meta?.time === 'string' ? [law.meta.time] : []), 't', 'time'];
  const wanted = [...new Set([...law.inputs, ...(continuous ? [] : law.outputs.map((o) => o.name)), ...timeCandidates, 'episode'])];
  const table = readNumericCsv(file, { optional: wanted });
  const has = (name: string) => table.columns.has(name);
  for (const input of law.inputs) if (!has(input)) throw missingColumn(file, table.header, input, 'an input of the law');
  if (!continuous) {
    for (const o of law.outputs) if (!has(o.name)) throw missingColumn(file, table.header, o.name, 'an output of the law, the target to compare with');
    const prediction = predictLaw(law, table.columns, table.n);
    const targets = law.outputs.map((o) => table.columns.get(o.name)!);
    return { charts: predictionCharts(law, targets, prediction, table.n, (k) => law.outputs[k]!.name), note: `data: ${file}, ${table.n} rows` };
  }
  const time = timeCandidates.find(has);
  if (time === undefined) throw new SparselawError(`${file}: a continuous-time law needs a time column (${[...new Set(timeCandidates)].join(' or ')}); the columns are ${table.header.join(', ')}`);
  const states = law.outputs.map((o) => law.inputs.find((i) => derivativeName(i) === o.name)!);
  // Targets: derivatives estimated from the data exactly as discovery estimates them.
  const cd = continuousTimeData(table.columns, table.n, time, states, 'auto', file);
  const order = states.map((s) => cd.names.indexOf(derivativeName(s)));
  const prediction = predictLaw(law, cd.columns, cd.n);
  const charts = predictionCharts(law, order.map((i) => cd.columns.get(cd.names[i]!)!), prediction, cd.n, (k) => `${law.outputs[k]!.name} estimated`);
  // The simulation covers the first episode (or the whole file without an episode column).
  const t = table.columns.get(time)!;
  const episode = table.columns.get('episode');
  let end = 1;
  while (end < table.n && (!episode || episode[end] === episode[0])) end++;
  if (end < 3) return { charts, note: `data: ${file}` };
  const others = law.inputs.filter((i) => !states.includes(i));
  if (others.length > 0) return { charts, note: `data: ${file}; no simulation: the law also depends on ${others.join(', ')}, which are not states` };
  const dt = (t[end - 1]! - t[0]!) / (end - 1);
  const sim = simulateContinuous(law, { state: states, initial: states.map((s) => table.columns.get(s)![0]!), dt, tEnd: t[0]! + (end - 1) * dt });
  const simTime = Float64Array.from(sim.t, (v) => v + t[0]!);
  // A law can blow up in simulation; show it up to the last finite state and say so.
  let finite = simTime.length;
  for (let i = 0; i < simTime.length && finite === simTime.length; i++) if (!sim.states.every((x) => Number.isFinite(x[i]!) && Math.abs(x[i]!) < 1e12)) finite = i;
  const caption = finite < simTime.length ? `the simulation diverges at t = ${simTime[finite]!.toPrecision(4)}; shown up to there` : `RK4 from the first row, ${end} samples`;
  charts.push(
    ...simulationCharts(
      states,
      t.subarray(0, end),
      states.map((s) => table.columns.get(s)!.subarray(0, end)),
      simTime.subarray(0, Math.max(1, finite)),
      sim.states.map((x) => x.subarray(0, Math.max(1, finite))),
      caption,
    ),
  );
  return { charts, note: `data: ${file}, ${table.n} rows` };
}

/** The environment a control law runs in, from what the run or the law says (the registry knows its options). */
function controlEnvironment(law: LawDocument, run?: TrainingRun, given?: EnvEntry): { entry: EnvEntry; make: () => Env } | undefined {
  const name = run?.config.env ?? (typeof law.meta?.environment === 'string' ? law.meta.environment : undefined);
  if (name === undefined && given === undefined) return undefined;
  const entry = given ?? getEnvEntry(name!);
  // Options recorded for another environment do not apply to a given one.
  const same = given === undefined || (name !== undefined && [given.id, given.title.toLowerCase()].includes(name.toLowerCase()));
  const saved = !same ? undefined : ((run?.config as { envOptions?: Record<string, number> } | undefined)?.envOptions ?? (law.meta?.envOptions as Record<string, number> | undefined));
  // Version-1 documents and older runs recorded gravity, the only option then, as g.
  const g = (run?.config as { g?: number } | undefined)?.g ?? (typeof law.meta?.g === 'number' ? law.meta.g : undefined);
  const options = resolveEnvOptions(entry, saved ?? (g !== undefined && entry.options.some((o) => o.name === 'g') ? { g } : {}));
  return { entry, make: () => entry.create(options) };
}

/** One episode of the environment's default evaluation protocol (its first case), with and without the law. */
function rolloutSection(law: LawDocument, control: { entry: EnvEntry; make: () => Env }, seed: number): { charts: ChartSpec[]; text: string } {
  const env = control.make();
  const policy = lawPolicy(law, env);
  const episode = control.entry.evaluation.default?.cases(seed)[0] ?? { seed };
  const record = { seed: episode.seed, ...(episode.parameters ? { parameters: episode.parameters } : {}), ...(env.field ? { field: (e: Env) => e.field!() } : {}) };
  const controlled: RolloutTrace = recordRollout(env, (obs) => policy(agentInput(obs, env)), record);
  const free = control.make();
  let uncontrolled: RolloutTrace;
  try {
    uncontrolled = recordRollout(free, null, record);
  } finally {
    closeEnv(free);
    closeEnv(env);
  }
  const total = controlled.rewards.reduce((s, r) => s + r, 0);
  const without = uncontrolled.rewards.reduce((s, r) => s + r, 0);
  const params = env.parameterNames.map((p, i) => `${p} = ${controlled.parameters[i]}`).join(', ');
  return {
    charts: rolloutCharts(controlled, uncontrolled, control.entry.rolloutCharts),
    text: `One episode of ${controlled.envId}${params ? ` at ${params}` : ''} from the start state of seed ${episode.seed}: return ${total.toFixed(1)} over ${controlled.rewards.length} steps with the law, ${without.toFixed(1)} without control.`,
  };
}

function trainingFacts(law: LawDocument, run?: TrainingRun): string {
  const m = law.metrics;
  const facts: [string, string][] = [];
  if (m?.kind === 'training') {
    const mean = m.evaluationMean;
    const s = Math.sqrt(m.evaluationReturns.reduce((acc, r) => acc + (r - mean) ** 2, 0) / Math.max(1, m.evaluationReturns.length));
    facts.push(['final evaluation', `${mean.toFixed(1)} ± ${s.toFixed(1)} over ${m.evaluationReturns.length} episodes`]);
    facts.push(['terms', String(m.terms)]);
    if (m.gatesBinary !== undefined) facts.push(['every gate exactly 0 or 1', m.gatesBinary ? 'yes' : 'no']);
    if (m.episodes !== undefined) facts.push(['episodes', String(m.episodes)]);
    if (typeof m.iterations === 'number') facts.push(['search iterations', String(m.iterations)]);
    if (typeof m.envSteps === 'number') facts.push(['training env steps', m.envSteps.toLocaleString('en-US')]);
    if (m.seconds !== undefined) facts.push(['training time', `${m.seconds.toFixed(0)} s`]);
  }
  if (run?.config.hardenAfter !== undefined) facts.push([`gates hardened after ${run.config.iterations !== undefined ? 'iteration' : 'episode'}`, String(run.config.hardenAfter)]);
  if (facts.length === 0) return '';
  return `<section class="card"><dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl></section>`;
}

async function chartsBlock(specs: ChartSpec[], into: RenderedChart[]): Promise<string> {
  const rendered: RenderedChart[] = [];
  for (const spec of specs) rendered.push(await renderChart(spec));
  into.push(...rendered);
  return `<div class="charts">${rendered.map(figure).join('\n')}</div>`;
}

/** A sweep's report: the configurations with their spread over the seeds, and the learning curves. */
async function buildSweepReport(dir: string, summary: SweepSummary): Promise<Report> {
  const charts: RenderedChart[] = [];
  const curve = sweepCurveChart(summary);
  const parts = [
    '<h2>Configurations</h2>',
    `<p class="sub">${escapeHtml(`sparselaw ${summary.command}, axes: ${summary.axes.join(', ') || 'none'}; mean ± standard deviation over the seeds of each configuration.`)}</p>`,
    `<section class="card">${sweepTable(summary)}</section>`,
    ...(curve ? ['<h2>Learning curves</h2>', await chartsBlock([curve], charts)] : []),
  ];
  const html = page(`Sweep ${dir}`, `${summary.configurations.length} configurations`, parts.join('\n'), `Written by sparselaw ${VERSION}. Charts drawn with Vega-Lite when the report was written; the file needs no network.`);
  return { kind: 'sweep', html, formulas: 0, charts };
}

/** Builds the report of a sweep directory, a training run directory or a law document. */
export async function buildReport(options: ReportOptions): Promise<Report> {
  const sweep = isDirectory(options.input) ? readSweepSummary(options.input) : undefined;
  if (sweep) {
    if (options.data !== undefined) throw new SparselawError(`--data: ${options.input} is a sweep; --data sets a law document (from discover) against data`);
    return buildSweepReport(options.input, sweep);
  }
  const run = isDirectory(options.input) ? readTrainingRun(options.input) : undefined;
  const law = run?.law ?? loadLaw(options.input);
  const charts: RenderedChart[] = [];
  const parts: string[] = [];
  const kind: Report['kind'] = run ? 'training' : law.metrics?.kind === 'discovery' || law.front ? 'discovery' : 'law';
  if (options.data !== undefined && run) {
    throw new SparselawError(`--data: ${options.input} is a training run; --data sets a law document (from discover) against data`);
  }
  parts.push(lawSection(law, 'law'));
  if (kind === 'discovery') {
    parts.push(discoveryMetricsTable(law));
    const front = frontCharts(law);
    if (front.length > 0) parts.push('<h2>Lambda front</h2>', `<p class="sub">Each point is a law fitted at one lambda: its terms against its error on held-out data.</p>`, await chartsBlock(front, charts));
  }
  if (options.data !== undefined) {
    const { charts: specs, note } = dataCharts(law, options.data);
    parts.push('<h2>The law against the data</h2>', `<p class="sub">${escapeHtml(note)}</p>`, await chartsBlock(specs, charts));
  }
  if (run) {
    parts.push('<h2>Training</h2>', trainingFacts(law, run));
    const curve = [learningCurveChart(run), activeTermsChart(run)].filter((c): c is ChartSpec => c !== undefined);
    parts.push(await chartsBlock(curve, charts));
  } else if (law.metrics?.kind === 'training') {
    parts.push('<h2>Training</h2>', trainingFacts(law));
  }
  const given = options.env !== undefined ? await resolveEnvEntry(options.env) : undefined;
  const moduleWarning = given ? undefined : await loadRecordedEnvModule(law.meta?.environmentModule, run ? run.dir : 'the law');
  if (moduleWarning) process.stderr.write(`${moduleWarning}\n`);
  const control = controlEnvironment(law, run, given);
  if (control) await prepareEnvEntry(control.entry);
  if (control) {
    const rollout = rolloutSection(law, control, options.seed ?? 0);
    parts.push('<h2>Closed loop</h2>', `<p class="sub">${escapeHtml(rollout.text)}</p>`, await chartsBlock(rollout.charts, charts));
  }
  const title = kind === 'training' ? `Training run ${run!.dir}` : kind === 'discovery' ? `Discovered law ${options.input}` : `Law ${options.input}`;
  const subtitle = law.outputs.map((o) => o.name).join(', ') + ` over ${law.inputs.join(', ')}`;
  const html = page(title, subtitle, parts.join('\n'), `Written by sparselaw ${VERSION}. Formulas typeset with KaTeX and charts drawn with Vega-Lite when the report was written; the file needs no network.`);
  return { kind, html, formulas: law.outputs.length, charts };
}

/** Builds the report and writes it atomically (a failed build leaves no file). */
export async function writeReport(options: ReportOptions & { out: string }): Promise<Report> {
  const report = await buildReport(options);
  writeFileAtomic(options.out, report.html);
  return report;
}
