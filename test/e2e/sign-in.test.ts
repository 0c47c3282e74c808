import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, openPage, screenshot, skipReason } from './support/browser.js';
import { type Admin, callApi, createAdmin, startTestKeel, type TestKeel } from './support/keel.js';
import { ensureWebBuild } from './support/web-build.js';

if (!hasChromium) console.warn(skipReason);

describe.skipIf(!hasChromium)('signing in, settings and the audit log', { timeout: 120_000 }, () => {
  let server: TestKeel;
  let browser: Browser;
  let admin: Admin;

  beforeAll(async () => {
    await ensureWebBuild();
    [server, browser] = await Promise.all([startTestKeel(), launchBrowser()]);
    admin = await createAdmin(server);
    await callApi(server, admin, 'PATCH', '/me/settings', { language: 'en' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a deep link asks for sign-in, shows the server’s refusal, then returns to the page', async () => {
    const { page, context, errors } = await openPage(browser, { viewport: 'phone' });
    await page.goto(`${server.url}/app/admin/audit?result=denied`);
    await page.waitForURL(/\/app\/sign-in\?next=%2Fadmin%2Faudit%3Fresult%3Ddenied$/);

    // Empty fields are caught before any request.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await page.getByText('Required').count()).toBe(2);

    await page.getByLabel('Username').fill(admin.username);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/username or password/i);
    await screenshot(page, 'phone-sign-in-refused');

    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/app\/admin\/audit\?result=denied$/);
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the phone tab asks for a number, then for the code', async () => {
    const { page, context } = await openPage(browser, { viewport: 'phone' });
    await page.goto(`${server.url}/app/sign-in`);
    await page.getByRole('tab', { name: 'Phone' }).click();
    await page.getByLabel('Mobile number').fill('12');
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByText('Enter a mobile number such as').waitFor();
    await page.getByLabel('Mobile number').fill('010-1234-5678');
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByLabel('Code').waitFor();
    await page.getByText('We sent a 6-digit code to 010-1234-5678.').waitFor();
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
    await screenshot(page, 'phone-sign-in-code');
    await context.close();
  });

  it('changing the language switches the UI and shows up in the audit log', async () => {
    const { page, context, errors } = await openPage(browser);
    await page.goto(`${server.url}/app/sign-in?next=%2Faccount%2Fprofile`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Profile and settings', level: 1 }).waitFor();

    await page.getByRole('main').getByLabel('Language').selectOption('ko');
    await page.getByRole('heading', { name: '프로필과 설정', level: 1 }).waitFor();
    // Saved on the account: another browser (a new context) signs in to Korean.
    await expect
      .poll(
        async () =>
          (await callApi<{ settings: { language: string } }>(server, admin, 'GET', '/me/')).settings.language,
      )
      .toBe('ko');

    await page.goto(`${server.url}/app/admin/audit`);
    await page.getByRole('heading', { name: '감사 로그', level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'me.update' }).filter({ hasText: '/me/settings' });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain('성공');
    await screenshot(page, 'desktop-ko-admin-audit');

    // Back to English for the other tests.
    await page.getByRole('banner').getByLabel('언어').selectOption('en');
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a new system notice appears in the banner and in the audit log', async () => {
    const { page, context, errors } = await openPage(browser);
    await page.goto(`${server.url}/app/sign-in?next=%2Fadmin%2Fnotices`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'System notices', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'New notice' }).click();
    const dialog = page.getByRole('dialog', { name: 'New notice' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Required').first().waitFor();
    await dialog.getByLabel('Title').fill('Release 2.0 tonight');
    await dialog.getByLabel('Message').fill('New dashboards arrive at 22:00.');
    await dialog.getByLabel('Type').selectOption('update');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('cell', { name: /Release 2.0 tonight/ })
      .first()
      .waitFor();

    await page.goto(`${server.url}/app/admin/audit`);
    await page.getByRole('region', { name: 'System notices' }).getByText('Release 2.0 tonight').waitFor();
    await page.getByRole('row').filter({ hasText: 'POST /notify/notices' }).first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an expired access token is refreshed silently; a dead session goes to sign-in and back', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${server.url}/app/sign-in?next=%2Faccount%2Fsessions`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Signed-in devices', level: 1 }).waitFor();

    // The access cookie is gone (as after its 10 minutes): the refresh cookie renews it unseen.
    await context.clearCookies({ name: 'keel_access' });
    await page.reload();
    await page.getByRole('heading', { name: 'Signed-in devices', level: 1 }).waitFor();
    expect((await context.cookies()).some((c) => c.name === 'keel_access')).toBe(true);

    // Both cookies gone (signed out elsewhere): the next request sends the user to sign in.
    await context.clearCookies();
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL(/\/app\/sign-in\?next=%2Faccount%2Fapi-keys$/);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await context.close();
  });

  it('a network error shows the problem and a retry, never a blank page', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${server.url}/app/sign-in?next=%2Fadmin%2Fusers`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();

    await page.route('**/users/?*', (route) => route.abort('connectionrefused'));
    await page.getByLabel('Status').selectOption('banned');
    await page.getByText('Keel could not be reached').waitFor({ timeout: 15_000 });
    await screenshot(page, 'desktop-network-error');
    await page.unroute('**/users/?*');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('No user matches these filters.').waitFor();
    await context.close();
  });

  it('creates an API key, shows it once, and revokes it', async () => {
    const { page, context, errors } = await openPage(browser, { viewport: 'phone' });
    await page.goto(`${server.url}/app/sign-in?next=%2Faccount%2Fapi-keys`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Create key' }).click();
    const create = page.getByRole('dialog', { name: 'Create key' });
    await create.getByLabel('Name').fill('deploy-bot');
    await create.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API key' });
    const key = await shown.getByRole('textbox').inputValue();
    expect(key).toMatch(/^keel_/);
    const me = await fetch(`${server.url}/me/`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    await shown.getByRole('button', { name: 'Done' }).click();
    expect(
      await page.evaluate<string>('JSON.stringify(localStorage) + JSON.stringify(sessionStorage)'),
    ).not.toContain(key);

    await page.getByRole('button', { name: 'Revoke key deploy-bot' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke this key?' })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await page.getByText('Revoked').first().waitFor();
    const after = await fetch(`${server.url}/me/`, { headers: { authorization: `Bearer ${key}` } });
    expect(after.status).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe.skipIf(!hasChromium)('Google sign-in, when configured', { timeout: 120_000 }, () => {
  let server: TestKeel;
  let browser: Browser;

  beforeAll(async () => {
    await ensureWebBuild();
    [server, browser] = await Promise.all([
      startTestKeel({
        GOOGLE_CLIENT_ID: 'keel-e2e.apps.googleusercontent.com',
        GOOGLE_CLIENT_SECRET: 'not-a-real-secret',
        GOOGLE_OAUTH_ISSUER: 'https://id.example.com',
      }),
      launchBrowser(),
    ]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('offers the Google button, which starts the OAuth flow and comes back to `next`', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${server.url}/app/sign-in?next=%2Faccount%2Fsessions`);
    const google = page.getByRole('link', { name: 'Continue with Google' });
    await google.waitFor();
    const href = await google.getAttribute('href');
    expect(href).toBe('/auth/google/start?redirect_to=%2Fapp%2Faccount%2Fsessions');
    await screenshot(page, 'desktop-sign-in-google');
    // The link leads to the provider (not followed: there is no Google here).
    const start = await fetch(`${server.url}${href}`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    expect(start.headers.get('location')).toMatch(/^https:\/\/id\.example\.com\/authorize\?/);
    await context.close();
  });
});
