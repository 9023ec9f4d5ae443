import { Worker } from 'node:worker_threads';
import { XnnKernels } from '../nn/xnn.js';
import { CriticCore, SharedIo, criticSizes, type TwinCriticConfig } from './critic-core.js';

/**
 * TD3's twin critics on one or two threads. Given the target action, the two critics are
 * independent except for one exchange (min(Q1', Q2') needs both target values), so with two
 * threads each critic, its target network and its Adam state live in a worker of their own, with
 * their own XNNPACK module; batches, target values and dQ1/da travel through a SharedArrayBuffer,
 * and the threads meet through Atomics on a few sequence counters. The calling thread is free
 * meanwhile for the actor (the target action, the actor step).
 *
 * A run gives the same numbers with one thread or two: each critic's arithmetic is the same code
 * on the same inputs in either case.
 *
 * Protocol of one update (main thread): write the batch into `io`, begin(), write io.nextAction,
 * nextActionReady(), [on actor steps: write io.piAction, actionGradient() -> mean Q1, io.dQda],
 * finish() -> critic loss.
 */
export const CTL = {
  seq: 0,
  cmd: 1,
  rows: 2,
  actorStep: 3,
  nextAction: 4,
  piAction: 5,
  target0: 6,
  target1: 7,
  grad: 8,
  done0: 9,
  done1: 10,
  failed: 11,
  size: 12,
} as const;

export const CMD = { update: 1, save: 2, load: 3, stop: 4 } as const;

export interface WorkerData {
  config: TwinCriticConfig;
  io: SharedArrayBuffer;
  ctl: SharedArrayBuffer;
  index: 0 | 1;
}

/** Blocks until ctl[i] === seq; throws if a critic thread failed. */
export function waitFor(ctl: Int32Array, i: number, seq: number): void {
  for (;;) {
    const v = Atomics.load(ctl, i);
    if (v === seq) return;
    if (Atomics.load(ctl, CTL.failed) !== 0) throw new Error('a critic thread failed (see its error above)');
    Atomics.wait(ctl, i, v, 1000);
  }
}

export function signal(ctl: Int32Array, i: number, seq: number): void {
  Atomics.store(ctl, i, seq);
  Atomics.notify(ctl, i);
}

export class TwinCritics {
  readonly io: SharedIo;
  readonly netSize: number;
  private seq = 0;
  private rows = 0;
  private actorStep = false;
  private trained = false;
  private disposed = false;
  private readonly ctl: Int32Array;

  private constructor(
    readonly config: TwinCriticConfig,
    readonly threads: 1 | 2,
    private readonly workers: Worker[],
    private readonly cores: CriticCore[],
    io: SharedIo,
    ctl: Int32Array,
  ) {
    this.io = io;
    this.ctl = ctl;
    this.netSize = io.blob[0].length >> 2;
  }

