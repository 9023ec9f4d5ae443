import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import katex from 'katex';
import { SparselawError } from '../errors.js';

/** Formulas are typeset by KaTeX when the report is written; the page only needs its CSS and fonts. */

/**
 * With `wrap`, the formula is set in display style but in KaTeX's inline mode, which lets the browser
 * break a long line after a top-level + or - (display mode never breaks); the parentheses of
 * \left( ... \right) would make their contents one unbreakable group, so they become fixed-size
 * \bigl( ... \bigr), whose contents stay breakable.
 */
export function typeset(latex: string, what: string, options: { wrap?: boolean } = {}): string {
  const source = options.wrap ? `\\displaystyle ${latex.replace(/\\left\(/g, '\\bigl(').replace(/\\right\)/g, '\\bigr)')}` : latex;
  try {
    return katex.renderToString(source, { displayMode: !options.wrap, throwOnError: true, output: 'html', strict: 'ignore' });
  } catch (err) {
    throw new SparselawError(`cannot typeset ${what}: ${(err as Error).message}`);
  }
}

let css: string | undefined;

/**
 * KaTeX's stylesheet with its fonts inlined as base64 woff2 (every browser that runs the report
 * reads woff2; the woff and ttf fallbacks would triple the size).
 */
export function katexCss(): string {
  if (css !== undefined) return css;
  const dist = dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'));
  const sheet = readFileSync(join(dist, 'katex.min.css'), 'utf8');
  css = sheet.replace(/src:([^;}]*)/g, (_all, sources: string) => {
    const woff2 = /url\((fonts\/[^)]+\.woff2)\)/.exec(sources);
    if (!woff2) throw new SparselawError(`unexpected KaTeX font declaration: ${sources.slice(0, 80)}`);
    const data = readFileSync(join(dist, woff2[1]!)).toString('base64');
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
  if (/url\(fonts\//.test(css)) throw new SparselawError('a KaTeX font was left as a file reference');
  return css;
}
