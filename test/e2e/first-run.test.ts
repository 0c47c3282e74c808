import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, openPage, screenshot, skipReason } from './support/browser.js';
import { startTestKeel, type TestKeel } from './support/keel.js';
import { ensureWebBuild } from './support/web-build.js';

if (!hasChromium) console.warn(skipReason);

describe.skipIf(!hasChromium)('first run: the setup link makes the first admin', { timeout: 120_000 }, () => {
  let server: TestKeel;
  let browser: Browser;

  beforeAll(async () => {
    await ensureWebBuild();
    [server, browser] = await Promise.all([startTestKeel(), launchBrowser()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sends a visitor without a session to sign-in, which says setup is needed', async () => {
    const { page, context, errors } = await openPage(browser);
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/app\/sign-in$/);
    await page.getByRole('heading', { name: 'Sign in to Keel' }).waitFor();
    await page.getByText('This server has no administrator yet').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('creates the admin from the printed link, signs them in, and the link then works no more', async () => {
    const link = await server.setupLink();
    const { page, context, errors } = await openPage(browser);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Set up Keel' }).waitFor();
    await screenshot(page, 'desktop-setup');

    // Client-side checks first: nothing reaches the server.
    await page.getByLabel('Administrator username').fill('root');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Repeat the password').fill('different');
    await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
    await page.getByText('At least 12 characters').waitFor();
    await page.getByText('The passwords differ').waitFor();

    await page.getByLabel('Password', { exact: true }).fill('a long admin password');
    await page.getByLabel('Repeat the password').fill('a long admin password');
    await page.getByRole('button', { name: 'Create administrator and sign in' }).click();

    // Signed in, on the first product of an admin: the user list, with the new admin in it.
    await page.waitForURL(/\/app\/admin\/users$/);
    await page.getByRole('cell', { name: /root/ }).first().waitFor();
    await page.getByRole('button', { name: /Account menu for root/ }).waitFor();

    // The session lives in HttpOnly cookies only: nothing readable by scripts, nothing stored.
    // (Browser code as strings: the test project is type-checked without the DOM library.)
    const storage = await page.evaluate<{ cookie: string; local: string; session: string }>(
      '({ cookie: document.cookie, local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage) })',
    );
    expect(storage.cookie).toBe('');
    expect(storage.local).not.toMatch(/keel_|eyJ/);
    expect(storage.session).toBe('{}');
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'keel_access')?.httpOnly).toBe(true);

    // A deep link works on reload (the server answers index.html, the app routes).
    await page.goto(`${server.url}/app/admin/jobs`);
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    expect(errors).toEqual([]);
    await context.close();

    // The same link a second time: the server's problem detail is shown, no admin is created.
    const again = await openPage(browser);
    await again.page.goto(link);
    await again.page.getByText('This server is already set up.').waitFor();
    await again.context.close();
  });
});
