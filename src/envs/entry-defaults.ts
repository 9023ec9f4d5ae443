import type { Env } from './env.js';
import { boundsScale, type EnvEntry, type EvalCase } from './registry.js';

/**
 * An environment entry as a user writes it: `id`, `title` and `create` are required; the rest has
 * the defaults of completeEntry.
 */
export type EnvEntryInput = Omit<EnvEntry, 'description' | 'options' | 'inputScale' | 'evaluation'> & Partial<Pick<EnvEntry, 'description' | 'options' | 'inputScale' | 'evaluation'>>;

/** Episodes of the default evaluation protocol of an entry that gives none. */
export const DEFAULT_EVALUATION_EPISODES = 10;

const completed = new WeakMap<object, EnvEntry>();

/**
 * The entry with its defaults filled in: no description, no options, inputs scaled by their bounds
 * (boundsScale), and an evaluation protocol of 10 episodes from the reset distribution. A complete
 * entry is returned as it is, and the same input always gives the same completed object.
 */
export function completeEntry(input: EnvEntryInput): EnvEntry {
  if (input.description !== undefined && input.options !== undefined && input.inputScale !== undefined && input.evaluation !== undefined) return input as EnvEntry;
  let entry = completed.get(input);
  if (entry === undefined) {
    entry = {
      ...input,
      description: input.description ?? '',
      options: input.options ?? [],
      inputScale: input.inputScale ?? ((env: Env) => boundsScale(env)),
      evaluation: input.evaluation ?? {
        default: {
          description: `${DEFAULT_EVALUATION_EPISODES} episodes from the reset distribution`,
          cases: (seed: number): EvalCase[] => Array.from({ length: DEFAULT_EVALUATION_EPISODES }, (_, i) => ({ seed: seed + i })),
        },
      },
    };
    completed.set(input, entry);
  }
  return entry;
}
