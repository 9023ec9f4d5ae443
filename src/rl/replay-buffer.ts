import type { Rng } from '../util/rng.js';
import { SparselawError } from '../errors.js';

export interface Batch {
  obs: Float32Array;
  action: Float32Array;
  reward: Float32Array;
  nextObs: Float32Array;
  /** 1 where the transition ended the MDP (terminated), 0 otherwise: truncation bootstraps. */
  terminal: Float32Array;
  size: number;
}

/** A ring buffer of transitions on typed arrays; sampling draws indices from a caller's seeded Rng. */
export class ReplayBuffer {
  readonly obs: Float32Array;
  readonly action: Float32Array;
  readonly reward: Float32Array;
  readonly nextObs: Float32Array;
  readonly terminal: Float32Array;
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
  }

  get size(): number {
    return this.count;
  }

  add(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, terminated: boolean): void {
    const i = this.position;
    this.obs.set(obs, i * this.obsDim);
    this.action.set(action, i * this.actionDim);
    this.reward[i] = reward;
    this.nextObs.set(nextObs, i * this.obsDim);
    this.terminal[i] = terminated ? 1 : 0;
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
      size,
    };
    for (let r = 0; r < size; r++) {
      const i = rng.int(this.count);
      b.obs.set(this.obs.subarray(i * o, i * o + o), r * o);
      b.action.set(this.action.subarray(i * a, i * a + a), r * a);
      b.reward[r] = this.reward[i]!;
      b.nextObs.set(this.nextObs.subarray(i * o, i * o + o), r * o);
      b.terminal[r] = this.terminal[i]!;
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
    return [this.obs, this.action, this.reward, this.nextObs, this.terminal];
  }

  /** The filled part of each array (the buffer fills from index 0), named for a checkpoint. */
  savedArrays(): { name: string; shape: number[]; data: Float32Array }[] {
    const widths = [this.obsDim, this.actionDim, 1, this.obsDim, 1];
    return this.arrays().map((arr, i) => {
      const data = arr.subarray(0, this.count * widths[i]!);
      return { name: `replay.${i}`, shape: [data.length], data };
    });
  }

  /** Restores what savedArrays wrote; call setState afterwards. */
  loadArrays(saved: ReadonlyMap<string, { data: Float32Array }>, source: string): void {
    this.arrays().forEach((arr, i) => {
      const s = saved.get(`replay.${i}`);
      if (!s || s.data.length > arr.length) throw new SparselawError(`${source}: replay array ${i} is missing or larger than the buffer`);
      arr.set(s.data);
    });
  }
}
