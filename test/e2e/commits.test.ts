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
  screenshotDir,
  skipReason,
  unnamedControls,
  type ViewportName,
} from './support/browser.js';
import { type Admin, callApi, createAdmin, startTestKeel, type TestKeel } from './support/keel.js';
import { ensureWebBuild } from './support/web-build.js';

if (!hasChromium) console.warn(skipReason);

/** A guard added to parseHeader in src/parser/header.ts: the offline drafter names the fix after it. */
const headerTs = (guard: string[]) =>
  [
    "import { split } from './split';",
    '',
    'export interface Header {',
    '  name: string;',
    '  value: string;',
    '}',
    '',
    'export function parseHeader(text: string): Header | null {',
    ...guard,
    '  const [name, value] = split(text);',
    '  return { name: name.trim(), value: value.trim() };',
    '}',
    '',
  ].join('\n');
const guard = '  if (!text) return null;';
const diff = [
  'diff --git a/src/parser/header.ts b/src/parser/header.ts',
  'index 3b18e51..9f2c4d7 100644',
  '--- a/src/parser/header.ts',
  '+++ b/src/parser/header.ts',
  '@@ -6,6 +6,7 @@ export interface Header {',
  ' }',
  ' ',
  ' export function parseHeader(text: string): Header | null {',
  `+${guard}`,
  '   const [name, value] = split(text);',
  '   return { name: name.trim(), value: value.trim() };',
  ' }',
  '',
].join('\n');
const contents = { 'src/parser/header.ts': { old: headerTs([]), new: headerTs([guard]) } };
const expectedDraft = 'fix(parser): handle empty text in parseHeader';

interface Detail {
  id: string;
  status: string;
  drafts: Array<{ id: string; message: string }>;
  review?: { url: string; expires_at: string } | null;
}

async function signIn(page: Page, server: TestKeel, admin: Admin): Promise<void> {
  await page.goto(`${server.url}/app/sign-in`);
  await page.getByLabel('Username').fill(admin.username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/app\/admin\/users$/);
}

async function layoutProblems(page: Page, name: string): Promise<string[]> {
  const problems: string[] = [];
  if (await overflowsHorizontally(page)) problems.push(`${name}: wider than the screen`);
  for (const control of await unnamedControls(page)) problems.push(`${name}: unnamed control ${control}`);
  return problems;
}

/** Failed loads the pages cause on purpose: a refused message (400), a used link (410), no session (401). */
const expectedFailures = /status of 4(00|01|04|09|10)/;

