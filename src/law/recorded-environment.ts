import type { LawDocument } from './document.js';

/**
 * The environment a control law was made in, as its document records it (meta.environment and
 * meta.envOptions); undefined for laws from data. Version-1 documents recorded gravity, the only option then, as g.
 */
export function recordedEnvironment(law: Pick<LawDocument, 'meta'>): { name: string; options: Record<string, string> } | undefined {
  const meta = law.meta;
  if (typeof meta?.environment !== 'string') return undefined;
  const options: Record<string, string> = {};
  const saved = meta.envOptions;
  if (saved && typeof saved === 'object') {
    for (const [k, v] of Object.entries(saved as Record<string, unknown>)) if (typeof v === 'number') options[k] = String(v);
  } else if (typeof meta.g === 'number') {
    options.g = String(meta.g);
  }
  return { name: meta.environment, options };
}
