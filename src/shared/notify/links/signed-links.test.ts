import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../../../../test/support/app.js';
import { type OpenedTestDatabase, testDatabases } from '../../../../test/support/db.js';
import { createSignedLinks, type SignedLinks } from './signed-links.js';

describe.each(testDatabases)('signed links ($kind)', (target) => {
  let opened: OpenedTestDatabase;
  let links: SignedLinks;
  beforeAll(async () => {
    opened = await target.open();
    links = createSignedLinks(opened.db, testSecrets());
  });
  afterAll(() => opened?.drop());

  it('works once, for its purpose only', async () => {
    const { token, expiresAt } = await links.create({
      purpose: 'commits.approve',
      subject: { draftId: 'd1' },
    });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    await expect(links.consume(token, 'commits.reject')).rejects.toMatchObject({ code: 'not_found' });
    expect((await links.peek(token, 'commits.approve')).subject).toEqual({ draftId: 'd1' });
    expect((await links.consume(token, 'commits.approve')).subject).toEqual({ draftId: 'd1' });
    await expect(links.consume(token, 'commits.approve')).rejects.toMatchObject({
      code: 'gone',
      message: expect.stringMatching(/already used/),
    });
    // Used, but still readable until it expires (to show what it did).
    expect(await links.inspect(token, 'commits.approve')).toMatchObject({
      subject: { draftId: 'd1' },
      usedAt: expect.any(Date),
    });
    await expect(links.inspect(token, 'commits.reject')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('is refused once expired, and when forged or altered', async () => {
    const { token } = await links.create({ purpose: 'p', subject: {}, ttlSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(links.consume(token, 'p')).rejects.toMatchObject({
      code: 'gone',
      message: expect.stringMatching(/expired/),
    });
    await expect(links.inspect(token, 'p')).rejects.toMatchObject({ code: 'gone' });
    const [id] = token.split('.');
    await expect(links.consume(`${id}.${randomBytes(16).toString('base64url')}`, 'p')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(links.consume('garbage', 'p')).rejects.toMatchObject({ code: 'not_found' });
    await expect(links.create({ purpose: 'p', subject: {}, ttlSeconds: 90_000 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('lets two simultaneous clicks succeed once', async () => {
    const { token } = await links.create({ purpose: 'p', subject: { n: 1 } });
    const results = await Promise.allSettled([links.consume(token, 'p'), links.consume(token, 'p')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});
