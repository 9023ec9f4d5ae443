import { SparselawError } from '../errors.js';

/** Every form an expression or a law can be exported to: one list for the library and both commands. */
export const EXPORT_FORMATS = ['text', 'latex', 'js', 'c', 'python', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The format named by a user, or an error listing them all. */
export function parseExportFormat(value: string, option = '--to'): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw new SparselawError(`${option}: unknown format "${value}"; expected one of ${EXPORT_FORMATS.join(', ')}`);
}
