import { Worker } from 'node:worker_threads';
import { SparselawError } from '../errors.js';
import type { Env, ResetOptions, StepResult } from './env.js';
import { completeEntry } from './entry-defaults.js';
import type { EnvEntry } from './registry.js';

/**
 * An environment in another process (a simulator in Python, C, Julia...), spoken to in JSON lines over
 * the child's stdin and stdout: one request per line, one answer per line (docs/environments.md).
 *
 *   {"op": "spaces", "protocol": 1, "options": {...}}  -> {"observationNames": [...], "actionNames": [...],
 *                                                         "parameterNames": [...], "observationLow": [...],
 *                                                         "observationHigh": [...], "actionLow": [...],
 *                                                         "actionHigh": [...], "maxEpisodeSteps": N,
 *                                                         "state": true (optional: get/set_state answered)}
 *   {"op": "reset", "seed": S, "parameters": P}        -> {"observation": [...], "parameters": [...]}
 *   {"op": "step", "action": [...]}                    -> {"observation": [...], "reward": r, "terminated": b,
 *                                                         "truncated": b, "info": {...} (optional)}
 *   {"op": "get_state"}                                -> {"state": any JSON}
 *   {"op": "set_state", "state": ...}                  -> {}
 *   {"op": "close"}                                    (no answer; the process exits)
 *
 * Any answer may instead be {"error": "message"}. Bounds may be null (unbounded); seed and parameters
 * may be null (continue the random stream, draw the parameters); NaN and Infinity, which JSON lacks,
 * may be written as Python's json module writes them.
 */
export interface ProcessEnvOptions extends Partial<Pick<EnvEntry, 'description' | 'options' | 'evaluation' | 'inputScale' | 'trainDefaults' | 'presets' | 'parameterDistribution' | 'rolloutCharts'>> {
  id: string;
  title: string;
  /** The program and its arguments, e.g. ['python3', 'double_integrator.py']. */
  command: readonly string[];
  /** Working directory of the process (default: the current one). */
  cwd?: string;
  /** Variables added to the process's environment. */
  env?: Readonly<Record<string, string>>;
  /** Seconds to wait for each answer before giving up (default 60; the first answer, while the program starts, at least 60). */
  timeoutSeconds?: number;
  /** Episodes of the default evaluation protocol, when `evaluation` is not given (default 10). */
  evaluationEpisodes?: number;
}

/** The protocol version sent with the handshake. */
export const PROCESS_ENV_PROTOCOL = 1;
const CHANNEL_BYTES = 1 << 22;

/** A synchronous request/answer channel to a child process, through a worker thread and shared memory. */
class Channel {
  private readonly state = new Int32Array(new SharedArrayBuffer(8));
  private readonly data = new SharedArrayBuffer(CHANNEL_BYTES);
  private readonly worker: Worker;
  private readonly decoder = new TextDecoder();
  private readonly timeoutMs: number;
  private closed = false;
  private seq = 0;
  /** Why the channel can no longer be trusted, once it cannot. */
  private broken: string | undefined;

  constructor(
    private readonly name: string,
    options: ProcessEnvOptions,
  ) {
    const [command, ...args] = options.command;
    this.worker = new Worker(new URL('./process-env-worker.js', import.meta.url), {
      workerData: { command, args, cwd: options.cwd, env: options.env, control: this.state.buffer, data: this.data },
    });
    this.worker.unref();
    this.timeoutMs = 1000 * (options.timeoutSeconds ?? 60);
  }

