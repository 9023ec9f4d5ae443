import { type Library, concat } from './library.js';
import { polynomial, fourier, custom, tensor, LibraryError } from './builders.js';

/**
 * Library specifications, as used on the command line:
 *
 *   spec    := product ('+' product)*          concatenation
 *   product := atom ('*' atom)*                tensor product
 *   atom    := 'poly:' D (':nobias' | ':interaction')* subset?
 *            | 'fourier:' N (':cross')* subset?
 *            | 'custom{' expr (';' expr)* '}' subset?
 *   subset  := '[' name (',' name)* ']'         inputs this part uses (default: all)
 *
 * e.g. poly:3, poly:3+fourier:1, poly:2[x,y]+fourier:2[theta], poly:1*fourier:1, custom{sin(x)*y; x^2}
 */
export function parseLibrarySpec(spec: string, inputs: readonly string[]): Library {
  let pos = 0;
  const fail = (what: string): never => {
    throw new LibraryError(`library spec "${spec}", column ${pos + 1}: ${what}`);
  };
  const skip = (): void => {
    while (spec[pos] === ' ') pos++;
  };
  const eat = (s: string): boolean => {
    skip();
    if (spec.startsWith(s, pos)) {
      pos += s.length;
      return true;
    }
    return false;
  };
  const integer = (what: string): number => {
    skip();
    const m = /^\d+/.exec(spec.slice(pos));
    if (!m) fail(`expected ${what} (an integer)`);
    pos += m![0].length;
    return Number(m![0]);
  };
  const subset = (): readonly string[] => {
    if (!eat('[')) return inputs;
    const names: string[] = [];
    do {
      skip();
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(spec.slice(pos));
      if (!m) fail('expected an input name');
      if (!inputs.includes(m![0])) fail(`"${m![0]}" is not an input (inputs: ${inputs.join(', ')})`);
      names.push(m![0]);
      pos += m![0].length;
    } while (eat(','));
    if (!eat(']')) fail('expected "]"');
    return names;
  };
  const atom = (): Library => {
    const start = pos;
    if (eat('poly:')) {
      const degree = integer('a degree');
      let includeBias = true;
      let interactionOnly = false;
      for (;;) {
        if (eat(':nobias')) includeBias = false;
        else if (eat(':interaction')) interactionOnly = true;
        else break;
      }
      return polynomial(subset(), { degree, includeBias, interactionOnly });
    }
    if (eat('fourier:')) {
      const frequencies = integer('a number of frequencies');
      const crossTerms = eat(':cross');
      return fourier(subset(), { frequencies, crossTerms });
    }
    if (eat('custom{')) {
      const close = spec.indexOf('}', pos);
      if (close < 0) fail('missing "}" after custom{');
      const body = spec.slice(pos, close);
      pos = close + 1;
      const terms = body.split(';').map((s) => s.trim());
      if (terms.some((t) => t === '')) fail('empty custom term');
      const sub = subset();
      return custom(sub, terms);
    }
    pos = start;
    skip();
    return fail('expected poly:D, fourier:N or custom{...}');
  };
  const product = (): Library => {
    let lib = atom();
    while (eat('*')) lib = tensor(lib, atom());
    return lib;
  };
  const parts = [product()];
  while (eat('+')) parts.push(product());
  skip();
  if (pos < spec.length) fail(`unexpected "${spec[pos]}"`);
  const lib = parts.length === 1 ? parts[0]! : concat(parts);
  return { ...lib, inputs: [...inputs], spec };
}
