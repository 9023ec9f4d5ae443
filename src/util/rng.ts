import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/** Serializable state of an Rng: restore it with Rng.fromState to continue the exact same stream. */
export interface RngState {
  readonly generator: readonly number[];
  /** Second Box-Muller normal waiting to be returned, or null. */
  readonly spare: number | null;
}

/**
 * The one seeded random stream used everywhere (xoroshiro128+ from pure-rand). Every stochastic
 * routine takes a seed or an Rng, so the same seed gives the same result, and the state can be
 * checkpointed and resumed bit-for-bit.
 */
export class Rng {
  private spare: number | null = null;
  private constructor(private readonly gen: JumpableRandomGenerator) {}

  static seeded(seed: number): Rng {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    return new Rng(xoroshiro128plus(seed | 0));
  }

  static fromState(state: RngState): Rng {
    const r = new Rng(xoroshiro128plusFromState(state.generator));
    r.spare = state.spare;
    return r;
  }

  getState(): RngState {
    return { generator: [...this.gen.getState()], spare: this.spare };
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller, the second value is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A new independent stream derived from this one (for sub-components). */
  fork(): Rng {
    return Rng.seeded((this.uniform() * 0x7fffffff) | 0);
  }
}
