import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { projectRoot } from '../../../src/kernel/paths.js';

export const chromiumPath = process.env.KEEL_CHROMIUM ?? '/usr/bin/chromium';
/** The browser tests run only where Debian's Chromium is installed (CI installs it). */
export const hasChromium = existsSync(chromiumPath);
export const skipReason = `browser tests skipped: ${chromiumPath} is missing (apt-get install -y chromium)`;

export const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;
export type ViewportName = keyof typeof viewports;

export const screenshotDir = join(projectRoot, 'test-results', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

let nextClient = 1;

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far (a page should have none). */
  errors: string[];
}

/** A fresh context (no cookies, no storage) with one page, in English unless asked otherwise. */
export async function openPage(
  browser: Browser,
  options: { viewport?: ViewportName; locale?: string; colorScheme?: 'light' | 'dark' } = {},
): Promise<TestPage> {
  const viewport = viewports[options.viewport ?? 'desktop'];
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    locale: options.locale ?? 'en-US',
    colorScheme: options.colorScheme ?? 'light',
    isMobile: options.viewport === 'phone',
    hasTouch: options.viewport === 'phone',
    // One client address per context (the test server trusts loopback as a proxy): contexts
    // do not share the per-IP rate limit, as separate people would not.
    extraHTTPHeaders: { 'x-forwarded-for': `10.${nextClient >> 8}.${nextClient++ & 255}.1` },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // 401s on purpose (session checks) are logged by the browser as failed loads; keep real errors.
    if (message.type() === 'error' && !/status of 40[14]/.test(message.text())) errors.push(message.text());
  });
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * The page is wider than the screen it was made for (a layout that breaks on phones). Compared
 * with the viewport asked for, not `innerWidth`: a mobile browser widens its layout viewport to
 * fit overflowing content, which would hide the problem.
 */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  const width = page.viewportSize()?.width ?? 0;
  // (Browser code as a string: the test project is type-checked without the DOM library.)
  const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
  return scrollWidth > width + 1;
}

/**
 * Controls without an accessible name: buttons, links and form fields that a screen reader would
 * announce as just "button" or "edit text". Uses the browser's own accessibility tree.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const snapshot = await page.locator('body').ariaSnapshot();
  return snapshot
    .split('\n')
    .map((line) => line.trim())
    .filter((line) =>
      /^- (button|link|textbox|combobox|checkbox|switch|radio|tab|searchbox|spinbutton)(:|$| \[)/.test(line),
    )
    .filter((line) => !/^- [\w-]+ "/.test(line))
    .slice(0, 20);
}
