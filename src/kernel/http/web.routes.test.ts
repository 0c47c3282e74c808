import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webRoutes } from './web.routes.js';

describe('the web app at /app/', () => {
  const root = mkdtempSync(join(tmpdir(), 'keel-web-'));
  const app = Fastify();

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Keel</title><div id="root"></div>');
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'keel-web-secret.txt'), 'outside');
    await app.register(webRoutes({ root }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('redirects / to the app and serves index.html for deep links, never cached', async () => {
    const home = await app.inject({ method: 'GET', url: '/' });
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/app/');
    const deep = await app.inject({ method: 'GET', url: '/app/admin/users?q=kim' });
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toContain('text/html');
    expect(deep.headers['cache-control']).toBe('no-cache');
    expect(deep.body).toContain('<div id="root">');
  });

  it('serves hashed assets with a year of caching', async () => {
    const asset = await app.inject({ method: 'GET', url: '/app/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('never serves a file outside the build', async () => {
    for (const url of [
      '/app/../keel-web-secret.txt',
      '/app/%2e%2e/keel-web-secret.txt',
      '/app/..%2fkeel-web-secret.txt',
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.body, url).not.toContain('outside');
    }
  });

  it('says how to build the app when it is missing', async () => {
    const bare = Fastify();
    await bare.register(webRoutes({ root: join(root, 'nope') }));
    const response = await bare.inject({ method: 'GET', url: '/app/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build:web');
    await bare.close();
  });
});
