import { SparselawError } from '../errors.js';
import { TD3_DEFAULTS } from './td3.js';
import type { TrainConfig } from './train-config.js';

/**
 * A checkpoint's configuration as today's code reads it: settings added after it was written take
 * the defaults that reproduce the old behaviour.
 */
export function migrateConfig(saved: TrainConfig): TrainConfig {
  return { ...saved, nStep: saved.nStep ?? 1, penalty: saved.penalty ?? 'l0', td3: { ...TD3_DEFAULTS, ...saved.td3 } };
}

/** Refuses to resume a checkpoint whose (migrated) settings differ from the run's, naming the first difference. */
export function checkResumable(savedConfig: TrainConfig, config: TrainConfig, path: string): void {
  const saved = migrateConfig(savedConfig);
  // A run from before selection existed kept its last actor; the option that says so is not obvious.
  const hint = saved.selectOn === undefined && config.selectOn !== undefined ? ' (this run keeps its last actor: add --select-on last)' : '';
  refuseChangedSettings(saved, config, path, (diff) => (diff.startsWith('selectOn ') ? hint : ''));
}

/** Refuses to resume a checkpoint written with other settings, naming the first difference (and any hint for it). */
export function refuseChangedSettings(saved: unknown, now: unknown, path: string, hint: (diff: string) => string = () => ''): void {
  const diff = firstDifference(saved, now);
  if (diff) throw new SparselawError(`${path}: the checkpoint was written with different settings: ${diff}; resume with the same options${hint(diff)}`);
}

/** The first setting in which two configurations differ, as a dotted path, or undefined. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    // The same settings written in another key order.
    return undefined;
  }
  return `${path || 'config'} (checkpoint: ${JSON.stringify(a)}, now: ${JSON.stringify(b)})`;
}