  static async create(config: TwinCriticConfig, threads: 1 | 2): Promise<TwinCritics> {
    for (const [name, v] of [['inputScale', config.inputScale], ['inputShift', config.inputShift]] as const) {
      if (v.length !== config.stateDim + config.actionDim) throw new RangeError(`${name} has ${v.length} entries for ${config.stateDim + config.actionDim} critic inputs`);
    }
    const sizes = criticSizes(config);
    let netSize = 0;
    for (let l = 0; l + 1 < sizes.length; l++) netSize += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
    const bytes = SharedIo.bytes(config, netSize);
    if (threads === 1) {
      const io = new SharedIo(new ArrayBuffer(bytes), config, netSize);
      const k = await XnnKernels.load();
      return new TwinCritics(config, 1, [], [new CriticCore(k, 0, config, io), new CriticCore(k, 1, config, io)], io, new Int32Array(CTL.size));
    }
    const ioBuf = new SharedArrayBuffer(bytes);
    const ctlBuf = new SharedArrayBuffer(4 * CTL.size);
    const workers = ([0, 1] as const).map((index) => new Worker(new URL('./critic-worker.js', import.meta.url), { workerData: { config, io: ioBuf, ctl: ctlBuf, index } satisfies WorkerData }));
    try {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              w.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(String(m)))));
              w.once('error', reject);
              w.once('exit', (code) => reject(new Error(`critic thread exited with code ${code} before it was ready`)));
            }),
        ),
      );
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    for (const w of workers) {
      w.removeAllListeners();
      // Blocked in Atomics.wait between updates: a run that forgets dispose() must still exit.
      w.unref();
      // A failure later surfaces through ctl[failed] in waitFor; keep the process alive meanwhile.
      w.on('error', (err) => console.error(`critic thread: ${err instanceof Error ? err.stack : String(err)}`));
    }
    return new TwinCritics(config, 2, workers, [], new SharedIo(ioBuf, config, netSize), new Int32Array(ctlBuf));
  }

  private command(cmd: number): void {
    this.seq++;
    this.ctl[CTL.cmd] = cmd;
    this.ctl[CTL.rows] = this.rows;
    this.ctl[CTL.actorStep] = this.actorStep ? 1 : 0;
    signal(this.ctl, CTL.seq, this.seq);
  }

  private waitDone(): void {
    waitFor(this.ctl, CTL.done0, this.seq);
    waitFor(this.ctl, CTL.done1, this.seq);
  }

  /** Starts an update on the batch in io (the critics' forward passes need no target action). */
  begin(rows: number, actorStep: boolean): void {
    if (rows < 1 || rows > this.config.maxRows) throw new RangeError(`batch of ${rows} rows, the critics take 1..${this.config.maxRows}`);
    this.rows = rows;
    this.actorStep = actorStep;
    this.trained = false;
    if (this.threads === 2) this.command(CMD.update);
  }

  /** io.nextAction is written: the critics compute the target and train. */
  nextActionReady(): void {
    if (this.threads === 2) return signal(this.ctl, CTL.nextAction, this.seq);
    for (const c of this.cores) c.forwardCurrent(this.rows);
    for (const c of this.cores) c.forwardTarget(this.rows);
  }

  private trainInline(): void {
    if (this.trained) return;
    this.cores.forEach((c, i) => (this.io.scalars[i] = c.train(this.rows, this.actorStep)));
    this.trained = true;
  }

  /** io.piAction is written: returns mean Q1(state, piAction), with dQ1/da in io.dQda. */
  actionGradient(): number {
    if (!this.actorStep) throw new Error('actionGradient() on an update that is not an actor step');
    if (this.threads === 2) {
      signal(this.ctl, CTL.piAction, this.seq);
      waitFor(this.ctl, CTL.grad, this.seq);
      return this.io.scalars[2]!;
    }
    this.trainInline();
    // Through the float32 slot, as the threads report it.
    this.io.scalars[2] = this.cores[0]!.actionGradient(this.rows);
    return this.io.scalars[2]!;
  }

  /** Waits for both critics; returns the summed critic loss (as the tfjs update reports it). */
  finish(): number {
    if (this.threads === 2) this.waitDone();
    else this.trainInline();
    return this.io.scalars[0]! + this.io.scalars[1]!;
  }

  /** Per critic: weights, target weights and Adam state as [params, target, m, v, step]. */
  save(): { params: Float32Array; target: Float32Array; m: Float32Array; v: Float32Array; step: number }[] {
    if (this.threads === 2) {
      this.command(CMD.save);
      this.waitDone();
    } else for (const c of this.cores) c.save();
    const n = this.netSize;
    return this.io.blob.map((b) => ({ params: b.slice(0, n), target: b.slice(n, 2 * n), m: b.slice(2 * n, 3 * n), v: b.slice(3 * n, 4 * n), step: b[4 * n]! }));
  }

  load(state: readonly { params: Float32Array; target: Float32Array; m: Float32Array; v: Float32Array; step: number }[]): void {
    const n = this.netSize;
    state.forEach((s, i) => {
      for (const [name, arr] of [['params', s.params], ['target', s.target], ['m', s.m], ['v', s.v]] as const) {
        if (arr.length !== n) throw new RangeError(`critic ${i} ${name} has ${arr.length} values, expected ${n}`);
      }
      const b = this.io.blob[i]!;
      b.set(s.params, 0);
      b.set(s.target, n);
      b.set(s.m, 2 * n);
      b.set(s.v, 3 * n);
      b[4 * n] = s.step;
    });
    if (this.threads === 2) {
      this.command(CMD.load);
      this.waitDone();
    } else for (const c of this.cores) c.load();
  }

  /** Per-layer [W, b] arrays of critic i (a copy, as Mlp.getWeights() gives them). */
  weights(i: 0 | 1, which: 'net' | 'target' = 'net'): Float32Array[] {
    const flat = this.save()[i]![which === 'net' ? 'params' : 'target'];
    const sizes = criticSizes(this.config);
    const out: Float32Array[] = [];
    let at = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const w = sizes[l]! * sizes[l + 1]!;
      out.push(flat.slice(at, at + w), flat.slice(at + w, at + w + sizes[l + 1]!));
      at += w + sizes[l + 1]!;
    }
    return out;
  }

  /** Stops the critic threads (they exit on their own; nothing to await). */
  dispose(): void {
    if (this.threads === 2 && !this.disposed) {
      this.command(CMD.stop);
      this.waitDone();
    }
    this.disposed = true;
  }
}