  request(message: Record<string, unknown>): Record<string, unknown> {
    if (this.closed) throw new SparselawError(`${this.name}: "${message.op}" after close`);
    if (this.broken) throw new SparselawError(`${this.name}: "${message.op}" after ${this.broken}`);
    // Requests are numbered and the worker writes the number of the request it answers: a wait can
    // return without that answer (an interrupt of the thread), so it waits again until it is there.
    const seq = (this.seq = (this.seq % 0x3fffffff) + 1);
    this.worker.postMessage({ seq, line: JSON.stringify(message) });
    // Starting a simulator (an interpreter, a model file) can take long: the handshake gets at least a minute.
    const timeoutMs = message.op === 'spaces' ? Math.max(this.timeoutMs, 60_000) : this.timeoutMs;
    const deadline = performance.now() + timeoutMs;
    for (let seen = Atomics.load(this.state, 0); seen !== seq; seen = Atomics.load(this.state, 0)) {
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(this.state, 0, seen, left) === 'timed-out') {
        // A late answer would be taken for the next request's: the channel is unusable from here.
        this.broken = `no answer to "${message.op}" within ${timeoutMs / 1000} s`;
        throw new SparselawError(`${this.name}: ${this.broken}`);
      }
    }
    const line = this.decoder.decode(new Uint8Array(this.data, 0, Atomics.load(this.state, 1)).slice());
    const answer = parseAnswer(line);
    if (answer === undefined) throw new SparselawError(`${this.name}: the answer to "${message.op}" is not a JSON object: ${JSON.stringify(line.slice(0, 80))}`);
    if (typeof answer.error === 'string') throw new SparselawError(`${this.name}: ${message.op}: ${answer.error}`);
    return answer;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.postMessage({ seq: 0, line: JSON.stringify({ op: 'close' }) });
  }
}

