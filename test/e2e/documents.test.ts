import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/kernel/paths.js';
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
import { type Admin, callApi, createAdmin, startTestKeel, type TestKeel } from './support/keel.js';
import { ensureWebBuild } from './support/web-build.js';

if (!hasChromium) console.warn(skipReason);

async function signIn(page: Page, server: TestKeel, admin: Admin): Promise<void> {
  await page.goto(`${server.url}/app/sign-in`);
  await page.getByLabel('Username').fill(admin.username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/app\/admin\/users$/);
}

const note = [
  '# Harbour notes',
  '',
  'The lighthouse keeper logs every passing ship in a leather ledger.',
  '',
  'On stormy nights the foghorn sounds twice a minute until dawn.',
].join('\n');

describe.skipIf(!hasChromium)('Documents: bases, upload, processing, search', { timeout: 240_000 }, () => {
  let server: TestKeel;
  let browser: Browser;
  let admin: Admin;

  beforeAll(async () => {
    await ensureWebBuild();
    [server, browser] = await Promise.all([startTestKeel(), launchBrowser()]);
    admin = await createAdmin(server);
    // The account's language decides the UI's (the server's default may be Korean).
    await callApi(server, admin, 'PATCH', '/me/settings', { language: 'en' });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates a base, uploads a Markdown file, sees it complete, finds it by text and hybrid search, and refuses an empty file', async () => {
    const { page, context, errors } = await openPage(browser, { viewport: 'desktop' });
    await signIn(page, server, admin);
    await page.goto(`${server.url}/app/documents/library`);
    await page.getByRole('heading', { level: 1, name: 'Documents', exact: true }).waitFor();

    // No base yet: name one inline.
    await page.getByLabel('Name of the new base').fill('Harbour');
    await page.getByRole('button', { name: 'Create base' }).click();
    await expect.poll(() => page.getByLabel('Knowledge base').inputValue()).not.toBe('');

    const input = page.locator('input[type=file]');
    await input.setInputFiles({ name: 'harbour.md', mimeType: 'text/markdown', buffer: Buffer.from(note) });
    const row = page.getByRole('row').filter({ hasText: 'harbour.md' });
    await row.getByText('Completed').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Export harbour.md' }).waitFor();

    // An empty file: the server's problem detail is shown for that upload.
    await input.setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    const uploads = page.getByRole('list', { name: 'Uploads' });
    await uploads.getByRole('listitem').filter({ hasText: 'empty.txt' }).getByText(/empty/i).last().waitFor();
    await expect.poll(() => uploads.getByText('Refused').count()).toBe(1);

    // The same content again: 409 naming the existing document.
    await input.setInputFiles({ name: 'again.md', mimeType: 'text/markdown', buffer: Buffer.from(note) });
    await uploads.getByRole('listitem').filter({ hasText: 'again.md' }).getByRole('alert').waitFor();
    await screenshot(page, 'documents-desktop-library');

    await page.getByRole('link', { name: 'Search' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Search documents' }).waitFor();
    for (const method of ['Text', 'Hybrid']) {
      await page.getByRole('button', { name: method, exact: true }).click();
      await page.getByLabel('Search for').fill('lighthouse');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const hits = page.getByRole('list', { name: 'Results' });
      await hits.getByRole('listitem').first().waitFor();
      const mark = hits.locator('mark').first();
      expect((await mark.textContent())?.toLowerCase()).toBe('lighthouse');
      await hits.getByText('harbour.md').first().waitFor();
      await hits.getByText('line', { exact: false }).first().waitFor();
    }
    await screenshot(page, 'documents-desktop-search');
    mkdirSync(join(projectRoot, 'docs', 'web'), { recursive: true });
    copyFileSync(
      join(projectRoot, 'test-results', 'screenshots', 'documents-desktop-search.png'),
      join(projectRoot, 'docs', 'web', 'desktop-documents-search.png'),
    );
    copyFileSync(
      join(projectRoot, 'test-results', 'screenshots', 'documents-desktop-library.png'),
      join(projectRoot, 'docs', 'web', 'desktop-documents-library.png'),
    );

    // Delete to the trash and restore.
    await page.goto(`${server.url}/app/documents/library`);
    await page.getByRole('button', { name: 'Delete harbour.md' }).click();
    await page.getByRole('button', { name: 'Show trash' }).click();
    await page.getByRole('button', { name: 'Restore harbour.md' }).click();
    await page.getByText('Restored').first().waitFor();

    expect(errors.filter((e) => !/status of 4(00|09|13|15)/.test(e))).toEqual([]);
    await context.close();
  });

  for (const viewport of ['phone', 'desktop'] as ViewportName[]) {
    it(`${viewport}: the pages fit the screen and every control has a name`, async () => {
      const { page, context } = await openPage(browser, { viewport });
      await signIn(page, server, admin);
      const problems: string[] = [];
      for (const [name, path, heading] of [
        ['library', '/documents/library', 'Documents'],
        ['search', '/documents/search', 'Search documents'],
      ] as const) {
        await page.goto(`${server.url}/app${path}`);
        await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
        await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading' }).count()).toBe(0);
        if (name === 'search') {
          await page.getByLabel('Search for').fill('foghorn');
          await page.getByRole('button', { name: 'Search', exact: true }).click();
          await page.getByRole('list', { name: 'Results' }).locator('mark').first().waitFor();
        }
        await screenshot(page, `documents-${viewport}-${name}`);
        if (await overflowsHorizontally(page)) problems.push(`${name}: wider than the ${viewport} screen`);
        for (const control of await unnamedControls(page))
          problems.push(`${name}: unnamed control ${control}`);
      }
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