describe.skipIf(!hasChromium)(
  'Commits: the review page, repositories and requests',
  { timeout: 300_000 },
  () => {
    let server: TestKeel;
    let browser: Browser;
    let admin: Admin;
    let repositoryId: string;

    /**
     * A repository with a block rule (subject at most 50 characters) and a warn rule (an issue
     * reference). Each approving test has its own: an approved message is reused for the same
     * change in the same repository, and these tests want fresh drafts.
     */
    async function newRepository(name: string): Promise<string> {
      const repository = await callApi<{ id: string }>(server, admin, 'POST', '/commits/repositories', {
        name,
        default_branch: 'main',
        rules: [
          { rule: 'subject-max-length', level: 'block', value: 50 },
          { rule: 'references-empty', level: 'warn' },
        ],
      });
      return repository.id;
    }

    /** A new request for the parseHeader change, with its review link rebased on the test server. */
    async function draftChange(repository = repositoryId): Promise<{ detail: Detail; link: string }> {
      const detail = await callApi<Detail>(server, admin, 'POST', '/commits/requests', {
        repository_id: repository,
        diff,
        contents,
        trigger: 'cli',
        branch: 'fix/empty-header',
        head_sha: '3b18e51c0ffee',
      });
      if (!detail.review) throw new Error('the create response carries no review link');
      return { detail, link: `${server.url}${new URL(detail.review.url).pathname}` };
    }

    const report = (id: string, body: Record<string, unknown>) =>
      callApi(server, admin, 'POST', `/commits/requests/${id}/report`, body);

    beforeAll(async () => {
      await ensureWebBuild();
      [server, browser] = await Promise.all([startTestKeel(), launchBrowser()]);
      admin = await createAdmin(server);
      await callApi(server, admin, 'PATCH', '/me/settings', { language: 'en' });
      // The free plan drafts 5 changes a day and this file drafts more: premium drafts 500.
      const me = await callApi<{ id: string }>(server, admin, 'GET', '/me/');
      await callApi(server, admin, 'PUT', `/plans/users/${me.id}`, { plan_key: 'premium' });
      repositoryId = await newRepository('keel-parser');
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it('paints the review page of a link quickly from a cold browser (phone, no session)', async () => {
      const { link } = await draftChange();
      const runs: Array<{ fcp: number; ready: number }> = [];
      for (let i = 0; i < 3; i++) {
        // A new context each time: empty cache, no cookies — a phone opening the link from Slack.
        const { page, context } = await openPage(browser, { viewport: 'phone' });
        await page.goto(link);
        await page.getByRole('radio', { name: new RegExp(`^${escapeRegExp(expectedDraft)}`) }).waitFor();
        const ready = await page.evaluate<number>('performance.now()');
        const fcp = await page.evaluate<number>(
          "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1",
        );
        runs.push({ fcp, ready });
        await context.close();
      }
      const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? -1;
      const fcp = median(runs.map((r) => r.fcp));
      const ready = median(runs.map((r) => r.ready));
      console.log(
        `commit review page, cold, phone: first-contentful-paint ${fcp.toFixed(0)} ms (median of 3: ${runs
          .map((r) => r.fcp.toFixed(0))
          .join(', ')}); drafts on screen at ${ready.toFixed(0)} ms`,
      );
      expect(fcp).toBeGreaterThan(0);
      // The target is 1 s; the bound leaves room for a busy two-core test machine.
      expect(fcp).toBeLessThan(3000);
    });

    for (const viewport of ['phone', 'desktop'] as ViewportName[]) {
      it(`${viewport}: a review link shows the change, takes an edited message, approves once and follows the push`, async () => {
        const { detail, link } = await draftChange(await newRepository(`keel-parser-${viewport}`));
        const { page, context, errors } = await openPage(browser, { viewport });
        // Signed in on this device (the link works without; see below): the push is followed here.
        await signIn(page, server, admin);
        await page.goto(link);
        await page.getByText('Review commit', { exact: true }).waitFor();

        // The summary: the repository, the branch, the size and the Top element.
        const summary = page.getByRole('region', { name: `keel-parser-${viewport}` });
        await summary.getByText('fix/empty-header').waitFor();
        await summary.getByText('1 file').waitFor();
        await summary.getByText('parseHeader', { exact: true }).waitFor();
        await summary.getByText('guard added').waitFor();

        // The drafts as a choice, the first chosen and in the editor.
        const first = page.getByRole('radio', { name: new RegExp(`^${escapeRegExp(expectedDraft)}`) });
        expect(await first.isChecked()).toBe(true);
        const field = page.getByLabel('Commit message');
        expect(await field.inputValue()).toBe(expectedDraft);
        // The warn rule is shown under it (amber), and no block rule is broken.
        await page
          .getByRole('listitem')
          .filter({ hasText: 'references-empty' })
          .getByText('warning')
          .waitFor();

        // The diff: parseHeader's lines highlighted, the guard among them.
        const scoped = page.locator('[data-element="parseHeader"]');
        await expect.poll(() => scoped.count()).toBeGreaterThanOrEqual(4);
        await scoped.filter({ hasText: 'if (!text) return null;' }).waitFor();
        expect(await page.locator('[data-element]').filter({ hasText: '}' }).count()).toBeGreaterThan(0);

        await screenshot(page, `commits-${viewport}-review`);
        expect(await layoutProblems(page, 'review')).toEqual([]);

        // Keyboard: the actions are reachable and named.
        for (const name of ['Approve', 'Regenerate', 'Reject'])
          await page.getByRole('button', { name, exact: true }).waitFor();

        // A subject over the block rule's 50 characters: refused, the server's words at the field.
        await field.fill('fix(parser): return null from parseHeader when the header text is empty');
        await page.getByText('Edited: the rules are checked again when you approve.').waitFor();
        await page.getByRole('button', { name: 'Approve', exact: true }).click();
        await page.getByText(/The message breaks the repository's rules/).waitFor();
        expect(await field.getAttribute('aria-invalid')).toBe('true');

        // A shorter edit passes: approved, the link used, the status followed every 2 s.
        const edited = 'fix(parser): return null for empty header text';
        await field.fill(edited);
        await page.getByRole('button', { name: 'Approve', exact: true }).click();
        const status = page.getByRole('region', { name: 'Status' });
        await status.getByText('Approved. Waiting for your machine to commit it…').waitFor();
        await status.getByText(edited).waitFor();
        await screenshot(page, `commits-${viewport}-approved`);

        if (viewport === 'phone') {
          // The remote refused the push: git's reason, and nothing is lost.
          await report(detail.id, { status: 'committed', commit_sha: 'abc1234' });
          await status.getByText('Committed; pushing…').waitFor({ timeout: 10_000 });
          await report(detail.id, {
            status: 'push_failed',
            error: '! [rejected] main -> main (non-fast-forward)',
          });
          await status.getByText('non-fast-forward', { exact: false }).waitFor({ timeout: 10_000 });
          await status.getByText(/Nothing is lost/).waitFor();
          await screenshot(page, `commits-${viewport}-push-failed`);
          expect(await layoutProblems(page, 'push failed')).toEqual([]);
          // Pushed again: polling stopped at the refusal, "Check again" reads it.
          await report(detail.id, { status: 'pushed', commit_sha: 'abc1234' });
          await status.getByRole('button', { name: 'Check again' }).click();
        } else {
          await report(detail.id, { status: 'pushed', commit_sha: 'abc1234' });
        }
        await status.getByText('Pushed', { exact: true }).waitFor({ timeout: 10_000 });
        await status.getByText('abc1234', { exact: true }).waitFor();
        await screenshot(page, `commits-${viewport}-pushed`);
        expect(await layoutProblems(page, 'pushed')).toEqual([]);

        // The link was used by the approval: opening it again says so, with what to do.
        await page.goto(link);
        await page.getByRole('heading', { name: 'This link has expired or was already used' }).waitFor();
        await page
          .getByText(/keel draft/)
          .first()
          .waitFor();
        await page.getByRole('link', { name: 'Open the Commits list' }).waitFor();
        await screenshot(page, `commits-${viewport}-link-used`);
        expect(await layoutProblems(page, 'used link')).toEqual([]);

        expect(errors.filter((e) => !expectedFailures.test(e))).toEqual([]);
        await context.close();
      });
    }

    it('works without a session: a network error offers a retry, the push is followed through the used link, unknown links are refused', async () => {
      const { link, detail } = await draftChange(await newRepository('keel-parser-anonymous'));
      const { page, context, errors } = await openPage(browser, { viewport: 'phone' });

      // The server cannot be reached at first: a retry, never a blank page.
      const api = (url: URL) => url.pathname.startsWith('/commits/review/');
      await page.route(api, (route) => route.abort('connectionrefused'));
      await page.goto(link);
      const retry = page.getByRole('button', { name: 'Try again' });
      await retry.waitFor({ timeout: 15_000 });
      await page.getByText('Keel could not be reached').waitFor();
      await screenshot(page, 'commits-phone-network-error');
      await page.unroute(api);
      await retry.click();
      await page.getByLabel('Commit message').waitFor();

      await page.getByRole('button', { name: 'Approve', exact: true }).click();
      const status = page.getByRole('region', { name: 'Status' });
      await status.getByText('Approved. Waiting for your machine to commit it…').waitFor();
      expect(page.url()).toBe(link);
      expect(await layoutProblems(page, 'approved without a session')).toEqual([]);
      // The link is used up, but its status still answers: the phone sees the push land.
      await report(detail.id, { status: 'pushed', commit_sha: 'def5678' });
      await status.getByText('Pushed', { exact: true }).waitFor({ timeout: 10_000 });
      await status.getByText('def5678', { exact: true }).waitFor();

      await page.goto(`${server.url}/app/commits/review/not-a-real-link.abc`);
      await page.getByRole('heading', { name: 'This link is not valid' }).waitFor();

      expect(
        errors.filter((e) => !expectedFailures.test(e) && !/ERR_CONNECTION_REFUSED|net::ERR_FAILED/.test(e)),
      ).toEqual([]);
      await context.close();
    });

    it('signed in, from the requests list: regenerate adds drafts, reject asks first and says nothing is committed', async () => {
      const { detail } = await draftChange();
      const { page, context, errors } = await openPage(browser, { viewport: 'desktop' });
      await signIn(page, server, admin);
      await page.goto(`${server.url}/app/commits/requests?repository=${repositoryId}`);
      await page.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
      const rows = page.getByRole('row').filter({ hasText: 'fix/empty-header' });
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
      await page
        .getByRole('link', { name: /^Review the request of/ })
        .first()
        .click();
      await page.waitForURL(new RegExp(`/app/commits/requests/${detail.id}$`));
      await page.getByRole('heading', { level: 2, name: 'keel-parser' }).waitFor();

      const radios = page.getByRole('radio');
      const before = await radios.count();
      await page.getByRole('button', { name: 'Regenerate', exact: true }).click();
      await page.getByText('New drafts added').waitFor();
      await expect.poll(() => radios.count()).toBeGreaterThan(before);
      // The newest draft is chosen and in the editor.
      const chosen = page.getByRole('radio', { checked: true });
      const header = (await page.getByLabel('Commit message').inputValue()).split('\n')[0] ?? '';
      expect(await chosen.getAttribute('value')).not.toBe(detail.drafts[0]?.id);
      expect(header.length).toBeGreaterThan(0);

      await page.getByRole('button', { name: 'Reject', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Reject these drafts?' });
      await dialog.getByRole('button', { name: 'Reject', exact: true }).click();
      await page.getByText('Rejected. Nothing will be committed.').waitFor();

      expect(errors.filter((e) => !expectedFailures.test(e))).toEqual([]);
      await context.close();
    });

    for (const viewport of ['phone', 'desktop'] as ViewportName[]) {
      it(`${viewport}: the Commits pages fit the screen and every control has a name`, async () => {
        const { page, context, errors } = await openPage(browser, { viewport });
        await signIn(page, server, admin);
        const problems: string[] = [];

        await page.goto(`${server.url}/app/commits/repositories`);
        await page.getByRole('heading', { level: 1, name: 'Repositories' }).waitFor();
        const name = `web-${viewport}`;
        await page.getByLabel('Repository name').fill(name);
        await page.getByRole('button', { name: 'Register', exact: true }).click();
        await page.getByRole('cell', { name, exact: true }).waitFor();
        // A taken name: the server's refusal at the field.
        await page.getByLabel('Repository name').fill('keel-parser');
        await page.getByRole('button', { name: 'Register', exact: true }).click();
        await page.getByLabel('Repository name').and(page.locator('[aria-invalid="true"]')).waitFor();
        await page.getByLabel('Repository name').fill('');
        await screenshot(page, `commits-${viewport}-repositories`);
        problems.push(...(await layoutProblems(page, 'repositories')));

        await page.getByRole('link', { name: 'Requests of keel-parser', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
        await page.getByRole('row').filter({ hasText: 'Rejected' }).first().waitFor();
        await screenshot(page, `commits-${viewport}-requests`);
        problems.push(...(await layoutProblems(page, 'requests')));

        // The product is in the switcher.
        await page.getByRole('button', { name: /Switch product/ }).click();
        await page
          .getByRole('link', { name: /Commits/ })
          .first()
          .waitFor();
        await page.keyboard.press('Escape');

        expect(problems).toEqual([]);
        expect(errors.filter((e) => !expectedFailures.test(e))).toEqual([]);
        await context.close();
      });
    }

    afterAll(() => {
      // The pictures docs/web.md shows.
      mkdirSync(join(projectRoot, 'docs', 'web'), { recursive: true });
      for (const [from, to] of [
        ['commits-phone-review', 'phone-commits-review'],
        ['commits-desktop-review', 'desktop-commits-review'],
        ['commits-phone-push-failed', 'phone-commits-push-failed'],
        ['commits-desktop-pushed', 'desktop-commits-pushed'],
        ['commits-phone-link-used', 'phone-commits-link-used'],
        ['commits-desktop-requests', 'desktop-commits-requests'],
        ['commits-desktop-repositories', 'desktop-commits-repositories'],
      ]) {
        try {
          copyFileSync(join(screenshotDir, `${from}.png`), join(projectRoot, 'docs', 'web', `${to}.png`));
        } catch {
          // a test that failed took no picture; keep the old one
        }
      }
    });
  },
);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
