import type { RenderedChart } from './charts.js';
import { katexCss } from './katex.js';

/** The page: one HTML file with its styles, fonts, formulas and charts inline. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function figure(chart: RenderedChart): string {
  // The figure is as wide as its chart (the caption wraps inside it), so charts sit side by side.
  const width = /<svg[^>]*\swidth="([0-9.]+)"/.exec(chart.svg)?.[1];
  const style = width ? ` style="width: ${Math.ceil(Number(width)) + 26}px"` : '';
  return [
    `<figure class="chart" data-chart="${escapeHtml(chart.id)}" data-marks="${escapeHtml(JSON.stringify(chart.marks))}"${style}>`,
    `<figcaption><strong>${escapeHtml(chart.title)}</strong>${chart.caption ? ` <span class="caption">${escapeHtml(chart.caption)}</span>` : ''}</figcaption>`,
    chart.svg,
    '</figure>',
  ].join('\n');
}

/** A block of text to read or copy (plain-text law, JS module), folded. */
export function copyBlock(title: string, text: string, id: string): string {
  return [
    `<details class="copy-block"><summary>${escapeHtml(title)}</summary>`,
    `<button type="button" class="copy" data-copy="${escapeHtml(id)}">Copy</button>`,
    `<pre id="${escapeHtml(id)}"><code>${escapeHtml(text)}</code></pre>`,
    '</details>',
  ].join('\n');
}

export function table(header: string[], rows: string[][], className = ''): string {
  return [
    `<table${className ? ` class="${className}"` : ''}><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>`,
    ...rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`),
    '</tbody></table>',
  ].join('\n');
}

const STYLE = `
:root { color-scheme: light; --ink: #1d2530; --muted: #5b6673; --line: #e3e7ec; --accent: #1f6fb2; --warn: #8a5a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f8fa; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 60px; }
header.top { border-bottom: 1px solid var(--line); margin-bottom: 18px; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 30px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
.sub { color: var(--muted); margin: 0 0 12px; }
section.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; margin: 12px 0; }
.formula { overflow-x: auto; overflow-y: hidden; padding: 4px 0; }
.katex-display { margin: 6px 0; text-align: left; }
.katex-display > .katex { text-align: left; }
table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 12px 3px 0; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f3f5f7; border: 1px solid var(--line); border-radius: 6px; padding: 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: 6px 0; }
details.copy-block { margin: 6px 0; position: relative; }
details.copy-block summary { cursor: pointer; color: var(--accent); }
button.copy { position: absolute; right: 6px; top: 28px; font-size: 12px; padding: 2px 8px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
ul.warnings li { color: var(--warn); margin: 4px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 14px; }
figure.chart { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; max-width: 100%; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; margin-bottom: 6px; }
figcaption .caption { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0; font-size: 14px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
`;

/** Copy buttons: the Clipboard API where the page may use it, else a selection and execCommand. */
const SCRIPT = `
document.addEventListener('click', function (event) {
  var button = event.target.closest && event.target.closest('button.copy');
  if (!button) return;
  var pre = document.getElementById(button.getAttribute('data-copy'));
  if (!pre) return;
  var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 1200); };
  var fallback = function () {
    var range = document.createRange(); range.selectNodeContents(pre);
    var selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(range);
    try { document.execCommand('copy'); done(); } catch (e) { button.textContent = 'Select and copy'; }
  };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(pre.textContent).then(done, fallback);
  else fallback();
});
`;

export function page(title: string, subtitle: string, body: string, footer: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may load from elsewhere: the report works offline, opened from disk.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; script-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${katexCss()}</style>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body><main>',
    `<header class="top"><h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(subtitle)}</p></header>`,
    body,
    `<footer>${escapeHtml(footer)}</footer>`,
    '</main>',
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
