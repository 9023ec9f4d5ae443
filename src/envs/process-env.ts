import { Worker } from 'node:worker_threads';
import { SparselawError } from '../errors.js';
import type { Env, ResetOptions, StepResult } from './env.js';
import { boundsScale, type EnvEntry, type EvalCase } from './registry.js';

/**
 * An environment in another process (a simulator in Python, C, Julia...), spoken to in JSON lines over
 * the child's stdin and stdout. One request per line, one answer per line (see docs/environments.md):
 *
 *   {"op": "spaces"}                              -> {"observationNames": [...], "actionNames": [...],
 *                                                     "parameterNames": [...], "observationLow": [...],
 *                                                     "observationHigh": [...], "actionLow": [...],
 *                                                     "actionHigh": [...], "maxEpisodeSteps": N}
 *   {"op": "reset", "seed": S, "parameters": P}   -> {"observation": [...], "parameters": [...]}
 *   {"op": "step", "action": [...]}               -> {"observation": [...], "reward": r, "terminated": b,
 *                                                     "truncated": b, "info": {...}}
 *   {"op": "get_state"}                           -> {"state": any JSON}
 *   {"op": "set_state", "state": ...}             -> {}
 *   {"op": "close"}                               (no answer; the process exits)
 *
 * Any answer may instead be {"error": "message"}. Bounds may be null (unbounded); seed and parameters
 * may be null (continue the random stream, draw the parameters).
 */
export interface ProcessEnvOptions {
  id: string;
  title: string;
  description: string;
  /** The program and its arguments, e.g. ['python3', 'double_integrator.py']. */
  command: readonly string[];
  /** Working directory of the process (default: the current one). */
  cwd?: string;
  evaluationEpisodes?: number;
}

const CHANNEL_BYTES = 1 << 22;

/** A synchronous request/answer channel to a child process, through a worker thread and shared memory. */
class Channel {
  private readonly state = new Int32Array(new SharedArrayBuffer(8));
  private readonly data = new SharedArrayBuffer(CHANNEL_BYTES);
  private readonly worker: Worker;
  private readonly decoder = new TextDecoder();

  constructor(private readonly name: string, command: readonly string[], cwd?: string) {
    if (command.length === 0) throw new SparselawError(`${name}: the command is empty`);
    this.worker = new Worker(new URL('./process-env-worker.js', import.meta.url), {
      workerData: { command: command[0], args: command.slice(1), cwd, control: this.state.buffer, data: this.data },
    });
    this.worker.unref();
  }

  request(message: Record<string, unknown>): Record<string, unknown> {
    Atomics.store(this.state, 0, 0);
    this.worker.postMessage(JSON.stringify(message));
    if (Atomics.wait(this.state, 0, 0, 60_000) === 'timed-out') throw new SparselawError(`${this.name}: no answer to "${message.op}" within 60 s`);
    const line = this.decoder.decode(new Uint8Array(this.data, 0, Atomics.load(this.state, 1)).slice());
    let answer: Record<string, unknown>;
    try {
      answer = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new SparselawError(`${this.name}: the answer to "${message.op}" is not JSON: ${line.slice(0, 80)}`);
    }
    if (typeof answer.error === 'string') throw new SparselawError(`${this.name}: ${message.op}: ${answer.error}`);
    return answer;
  }

  close(): void {
    this.worker.postMessage(JSON.stringify({ op: 'close' }));
  }
}

const numbers = (value: unknown, field: string, name: string, length?: number, fill = NaN): Float64Array => {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
    throw new SparselawError(`${name}: "${field}" must be an array${length !== undefined ? ` of ${length} numbers` : ''}, got ${JSON.stringify(value)?.slice(0, 80)}`);
  }
  return Float64Array.from(value, (v: unknown) => (v === null ? fill : (v as number)));
};

class ProcessEnv implements Env {
  readonly observationNames: string[];
  readonly actionNames: string[];
  readonly parameterNames: string[];
  readonly observationLow: Float64Array;
  readonly observationHigh: Float64Array;
  readonly actionLow: Float64Array;
  readonly actionHigh: Float64Array;
  readonly maxEpisodeSteps: number;
  private params: Float64Array;

  constructor(
    readonly id: string,
    private readonly channel: Channel,
  ) {
    const s = channel.request({ op: 'spaces' });
    const names = (field: string) => {
      const v = s[field] ?? (field === 'parameterNames' ? [] : undefined);
      if (!Array.isArray(v) || v.some((n) => typeof n !== 'string')) throw new SparselawError(`${id}: "${field}" must be an array of names`);
      return v as string[];
    };
    this.observationNames = names('observationNames');
    this.actionNames = names('actionNames');
    this.parameterNames = names('parameterNames');
    const o = this.observationNames.length;
    const a = this.actionNames.length;
    this.observationLow = numbers(s.observationLow, 'observationLow', id, o, -Infinity);
    this.observationHigh = numbers(s.observationHigh, 'observationHigh', id, o, Infinity);
    this.actionLow = numbers(s.actionLow, 'actionLow', id, a);
    this.actionHigh = numbers(s.actionHigh, 'actionHigh', id, a);
    this.maxEpisodeSteps = s.maxEpisodeSteps as number;
    this.params = new Float64Array(this.parameterNames.length);
  }

  reset(options: ResetOptions = {}): Float64Array {
    const r = this.channel.request({ op: 'reset', seed: options.seed ?? null, parameters: options.parameters ? Array.from(options.parameters) : null });
    this.params = numbers(r.parameters ?? [], 'parameters', this.id, this.parameterNames.length);
    return numbers(r.observation, 'observation', this.id, this.observationNames.length);
  }

  step(action: ArrayLike<number>): StepResult {
    const r = this.channel.request({ op: 'step', action: Array.from(action) });
    return {
      observation: numbers(r.observation, 'observation', this.id, this.observationNames.length),
      reward: r.reward as number,
      terminated: r.terminated === true,
      truncated: r.truncated === true,
      ...(r.info && typeof r.info === 'object' ? { info: r.info as Record<string, number> } : {}),
    };
  }

  parameters(): Float64Array {
    return this.params.slice();
  }

  getState(): unknown {
    return { process: this.channel.request({ op: 'get_state' }).state, parameters: Array.from(this.params) };
  }

  setState(state: unknown): void {
    const s = state as { process: unknown; parameters: number[] };
    this.channel.request({ op: 'set_state', state: s.process });
    this.params = Float64Array.from(s.parameters);
  }

  close(): void {
    this.channel.close();
  }
}

/** An environment entry whose environments are processes speaking the JSON-lines protocol above. */
export function processEnvEntry(options: ProcessEnvOptions): EnvEntry {
  const episodes = options.evaluationEpisodes ?? 10;
  return {
    id: options.id,
    title: options.title,
    description: options.description,
    options: [],
    create: () => new ProcessEnv(options.title, new Channel(`process environment ${options.id} (${options.command.join(' ')})`, options.command, options.cwd)),
    inputScale: (env) => boundsScale(env),
    evaluation: {
      default: { description: `${episodes} episodes from the reset distribution`, cases: (seed: number): EvalCase[] => Array.from({ length: episodes }, (_, i) => ({ seed: seed + i })) },
    },
  };
}
