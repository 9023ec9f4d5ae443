import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Opens a report in headless Chromium (Debian's package, driven by playwright-core) with every
 * request other than file:// refused, and reads what a person would see.
 */

export const CHROMIUM = process.env.SPARSELAW_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser test cannot run here, or undefined when it can. */
export function browserUnavailable(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (install Debian's "chromium" package, as .ci/run does, or set SPARSELAW_CHROMIUM)`;
  return undefined;
}

export interface ChartSeen {
  id: string;
  hasSvg: boolean;
  expected: Record<string, number>;
  counts: Record<string, number>;
}

export interface PageSeen {
  consoleErrors: string[];
  /** Requests that left file:// (refused). */
  blocked: string[];
  katex: number;
  katexErrors: number;
  laws: number;
  charts: ChartSeen[];
  screenshot: Buffer;
  /** Share of screenshot pixels that differ from its top-left pixel, and its distinct colours. */
  inkShare: number;
  colours: number;
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The SVG children of each kind of data mark, as Vega writes them. */
const MARK_SELECTORS: Record<string, string> = {
  line: 'g.role-mark.mark-line > path',
  area: 'g.role-mark.mark-area > path',
  symbol: 'g.role-mark.mark-symbol > path',
  rect: 'g.role-mark.mark-rect > path',
  rule: 'g.role-mark.mark-rule > line',
};

export async function inspectReport(file: string, screenshotPath: string): Promise<PageSeen> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'sparselaw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1200, height: 900 } });
  try {
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    const seen = await page.evaluate((selectors) => {
      const charts = [...document.querySelectorAll('figure.chart')].map((fig) => {
        const svg = fig.querySelector('svg');
        const counts: Record<string, number> = {};
        for (const [kind, selector] of Object.entries(selectors)) counts[kind] = svg ? svg.querySelectorAll(selector).length : 0;
        return { id: fig.getAttribute('data-chart') ?? '', hasSvg: svg !== null, expected: JSON.parse(fig.getAttribute('data-marks') ?? '{}') as Record<string, number>, counts };
      });
      return {
        katex: document.querySelectorAll('.katex').length,
        katexErrors: document.querySelectorAll('.katex-error').length,
        laws: document.querySelectorAll('section.law').length,
        charts,
      };
    }, MARK_SELECTORS);
    const screenshot = await page.screenshot({ path: screenshotPath, fullPage: true });
    // Look at the screenshot as pixels, in a page of its own (a data: URL is not a request).
    const pixels = await context.newPage();
    const { inkShare, colours } = await pixels.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      const seenColours = new Set<number>();
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) {
        const c = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
        seenColours.add(c);
        if (Math.abs(data[i]! - data[0]!) + Math.abs(data[i + 1]! - data[1]!) + Math.abs(data[i + 2]! - data[2]!) > 24) ink++;
      }
      return { inkShare: ink / (data.length / 4), colours: seenColours.size };
    }, `data:image/png;base64,${screenshot.toString('base64')}`);
    return { consoleErrors, blocked, ...seen, screenshot, inkShare, colours };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
