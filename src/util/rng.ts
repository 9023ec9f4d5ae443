import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
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
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    // pure-rand's xoroshiro128plus(seed) puts the seed into the state almost as is, so seeds 1, 2, 3
    // start with nearly equal draws (Pendulum resets all near theta = pi). Mixing every bit of the
    // seed into all four state words decorrelates neighbouring seeds.
    const lo = seed % 0x100000000 | 0;
    const hi = Math.floor(seed / 0x100000000) | 0;
    const words: number[] = [0, 1, 2, 3].map((i) => fmix32((lo + Math.imul(i + 1, 0x9e3779b9)) ^ fmix32(hi + i)));
    if (!words.some((w) => w !== 0)) words[0] = 1;
    return new Rng(xoroshiro128plusFromState(words));
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

  /** Shuffles in place (Fisher-Yates) and returns the array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A new independent stream derived from this one (for sub-components). */
  fork(): Rng {
    return Rng.seeded((this.uniform() * 0x7fffffff) | 0);
  }
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
