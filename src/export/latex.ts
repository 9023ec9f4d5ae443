import { type Expr, fold } from '../expr/ast.js';
import { functionSpec } from '../expr/functions.js';
import { ATOM, BINARY, PRODUCT, SUM, UNARY } from '../expr/precedence.js';

const GREEK = new Set(
  'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega'.split(
    ' ',
  ),
);

export interface LatexOptions {
  /** Significant digits for constants (default: shortest exact representation). */
  digits?: number;
}

/** Function names that read as an operator before an angle: cos_theta is \cos\theta. */
const FUNCTION_HEADS = new Set(['sin', 'cos', 'tan', 'exp', 'log', 'tanh']);

/** One word of a name: a Greek letter, digits, a single letter, or upright text. */
function word(s: string): string {
  if (GREEK.has(s)) return `\\${s}`;
  if (/^\d+$/.test(s) || /^[A-Za-z]$/.test(s)) return s;
  return `\\mathrm{${s.replace(/_/g, '\\_')}}`;
}

/** Words joined by thin spaces, a function name followed by a Greek letter written as \cos\theta. */
function phrase(words: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (FUNCTION_HEADS.has(w) && next !== undefined && GREEK.has(next)) {
      out.push(`\\${w}\\${next}`);
      i++;
    } else out.push(word(w));
  }
  return out.join('\\,');
}

/**
 * Variable names in LaTeX. The rule: the part before the first underscore is the base, and the whole
 * rest of the name is its one subscript (never a subscript of a subscript). Greek names become Greek
 * letters, digits and single letters stay, other words are upright, and a function name followed by
 * an angle reads as the function: x0 -> x_{0}, theta_dot -> \theta_{\mathrm{dot}},
 * cos_theta -> \cos\theta, next_cos_theta -> \mathrm{next}_{\cos\theta}, a_b_c -> a_{b\,c}.
 * Trailing digits of the base are a subscript too (x12 -> x_{12}); trailing quotes are primes.
 */
export function latexName(name: string): string {
  const primes = /'*$/.exec(name)![0];
  if (primes) return latexName(name.slice(0, -primes.length)) + primes;
  const parts = name.split('_').filter((s) => s !== '');
  if (parts.length === 0) return word(name);
  let head = parts[0]!;
  const rest = parts.slice(1);
  const trailing = /^(.*?[A-Za-z])(\d+)$/.exec(head);
  if (trailing) {
    head = trailing[1]!;
    rest.unshift(trailing[2]!);
  }
  if (FUNCTION_HEADS.has(head) && rest.length === 1 && GREEK.has(rest[0]!)) return phrase([head, rest[0]!]);
  const base = word(head);
  return rest.length === 0 ? base : `${base}_{${phrase(rest)}}`;
}

/** 1.5e-7 -> 1.5 \cdot 10^{-7}; rounding to `digits` significant digits when asked. */
export function latexNumber(v: number, digits?: number): string {
  const rounded = digits === undefined ? v : Number(v.toPrecision(digits));
  const s = String(rounded);
  const m = /^([0-9.]+)e([+-])(\d+)$/.exec(s);
  if (!m) return s;
  const exponent = `${m[2] === '-' ? '-' : ''}${m[3]}`;
  return m[1] === '1' ? `10^{${exponent}}` : `${m[1]} \\cdot 10^{${exponent}}`;
}

interface Rendered {
  readonly text: string;
  readonly level: number;
  /** Starts with a digit: a following number must not be juxtaposed. */
  readonly numeric: boolean;
}

const paren = (s: string): string => `\\left(${s}\\right)`;

function render(root: Expr, opts: LatexOptions): Rendered {
  return fold<Rendered>(root, (e, kids) => {
    switch (e.type) {
      case 'num': {
        const text = latexNumber(e.value, opts.digits);
        return { text, level: text.includes('\\cdot') || text.includes('^') ? PRODUCT : ATOM, numeric: true };
      }
      case 'var':
        return { text: latexName(e.name), level: ATOM, numeric: false };
      case 'neg': {
        const a = kids[0]!;
        // -(a*b) reads the same as (-a)*b, so products need no parentheses under a minus.
        return { text: `-${a.level < PRODUCT ? paren(a.text) : a.text}`, level: UNARY, numeric: false };
      }
      case 'call':
        return { text: functionSpec(e.fn).latex(kids.map((k) => k.text)), level: ATOM, numeric: false };
      case 'bin': {
        const [l, r] = kids as [Rendered, Rendered];
        const rule = BINARY[e.op];
        switch (e.op) {
          case '+':
            // a + -b would read as a sign typo: the negated operand is parenthesised.
            return { text: `${l.text} + ${r.level === UNARY ? paren(r.text) : r.text}`, level: SUM, numeric: l.numeric };
          case '-':
            return { text: `${l.text} - ${r.level < rule.right || r.level === UNARY ? paren(r.text) : r.text}`, level: SUM, numeric: l.numeric };
          case '*': {
            const lt = l.level < rule.left ? paren(l.text) : l.text;
            const rt = r.level <= rule.right ? paren(r.text) : r.text;
            // Juxtapose a coefficient and what follows it ("0.15 u"); otherwise a visible \cdot.
            const joiner = l.level >= PRODUCT && !r.numeric && r.level !== UNARY && l.numeric ? ' \\, ' : ' \\cdot ';
            return { text: `${lt}${joiner}${rt}`, level: PRODUCT, numeric: l.numeric && l.level >= PRODUCT };
          }
          case '/':
            return { text: `\\frac{${l.text}}{${r.text}}`, level: ATOM, numeric: false };
          case '^': {
            const functionLike = e.left.type === 'call' || /^\\(sin|cos|tan|exp|log|tanh)\\/.test(l.text);
            const base = l.level < rule.left || functionLike ? paren(l.text) : l.text;
            return { text: `${base}^{${r.text}}`, level: rule.level, numeric: false };
          }
        }
      }
    }
  });
}

export function latex(e: Expr, options: LatexOptions = {}): string {
  return render(e, options).text;
}

/** `lhs = expression`, with the left-hand side written as a variable name. */
export function latexEquation(lhs: string, e: Expr, options: LatexOptions = {}): string {
  return `${latexName(lhs)} = ${latex(e, options)}`;
}
