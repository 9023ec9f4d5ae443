import { SparselawError } from '../errors.js';

/** JSON text and the errors of JSON documents: positions in the text, JSON paths in the value. */

/** A malformed JSON text or document; `path` is the JSONPath-like location of the offending value. */
export class JsonFormatError extends SparselawError {
  override name = 'JsonFormatError';
  constructor(
    /** `$.expression.left.fn`, or '' for a syntax error in the text. */
    readonly path: string,
    /** The problem alone, without file or path. */
    readonly problem: string,
    readonly source?: string,
  ) {
    super([source, path, problem].filter((part) => part !== undefined && part !== '').join(': '));
  }

  /** The same error, attributed to a file. */
  withSource(source: string | undefined): JsonFormatError {
    return source === undefined || this.source !== undefined ? this : new JsonFormatError(this.path, this.problem, source);
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.a` + `b` -> `$.a.b`; `$.a` + 2 -> `$.a[2]`; odd keys are quoted: `$.a["x y"]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** A value as an error message names it: `the string "x"`, `the number 3`, `NaN`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : String(value);
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

// ---------------------------------------------------------------------------------------------
// JSON text.

/**
 * JSON.parse with errors that name the file, line and column. Node's own messages do not always give
 * a position, so on failure a small scanner finds the first offending character itself.
 */
export function parseJsonText(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    const found = locateJsonError(body);
    if (found === undefined) throw new JsonFormatError('', `invalid JSON: ${(err as Error).message}`, source);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < found.offset; i++) {
      if (body[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    throw new JsonFormatError('', `line ${line}, column ${found.offset - lineStart + 1}: invalid JSON: ${found.problem}`, source);
  }
}

/** The first syntax error of a JSON text (RFC 8259), or undefined if it is valid. */
export function locateJsonError(s: string): { offset: number; problem: string } | undefined {
  let i = 0;
  class Stop {
    constructor(readonly offset: number, readonly problem: string) {}
  }
  const unexpected = (expected: string): Stop =>
    i >= s.length ? new Stop(i, `unexpected end of input; expected ${expected}`) : new Stop(i, `unexpected ${JSON.stringify(s[i])}; expected ${expected}`);
  const space = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const digits = (what: string): void => {
    if (!/[0-9]/.test(s[i] ?? '')) throw unexpected(what);
    while (/[0-9]/.test(s[i] ?? '')) i++;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= s.length) throw new Stop(i, 'unterminated string');
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) throw new Stop(i, 'control character in a string (escape it)');
      if (c === 0x5c) {
        i++;
        const e = s[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) throw new Stop(i - 1, 'invalid \\u escape in a string');
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else throw new Stop(i - 1, 'invalid escape in a string');
      } else i++;
    }
  };
  const value = (): void => {
    space();
    const c = s[i];
    if (c === '{') {
      i++;
      space();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (s[i] !== '"') throw unexpected('a property name in double quotes');
        string();
        space();
        if (s[i] !== ':') throw unexpected('":"');
        i++;
        value();
        space();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        throw unexpected('"," or "}"');
      }
    }
    if (c === '[') {
      i++;
      space();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        throw unexpected('"," or "]"');
      }
    }
    if (c === '"') return string();
    if (c === '-' || /[0-9]/.test(c ?? '')) {
      if (c === '-') i++;
      if (s[i] === '0') i++;
      else digits('a digit');
      if (s[i] === '.') {
        i++;
        digits('a digit after "."');
      }
      if (s[i] === 'e' || s[i] === 'E') {
        i++;
        if (s[i] === '+' || s[i] === '-') i++;
        digits('a digit in the exponent');
      }
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (s.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    throw unexpected('a value (object, array, string, number, true, false or null)');
  };
  try {
    value();
    space();
    if (i < s.length) throw unexpected('the end of the input');
    return undefined;
  } catch (err) {
    if (err instanceof Stop) return { offset: err.offset, problem: err.problem };
    throw err;
  }
}
