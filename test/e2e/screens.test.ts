import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasChromium,
  launchBrowser,
  openPage,
  overflowsHorizontally,
  screenshot,
  skipReason,
  unnamedControls,
  type ViewportName,
} from './support/browser.js';
import { type Admin, createAdmin, startTestKeel, type TestKeel } from './support/keel.js';
import { seed } from './support/seed.js';
import { ensureWebBuild } from './support/web-build.js';

if (!hasChromium) console.warn(skipReason);

/** Every main page: its path under /app, its heading, and the screenshot's name. */
export const mainPages = [
  { name: 'account-profile', path: '/account/profile', heading: 'Profile and settings' },
  { name: 'account-sessions', path: '/account/sessions', heading: 'Signed-in devices' },
  { name: 'account-api-keys', path: '/account/api-keys', heading: 'API keys' },
  { name: 'account-notifications', path: '/account/notifications', heading: 'Notifications' },
  { name: 'admin-users', path: '/admin/users', heading: 'Users' },
  { name: 'admin-plans', path: '/admin/plans', heading: 'Plans' },
  { name: 'admin-llm', path: '/admin/llm', heading: 'Models' },
  { name: 'admin-usage', path: '/admin/usage', heading: 'Usage' },
  { name: 'admin-audit', path: '/admin/audit', heading: 'Audit log' },
  { name: 'admin-jobs', path: '/admin/jobs', heading: 'Jobs' },
  { name: 'admin-notices', path: '/admin/notices', heading: 'System notices' },
  { name: 'admin-notifications', path: '/admin/notifications', heading: 'Notifications' },
] as const;

/** Every loading indicator is gone (data or an error is on screen). */
async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading' }).count()).toBe(0);
}

const isDark = (page: Page) => page.evaluate<boolean>("document.documentElement.classList.contains('dark')");

async function signIn(page: Page, server: TestKeel, admin: Admin): Promise<void> {
  await page.goto(`${server.url}/app/sign-in`);
  await page.getByLabel('Username').fill(admin.username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/app\/admin\/users$/);
}

describe.skipIf(!hasChromium)('every main page on a phone and a desktop', { timeout: 240_000 }, () => {
  let server: TestKeel;
  let browser: Browser;
  let admin: Admin;

  beforeAll(async () => {
    await ensureWebBuild();
    [server, browser] = await Promise.all([startTestKeel(), launchBrowser()]);
    admin = await createAdmin(server);
    await seed(server, admin);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const viewport of ['phone', 'desktop'] as ViewportName[]) {
    it(`${viewport}: each page renders its data without errors, sideways scrolling or unnamed controls`, async () => {
      const { page, context, errors } = await openPage(browser, { viewport });
      await page.goto(`${server.url}/app/sign-in`);
      await page.getByRole('heading', { name: 'Sign in to Keel' }).waitFor();
      await page.getByText('Maintenance on Sunday').waitFor();
      await screenshot(page, `${viewport}-sign-in`);
      await signIn(page, server, admin);

      const problems: string[] = [];
      for (const { name, path, heading } of mainPages) {
        await page.goto(`${server.url}/app${path}`);
        await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
        await settled(page);
        if (name === 'admin-usage') await page.locator('.recharts-surface').first().waitFor();
        await screenshot(page, `${viewport}-${name}`);
        if (await overflowsHorizontally(page)) problems.push(`${name}: wider than the ${viewport} screen`);
        for (const control of await unnamedControls(page))
          problems.push(`${name}: unnamed control ${control}`);
      }
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('the bell lists unread notifications and marks them read; the switcher lists the products', async () => {
    const { page, context, errors } = await openPage(browser, { viewport: 'phone' });
    await signIn(page, server, admin);
    const bell = page.getByRole('button', { name: 'Notifications, 1 unread' });
    await bell.click();
    const inbox = page.getByRole('dialog', { name: 'Notifications' });
    await inbox
      .getByText(/Your weekly usage report is ready|test/i)
      .first()
      .waitFor();
    await screenshot(page, 'phone-inbox');
    await inbox.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
    await page.keyboard.press('Escape');
    expect(await inbox.count()).toBe(0);

    await page.getByRole('button', { name: /Switch product/ }).click();
    const products = page.getByRole('dialog', { name: 'Products' });
    const names = await products.getByRole('link').allTextContents();
    expect(names.map((n) => n.split(/(?=[A-Z][a-z]+,)|\s{2,}/)[0])).toHaveLength(4);
    expect(names.join(' ')).toMatch(/Admin.*Documents.*Commits.*Account/);
    await products.getByRole('link', { name: /Account/ }).click();
    await page.waitForURL(/\/app\/account\/profile$/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('dark theme: the toggle switches it and the choice survives a reload', async () => {
    const { page, context, errors } = await openPage(browser, { viewport: 'desktop' });
    await signIn(page, server, admin);
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    expect(await isDark(page)).toBe(true);
    for (const path of ['/admin/usage', '/account/profile']) {
      await page.goto(`${server.url}/app${path}`);
      await settled(page);
      if (path === '/admin/usage') await page.locator('.recharts-surface').first().waitFor();
      expect(await isDark(page)).toBe(true);
      await screenshot(page, `desktop-dark${path.replaceAll('/', '-')}`);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
