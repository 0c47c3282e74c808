import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

describe('startScriptedServer', () => {
  let server: ScriptedServer;
  let handled = 0;
  beforeAll(async () => {
    server = await startScriptedServer({
      handle(request, reply) {
        handled++;
        reply.json(200, { path: request.path, body: request.body.toString('utf8') });
      },
      errorBody: (status) => ({ body: { vendorError: status }, headers: { 'x-vendor': 'yes' } }),
    });
  });
  afterAll(() => server.close());

  it('answers scripted statuses in order, then normally', async () => {
    server.script({ status: 503, retryAfter: 2 }, { status: 400, body: 'plain' });
    const first = await fetch(`${server.origin}/a`, { method: 'POST', body: 'x' });
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(first.headers.get('x-vendor')).toBe('yes');
    expect(await first.json()).toEqual({ vendorError: 503 });
    const second = await fetch(`${server.origin}/a`);
    expect([second.status, await second.text()]).toEqual([400, 'plain']);
    const third = await fetch(`${server.origin}/b`, { method: 'POST', body: 'y' });
    expect(await third.json()).toEqual({ path: '/b', body: 'y' });
  });

  it('holds a request until released', async () => {
    server.script({ hang: true });
    const pending = fetch(`${server.origin}/held`);
    await expect.poll(() => server.held).toBe(1);
    server.release();
    expect((await pending).status).toBe(200);
  });

  it('drops a held request whose client left, without handling it', async () => {
    const before = handled;
    server.script({ hang: true });
    await expect(fetch(`${server.origin}/gone`, { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    await expect.poll(() => server.held).toBe(0);
    server.release();
    expect(handled).toBe(before);
  });

  it('can cut the connection', async () => {
    server.script({ destroy: true });
    await expect(fetch(`${server.origin}/cut`)).rejects.toThrow(/fetch failed/);
  });
});
