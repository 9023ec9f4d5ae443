import type { Expr } from '../expr/ast.js';

const GREEK = new Set(
  'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega'.split(
    ' ',
  ),
);

export interface LatexOptions {
  /** Significant digits for constants (default: shortest exact representation). */
  digits?: number;
}

/** theta -> \theta, x0 -> x_{0}, theta_dot -> \theta_{\mathrm{dot}}, cos_theta -> \mathrm{cos}_{\theta}. */
const FUNCTION_HEADS = new Set(['sin', 'cos', 'tan', 'exp', 'log', 'tanh']);

export function latexName(name: string): string {
  const primes = /'*$/.exec(name)![0];
  if (primes) return latexName(name.slice(0, -primes.length)) + primes;
  const piece = (s: string): string => (GREEK.has(s) ? `\\${s}` : /^\d+$/.test(s) || s.length === 1 ? s : `\\mathrm{${s}}`);
  const parts = name.split('_').filter((s) => s !== '');
  let head = parts.shift() ?? name;
  const subs = [...parts];
  const trailing = /^(.*?[A-Za-z])(\d+)$/.exec(head);
  if (trailing) {
    head = trailing[1]!;
    subs.unshift(trailing[2]!);
  }
  // sin_theta reads as \sin\theta: the observation names of angles.
  if (FUNCTION_HEADS.has(head) && subs.length === 1 && GREEK.has(subs[0]!)) return `\\${head}\\${subs[0]}`;
  const base = piece(head);
  return subs.length === 0 ? base : `${base}_{${subs.map(piece).join(',')}}`;
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

// Precedence levels: sum < product < unary minus < power < atom.
const SUM = 1;
const PRODUCT = 2;
const UNARY = 3;
const POWER = 4;
const ATOM = 5;

interface Rendered {
  readonly text: string;
  readonly level: number;
  /** Starts with a digit: a following number must not be juxtaposed. */
  readonly numeric: boolean;
}

const paren = (s: string): string => `\\left(${s}\\right)`;

function render(e: Expr, opts: LatexOptions): Rendered {
  switch (e.type) {
    case 'num': {
      const text = latexNumber(e.value, opts.digits);
      return { text, level: text.includes('\\cdot') || text.includes('^') ? PRODUCT : ATOM, numeric: true };
    }
    case 'var':
      return { text: latexName(e.name), level: ATOM, numeric: false };
    case 'neg': {
      const a = render(e.arg, opts);
      // -(a*b) reads the same as (-a)*b, so products need no parentheses under a minus.
      return { text: `-${a.level < PRODUCT ? paren(a.text) : a.text}`, level: UNARY, numeric: false };
    }
    case 'call': {
      const a = render(e.arg, opts).text;
      switch (e.fn) {
        case 'sqrt':
          return { text: `\\sqrt{${a}}`, level: ATOM, numeric: false };
        case 'abs':
          return { text: `\\left|${a}\\right|`, level: ATOM, numeric: false };
        default:
          return { text: `\\${e.fn}${paren(a)}`, level: ATOM, numeric: false };
      }
    }
    case 'bin': {
      const l = render(e.left, opts);
      const r = render(e.right, opts);
      switch (e.op) {
        case '+':
          return { text: `${l.text} + ${r.level === UNARY ? paren(r.text) : r.text}`, level: SUM, numeric: l.numeric };
        case '-':
          return { text: `${l.text} - ${r.level <= SUM || r.level === UNARY ? paren(r.text) : r.text}`, level: SUM, numeric: l.numeric };
        case '*': {
          const lt = l.level < PRODUCT ? paren(l.text) : l.text;
          const rt = r.level <= UNARY ? paren(r.text) : r.text;
          // Juxtapose a coefficient and what follows it ("0.15 u"); otherwise a visible \cdot.
          const joiner = l.level >= PRODUCT && !r.numeric && r.level !== UNARY && l.numeric ? ' \\, ' : ' \\cdot ';
          return { text: `${lt}${joiner}${rt}`, level: PRODUCT, numeric: l.numeric && l.level >= PRODUCT };
        }
        case '/':
          return { text: `\\frac{${l.text}}{${r.text}}`, level: ATOM, numeric: false };
        case '^': {
          const functionLike = e.left.type === 'call' || /^\\(sin|cos|tan|exp|log|tanh)\\/.test(l.text);
          const base = l.level < ATOM || functionLike ? paren(l.text) : l.text;
          return { text: `${base}^{${r.text}}`, level: POWER, numeric: false };
        }
      }
    }
  }
}

export function latex(e: Expr, options: LatexOptions = {}): string {
  return render(e, options).text;
}

/** `lhs = expression`, with the left-hand side written as a variable name. */
export function latexEquation(lhs: string, e: Expr, options: LatexOptions = {}): string {
  return `${latexName(lhs)} = ${latex(e, options)}`;
}
