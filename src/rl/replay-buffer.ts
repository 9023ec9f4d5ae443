import type { Rng } from '../util/rng.js';
import { SparselawError } from '../errors.js';

export interface Batch {
  obs: Float32Array;
  action: Float32Array;
  reward: Float32Array;
  nextObs: Float32Array;
  /** 1 where the transition ended the MDP (terminated), 0 otherwise: truncation bootstraps. */
  terminal: Float32Array;
  /** Environment steps the transition spans (n-step returns): reward is their discounted sum, nextObs the state after the last. */
  steps: Float32Array;
  size: number;
}

/** Per row, what the target critics' value is multiplied by: gamma^steps, or 0 after termination (float32, as the critics compute). */
export function bootstrapDiscount(batch: Batch, gamma: number, out: Float32Array): Float32Array {
  for (let r = 0; r < batch.size; r++) out[r] = Math.fround(gamma ** batch.steps[r]! * (1 - batch.terminal[r]!));
  return out;
}

/** A ring buffer of transitions on typed arrays; sampling draws indices from a caller's seeded Rng. */
export class ReplayBuffer {
  readonly obs: Float32Array;
  readonly action: Float32Array;
  readonly reward: Float32Array;
  readonly nextObs: Float32Array;
  readonly terminal: Float32Array;
  readonly steps: Float32Array;
  private position = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    readonly obsDim: number,
    readonly actionDim: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new SparselawError(`replay capacity must be a positive integer, got ${capacity}`);
    this.obs = new Float32Array(capacity * obsDim);
    this.action = new Float32Array(capacity * actionDim);
    this.reward = new Float32Array(capacity);
    this.nextObs = new Float32Array(capacity * obsDim);
    this.terminal = new Float32Array(capacity);
    this.steps = new Float32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** One transition; with steps > 1 (n-step returns) reward is the discounted sum over those steps. */
  add(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, terminated: boolean, steps = 1): void {
    const i = this.position;
    this.obs.set(obs, i * this.obsDim);
    this.action.set(action, i * this.actionDim);
    this.reward[i] = reward;
    this.nextObs.set(nextObs, i * this.obsDim);
    this.terminal[i] = terminated ? 1 : 0;
    this.steps[i] = steps;
    this.position = (i + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  sample(size: number, rng: Rng, into?: Batch): Batch {
    if (this.count === 0) throw new SparselawError('cannot sample from an empty replay buffer');
    const { obsDim: o, actionDim: a } = this;
    const b = into ?? {
      obs: new Float32Array(size * o),
      action: new Float32Array(size * a),
      reward: new Float32Array(size),
      nextObs: new Float32Array(size * o),
      terminal: new Float32Array(size),
      steps: new Float32Array(size),
      size,
    };
    for (let r = 0; r < size; r++) {
      const i = rng.int(this.count);
      b.obs.set(this.obs.subarray(i * o, i * o + o), r * o);
      b.action.set(this.action.subarray(i * a, i * a + a), r * a);
      b.reward[r] = this.reward[i]!;
      b.nextObs.set(this.nextObs.subarray(i * o, i * o + o), r * o);
      b.terminal[r] = this.terminal[i]!;
      b.steps[r] = this.steps[i]!;
    }
    return b;
  }

  /** Position and fill level; with the arrays, everything a checkpoint needs. */
  getState(): { position: number; count: number } {
    return { position: this.position, count: this.count };
  }

  setState(state: { position: number; count: number }): void {
    if (!(state.position >= 0 && state.position < this.capacity && state.count >= 0 && state.count <= this.capacity)) {
      throw new SparselawError(`replay state (position ${state.position}, count ${state.count}) does not fit capacity ${this.capacity}`);
    }
    this.position = state.position;
    this.count = state.count;
  }

  arrays(): Float32Array[] {
    return [this.obs, this.action, this.reward, this.nextObs, this.terminal, this.steps];
  }

  /** The filled part of each array (the buffer fills from index 0), named for a checkpoint. */
  savedArrays(): { name: string; shape: number[]; data: Float32Array }[] {
    const widths = [this.obsDim, this.actionDim, 1, this.obsDim, 1, 1];
    return this.arrays().map((arr, i) => {
      const data = arr.subarray(0, this.count * widths[i]!);
      return { name: `replay.${i}`, shape: [data.length], data };
    });
  }

  /** Restores what savedArrays wrote; call setState afterwards. */
  loadArrays(saved: ReadonlyMap<string, { data: Float32Array }>, source: string): void {
    this.arrays().forEach((arr, i) => {
      const s = saved.get(`replay.${i}`);
      // Checkpoints from before n-step returns hold one-step transitions only.
      if (!s && arr === this.steps) {
        arr.fill(1);
        return;
      }
      if (!s || s.data.length > arr.length) throw new SparselawError(`${source}: replay array ${i} is missing or larger than the buffer`);
      arr.set(s.data);
    });
  }
}

/**
 * Feeds a ReplayBuffer n-step transitions: (s_t, a_t, r_t + gamma r_t+1 + ... + gamma^(k-1) r_t+k-1,
 * s_t+k) with k = n, or fewer where the episode ends first (a truncated tail bootstraps from the
 * last state with gamma^k; a terminated one does not bootstrap). With n = 1 it stores exactly the
 * one-step transitions. Call push for every environment step, in order.
 */
export class NStepWriter {
  private readonly obs: Float64Array;
  private readonly action: Float64Array;
  private readonly reward: Float64Array;
  private start = 0;
  private length = 0;

  constructor(
    private readonly buffer: ReplayBuffer,
    readonly n: number,
    private readonly gamma: number,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new SparselawError(`n-step returns: n must be a positive integer, got ${n}`);
    this.obs = new Float64Array(n * buffer.obsDim);
    this.action = new Float64Array(n * buffer.actionDim);
    this.reward = new Float64Array(n);
  }

  push(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, terminated: boolean, episodeEnds: boolean): void {
    const slot = (this.start + this.length) % this.n;
    this.obs.set(obs, slot * this.buffer.obsDim);
    this.action.set(action, slot * this.buffer.actionDim);
    this.reward[slot] = reward;
    this.length++;
    if (terminated || episodeEnds) {
      while (this.length > 0) this.emit(nextObs, terminated);
    } else if (this.length === this.n) {
      this.emit(nextObs, false);
    }
  }

  private emit(nextObs: ArrayLike<number>, terminated: boolean): void {
    const { obsDim: o, actionDim: a } = this.buffer;
    let sum = 0;
    for (let i = this.length - 1; i >= 0; i--) sum = this.reward[(this.start + i) % this.n]! + this.gamma * sum;
    const s = this.start;
    this.buffer.add(this.obs.subarray(s * o, s * o + o), this.action.subarray(s * a, s * a + a), sum, nextObs, terminated, this.length);
    this.start = (this.start + 1) % this.n;
    this.length--;
  }
}