/** JSON, with Python's NaN, Infinity and -Infinity (outside strings) read as null; undefined unless an object. */
function parseAnswer(line: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    try {
      value = JSON.parse(line.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (m) => (m.startsWith('"') ? m : 'null')));
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** An array of numbers (null: `fill`) of the given length; anything else names the field. */
function numbers(value: unknown, field: string, name: string, length: number, fill: number): Float64Array {
  if (!Array.isArray(value) || value.length !== length) {
    throw new SparselawError(`${name}: "${field}" must be an array of ${length} numbers, got ${JSON.stringify(value)?.slice(0, 80)}`);
  }
  const bad = value.findIndex((v) => v !== null && typeof v !== 'number');
  if (bad >= 0) throw new SparselawError(`${name}: "${field}"[${bad}] must be a number, got ${JSON.stringify(value[bad])?.slice(0, 40)}`);
  return Float64Array.from(value, (v: number | null) => (v === null ? fill : v));
}

class ProcessEnv implements Env {
  readonly id: string;
  readonly observationNames: string[];
  readonly actionNames: string[];
  readonly parameterNames: string[];
  readonly observationLow: Float64Array;
  readonly observationHigh: Float64Array;
  readonly actionLow: Float64Array;
  readonly actionHigh: Float64Array;
  readonly maxEpisodeSteps: number;
  /** Present when the program answers get_state and set_state. */
  readonly getState?: () => unknown;
  readonly setState?: (state: unknown) => void;
  private params: Float64Array;

  constructor(
    private readonly channel: Channel,
    title: string,
    envOptions: Readonly<Record<string, number>>,
  ) {
    this.id = title;
    const s = channel.request({ op: 'spaces', protocol: PROCESS_ENV_PROTOCOL, options: envOptions });
    const where = `${title}: spaces`;
    const names = (field: string): string[] => {
      const v = s[field] ?? (field === 'parameterNames' ? [] : undefined);
      if (!Array.isArray(v) || v.some((n) => typeof n !== 'string')) throw new SparselawError(`${where}: "${field}" must be an array of names, got ${JSON.stringify(v)?.slice(0, 80)}`);
      return v as string[];
    };
    this.observationNames = names('observationNames');
    this.actionNames = names('actionNames');
    this.parameterNames = names('parameterNames');
    const o = this.observationNames.length;
    const a = this.actionNames.length;
    this.observationLow = numbers(s.observationLow, 'observationLow', where, o, -Infinity);
    this.observationHigh = numbers(s.observationHigh, 'observationHigh', where, o, Infinity);
    this.actionLow = numbers(s.actionLow, 'actionLow', where, a, -Infinity);
    this.actionHigh = numbers(s.actionHigh, 'actionHigh', where, a, Infinity);
    if (!(Number.isInteger(s.maxEpisodeSteps) && (s.maxEpisodeSteps as number) > 0)) throw new SparselawError(`${where}: "maxEpisodeSteps" must be a positive integer, got ${JSON.stringify(s.maxEpisodeSteps)}`);
    this.maxEpisodeSteps = s.maxEpisodeSteps as number;
    this.params = new Float64Array(this.parameterNames.length);
    if (s.state === true) {
      this.getState = () => ({ process: this.channel.request({ op: 'get_state' }).state ?? null, parameters: Array.from(this.params) });
      this.setState = (state: unknown) => {
        const st = state as { process?: unknown; parameters?: unknown } | null;
        if (!st || !('process' in st) || !Array.isArray(st.parameters)) throw new SparselawError(`${this.id}: not a state of this process environment`);
        this.channel.request({ op: 'set_state', state: st.process });
        this.params = numbers(st.parameters, 'parameters', this.id, this.parameterNames.length, NaN);
      };
    }
  }

  reset(options: ResetOptions = {}): Float64Array {
    const r = this.channel.request({ op: 'reset', seed: options.seed ?? null, parameters: options.parameters ? Array.from(options.parameters) : null });
    this.params = numbers(r.parameters ?? [], 'parameters', `${this.id}: reset`, this.parameterNames.length, NaN);
    return numbers(r.observation, 'observation', `${this.id}: reset`, this.observationNames.length, NaN);
  }

  step(action: ArrayLike<number>): StepResult {
    const r = this.channel.request({ op: 'step', action: Array.from(action) });
    const where = `${this.id}: step`;
    if (r.reward !== null && typeof r.reward !== 'number') throw new SparselawError(`${where}: "reward" must be a number, got ${JSON.stringify(r.reward)?.slice(0, 40)}`);
    for (const flag of ['terminated', 'truncated']) if (typeof r[flag] !== 'boolean') throw new SparselawError(`${where}: "${flag}" must be true or false, got ${JSON.stringify(r[flag])?.slice(0, 40)}`);
    const info = r.info;
    if (info !== undefined && (typeof info !== 'object' || info === null || Array.isArray(info))) throw new SparselawError(`${where}: "info" must be an object of named numbers, got ${JSON.stringify(info)?.slice(0, 40)}`);
    return {
      observation: numbers(r.observation, 'observation', where, this.observationNames.length, NaN),
      reward: r.reward === null ? NaN : (r.reward as number),
      terminated: r.terminated as boolean,
      truncated: r.truncated as boolean,
      ...(info ? { info: info as Record<string, number> } : {}),
    };
  }

  parameters(): Float64Array {
    return this.params.slice();
  }

  close(): void {
    this.channel.close();
  }
}

/** An environment entry whose environments are processes speaking the JSON-lines protocol above. */
export function processEnvEntry(options: ProcessEnvOptions): EnvEntry {
  const { command, cwd, env, timeoutSeconds, evaluationEpisodes, ...fields } = options;
  if (!Array.isArray(command) || command.length === 0 || command.some((c) => typeof c !== 'string')) {
    throw new SparselawError(`process environment ${options.id}: command must be a non-empty array of strings (the program and its arguments)`);
  }
  const episodes = evaluationEpisodes ?? 10;
  const label = `process environment ${options.id} (${command.join(' ')})`;
  return completeEntry({
    description: `${options.title}, served by ${command.join(' ')}`,
    evaluation: { default: { description: `${episodes} episodes from the reset distribution`, cases: (seed) => Array.from({ length: episodes }, (_, i) => ({ seed: seed + i })) } },
    ...fields,
    create: (envOptions) => {
      const channel = new Channel(label, options);
      try {
        return new ProcessEnv(channel, options.title, envOptions);
      } catch (err) {
        channel.close();
        throw err;
      }
    },
  });
}
