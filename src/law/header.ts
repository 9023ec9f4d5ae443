import { JsonFormatError, childPath, describeValue } from './json-text.js';

export const FORMAT = 'sparselaw';

/**
 * Checks the header every sparselaw document shares (`format`, `version`, `kind`) before its schema:
 * which schema applies depends on the version, and a file from a newer sparselaw, or not from
 * sparselaw at all, deserves its own message rather than a schema error.
 */
export function readDocumentHeader(doc: unknown, kind: string, readable: readonly number[], path = '$'): { obj: Record<string, unknown>; version: number } {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new JsonFormatError(path, `expected an object, got ${describeValue(doc)}`);
  const obj = doc as Record<string, unknown>;
  if (!Object.hasOwn(obj, 'format')) throw new JsonFormatError(childPath(path, 'format'), 'missing field');
  if (obj.format !== FORMAT) {
    throw new JsonFormatError(childPath(path, 'format'), `expected "${FORMAT}", got ${describeValue(obj.format)}: this is not a sparselaw document`);
  }
  if (!Object.hasOwn(obj, 'version')) throw new JsonFormatError(childPath(path, 'version'), 'missing field');
  const version = obj.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new JsonFormatError(childPath(path, 'version'), `expected an integer, got ${describeValue(version)}`);
  }
  const newest = Math.max(...readable);
  if (!readable.includes(version)) {
    throw new JsonFormatError(
      childPath(path, 'version'),
      `unsupported version ${version}; this sparselaw reads version ${readable.join(' and ')}` + (version > newest ? ' (the file was written by a newer sparselaw)' : ''),
    );
  }
  if (!Object.hasOwn(obj, 'kind')) throw new JsonFormatError(childPath(path, 'kind'), 'missing field');
  if (typeof obj.kind !== 'string') throw new JsonFormatError(childPath(path, 'kind'), `expected a string, got ${describeValue(obj.kind)}`);
  if (obj.kind !== kind) throw new JsonFormatError(childPath(path, 'kind'), `expected "${kind}", got "${obj.kind}"`);
  return { obj, version };
}
