// Opening a report in headless Chromium (Debian's /usr/bin/chromium through playwright-core; never a
// downloaded browser): records console errors, page errors and every request the page makes.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { REPO_DIR } from './paths.js';

export const CHROMIUM = process.env.SLICESIM_CHROMIUM ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
/** .ci/run installs chromium and sets this: there the browser tests must run, not skip. */
export const chromiumRequired = process.env.SLICESIM_REQUIRE_CHROMIUM === '1';
/** Screenshots land here (ignored by git), for a person to look at. */
export const SCREENSHOT_DIR = join(REPO_DIR, 'test-output');

export interface Opened {
  consoleErrors: string[];
  /** Every URL requested other than the page itself. */
  otherRequests: string[];
  page: Page;
  close: () => Promise<void>;
}

export async function openInChromium(file: string, width = 1400): Promise<Opened> {
  const profile = mkdtempSync(join(tmpdir(), 'slicesim-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const url = pathToFileURL(file).href;
  const consoleErrors: string[] = [];
  const otherRequests: string[] = [];
  context.on('request', (r) => {
    if (r.url() !== url) otherRequests.push(r.url());
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  return {
    consoleErrors,
    otherRequests,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Each chart on the page: its id, drawn size, and how many lines, bars and points it draws with a visible size. */
export function chartStats(page: Page) {
  return page.$$eval('figure.chart', (figs) =>
    figs
      .filter((f) => !(f as HTMLElement).closest('[hidden]'))
      .map((f) => {
        const svg = f.querySelector('svg')!;
        const box = svg.getBoundingClientRect();
        const visible = (sel: string) =>
          [...f.querySelectorAll(sel)].filter((e) => {
            const b = (e as SVGGraphicsElement).getBBox();
            return b.width > 0 || b.height > 0;
          }).length;
        return { id: f.id, kind: f.getAttribute('data-kind'), width: box.width, height: box.height, lines: visible('path.line'), bars: visible('rect.bar'), legend: f.querySelectorAll('.legend-item').length };
      }),
  );
}
