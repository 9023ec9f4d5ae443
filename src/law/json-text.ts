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

class Stop {
  constructor(readonly offset: number, readonly problem: string) {}
}

/** A recursive-descent reader of RFC 8259 that stops (throws Stop) at the first syntax error. */
class JsonScanner {
  i = 0;
  constructor(private readonly s: string) {}

  unexpected(expected: string): Stop {
    const { s, i } = this;
    return i >= s.length ? new Stop(i, `unexpected end of input; expected ${expected}`) : new Stop(i, `unexpected ${JSON.stringify(s[i])}; expected ${expected}`);
  }

  space(): void {
    const s = this.s;
    while (this.i < s.length && (s[this.i] === ' ' || s[this.i] === '\t' || s[this.i] === '\n' || s[this.i] === '\r')) this.i++;
  }

  digits(what: string): void {
    if (!/[0-9]/.test(this.s[this.i] ?? '')) throw this.unexpected(what);
    while (/[0-9]/.test(this.s[this.i] ?? '')) this.i++;
  }

  string(): void {
    const s = this.s;
    this.i++; // opening quote
    for (;;) {
      if (this.i >= s.length) throw new Stop(this.i, 'unterminated string');
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        this.i++;
        return;
      }
      if (c < 0x20) throw new Stop(this.i, 'control character in a string (escape it)');
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      const e = s[++this.i];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(s.slice(this.i + 1, this.i + 5))) throw new Stop(this.i - 1, 'invalid \\u escape in a string');
        this.i += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i++;
      else throw new Stop(this.i - 1, 'invalid escape in a string');
    }
  }

  /** The members of an object or the elements of an array, after its opening bracket. */
  members(close: '}' | ']', member: () => void): void {
    this.i++;
    this.space();
    if (this.s[this.i] === close) {
      this.i++;
      return;
    }
    for (;;) {
      member();
      this.space();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === close) {
        this.i++;
        return;
      }
      throw this.unexpected(`"," or "${close}"`);
    }
  }

  property(): void {
    this.space();
    if (this.s[this.i] !== '"') throw this.unexpected('a property name in double quotes');
    this.string();
    this.space();
    if (this.s[this.i] !== ':') throw this.unexpected('":"');
    this.i++;
    this.value();
  }

  number(): void {
    if (this.s[this.i] === '-') this.i++;
    if (this.s[this.i] === '0') this.i++;
    else this.digits('a digit');
    if (this.s[this.i] === '.') {
      this.i++;
      this.digits('a digit after "."');
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      this.digits('a digit in the exponent');
    }
  }

  value(): void {
    this.space();
    const c = this.s[this.i];
    if (c === '{') return this.members('}', () => this.property());
    if (c === '[') return this.members(']', () => this.value());
    if (c === '"') return this.string();
    if (c === '-' || /[0-9]/.test(c ?? '')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    throw this.unexpected('a value (object, array, string, number, true, false or null)');
  }
}

/** The first syntax error of a JSON text (RFC 8259), or undefined if it is valid. */
export function locateJsonError(s: string): { offset: number; problem: string } | undefined {
  const scanner = new JsonScanner(s);
  try {
    scanner.value();
    scanner.space();
    if (scanner.i < s.length) throw scanner.unexpected('the end of the input');
    return undefined;
  } catch (err) {
    if (err instanceof Stop) return { offset: err.offset, problem: err.problem };
    throw err;
  }
}
