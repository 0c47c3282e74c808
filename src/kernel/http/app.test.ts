import { Writable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildTestApp } from '../../../test/support/app.js';
import { type OpenedTestDatabase, openPgliteTestDatabase } from '../../../test/support/db.js';
import { allModules } from '../../modules.js';
import { KeelError } from '../errors/index.js';
import { createLog } from '../log/index.js';
import type { KeelModule } from '../module/index.js';
import { currentTrace } from '../trace/index.js';
import { type KeelApp, PUBLIC } from './index.js';

const echoRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/echo',
    {
      config: { action: PUBLIC },
      schema: {
        body: z.object({ name: z.string().min(1), count: z.number().int().max(10) }),
        response: { 200: z.object({ name: z.string(), count: z.number(), trace: z.string().nullable() }) },
      },
    },
    async (request) => ({ ...request.body, trace: currentTrace()?.traceUuid ?? null }),
  );
  app.get('/gone', { config: { action: PUBLIC } }, async () => {
    throw new KeelError('not_found', 'That thing is gone.');
  });
  app.get('/boom', { config: { action: PUBLIC } }, async () => {
    throw new Error('secret internal detail');
  });
};

const echoModule: KeelModule = {
  name: 'echo',
  layer: 'module',
  dependsOn: ['kernel'],
  routes: { prefix: '/api/echo', plugin: () => echoRoutes },
};

describe('http app', () => {
  let t: OpenedTestDatabase;
  let app: KeelApp;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await openPgliteTestDatabase();
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(...String(chunk).trim().split('\n'));
        cb();
      },
    });
    app = await buildTestApp({
      db: t.db,
      modules: [...allModules, echoModule],
      env: { BODY_LIMIT: '1024' },
      log: createLog({ svc: 'test', level: 'info', destination: sink }),
    });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('answers /health and /ready', async () => {
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', version: 'test' });
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'current', shutting_down: false },
      pending_migrations: [],
    });
  });

  it('gives every response a trace uuid, taken from traceparent or x-trace-uuid when valid', async () => {
    const fresh = await app.inject({ method: 'GET', url: '/health' });
    expect(fresh.headers['x-trace-uuid']).toMatch(/^[0-9a-f-]{36}$/);
    const fromParent = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    expect(fromParent.headers['x-trace-uuid']).toBe('4bf92f35-77b3-4da6-a3ce-929d0e0e4736');
    const given = '0b6f1f2e-8d5c-4c1a-9b7e-2f3a4b5c6d7e';
    const fromHeader = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-trace-uuid': given },
    });
    expect(fromHeader.headers['x-trace-uuid']).toBe(given);
    const malformed = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-trace-uuid': 'x; drop' },
    });
    expect(malformed.headers['x-trace-uuid']).not.toBe('x; drop');
  });

  it('runs handlers inside the request trace, also after the body is parsed', async () => {
    const given = '7d4e0f1c-2b3a-4c5d-8e9f-0a1b2c3d4e5f';
    const res = await app.inject({
      method: 'POST',
      url: '/api/echo/echo',
      headers: { 'x-trace-uuid': given },
      payload: { name: 'a', count: 1 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'a', count: 1, trace: given });
    const line = lines.map((l) => JSON.parse(l)).find((l) => l.trace === given && l.msg === 'request');
    expect(line).toMatchObject({
      svc: 'test',
      lvl: 'info',
      route: '/api/echo/echo',
      status: 200,
      id: null,
      repo: null,
    });
    expect(typeof line.ts).toBe('string');
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 404,
      code: 'not_found',
      instance: '/nope',
      type: 'urn:keel:problem:not_found',
    });
    expect(res.json().trace_uuid).toBe(res.headers['x-trace-uuid']);
  });

  it('answers a wrong method with 405 and an Allow header', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/health' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toMatch(/GET/);
    expect(res.json()).toMatchObject({ code: 'method_not_allowed', status: 405 });
    const withBadBody = await app.inject({
      method: 'POST',
      url: '/health',
      headers: { 'content-type': 'application/json' },
      payload: '{bad',
    });
    expect(withBadBody.statusCode).toBe(405);
  });

  it('answers malformed JSON with 400 naming the body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/echo/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "a",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid_json', errors: [{ field: 'body' }] });
  });

  it('answers a body over the limit with 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/echo/echo',
      payload: { name: 'x'.repeat(5000), count: 1 },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'payload_too_large', status: 413 });
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/echo/echo',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'hello',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('answers invalid fields with 400 naming each field and the reason', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/echo/echo',
      payload: { name: '', count: 11.5 },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.count', 'body.name']);
    expect(body.detail).toMatch(/body\.name/);
  });

  it('maps a KeelError to its status, and hides internal errors behind a 500 with the trace', async () => {
    const gone = await app.inject({ method: 'GET', url: '/api/echo/gone' });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: 'not_found', detail: 'That thing is gone.' });
    const boom = await app.inject({ method: 'GET', url: '/api/echo/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.json().code).toBe('internal');
    expect(boom.body).not.toContain('secret internal detail');
    const logged = lines
      .map((l) => JSON.parse(l))
      .find((l) => l.trace === boom.headers['x-trace-uuid'] && l.lvl === 'error');
    expect(logged?.err?.message).toBe('secret internal detail');
  });

  it('publishes OpenAPI 3.1 at /openapi.json and a browsable UI at /docs', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/ready', '/api/echo/echo']));
    expect(doc.paths['/api/echo/echo'].post.requestBody.content['application/json'].schema.required).toEqual([
      'name',
      'count',
    ]);
    const ui = await app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });

  it('exposes Prometheus metrics with request durations by route and status, and pool gauges', async () => {
    await app.inject({ method: 'GET', url: '/ready' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(
      /keel_http_request_duration_seconds_count\{method="GET",route="\/ready",status_code="200"\} \d+/,
    );
    expect(res.body).toMatch(/keel_db_pool_connections\{state="total"\} 1/);
    expect(res.body).toMatch(/keel_process_resident_memory_bytes \d+/);
  });
});

describe('readiness before migrations', () => {
  it('is 503 with the pending migrations listed', async () => {
    const t = await openPgliteTestDatabase({ migrate: false });
    const app = await buildTestApp({ db: t.db });
    try {
      const res = await app.inject({ method: 'GET', url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'not_ready', checks: { migrations: 'pending' } });
      expect(res.json().pending_migrations).toContain('kernel/0000_init');
    } finally {
      await app.close();
      await t.drop();
    }
  });

  it('is 503 while shutting down', async () => {
    const t = await openPgliteTestDatabase();
    const app = await buildTestApp({ db: t.db, isShuttingDown: () => true });
    try {
      const res = await app.inject({ method: 'GET', url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json().checks.shutting_down).toBe(true);
      const other = await app.inject({ method: 'GET', url: '/openapi.json' });
      expect(other.statusCode).toBe(503);
      expect(other.json()).toMatchObject({ code: 'shutting_down', status: 503 });
    } finally {
      await app.close();
      await t.drop();
    }
  });
});

describe('graceful close', () => {
  it('lets an in-flight request finish while new connections are refused', async () => {
    const t = await openPgliteTestDatabase();
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const slowModule: KeelModule = {
      name: 'slow',
      layer: 'module',
      dependsOn: ['kernel'],
      routes: {
        prefix: '/api/slow',
        plugin: () => async (app) => {
          app.get('/', { config: { action: PUBLIC } }, async () => {
            entered();
            await new Promise((r) => setTimeout(r, 500));
            return { done: true };
          });
        },
      },
    };
    const app = await buildTestApp({ db: t.db, modules: [...allModules, slowModule] });
    try {
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const slow = fetch(`${address}/api/slow/`);
      await inHandler;
      const closing = app.close();
      const res = await slow;
      expect(res.status).toBe(200);
      expect(res.headers.get('connection')).toBe('close');
      expect(await res.json()).toEqual({ done: true });
      await closing;
      await expect(fetch(`${address}/health`)).rejects.toThrow();
    } finally {
      await app.close();
      await t.drop();
    }
  });
});

describe('access (deny by default)', () => {
  const guarded: KeelModule = {
    name: 'guarded',
    layer: 'module',
    dependsOn: ['kernel'],
    actions: [{ code: 'admin.settings.read', description: 'Read settings', roles: [] }],
    routes: {
      prefix: '/api/guarded',
      plugin: () => async (app) => {
        app.get('/settings', { config: { action: 'admin.settings.read' } }, async () => ({ ok: true }));
        app.get('/forgotten', async () => ({ leaked: true }));
      },
    },
  };

  it('declares an action on every route the platform registers', async () => {
    const t = await openPgliteTestDatabase();
    const app = await buildTestApp({ db: t.db });
    try {
      await app.ready();
      const routes = app.routeAccess();
      expect(routes.length).toBeGreaterThan(4);
      expect(routes.filter((r) => r.action === null).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    } finally {
      await app.close();
      await t.drop();
    }
  });

  it('closes a route that declares no action, asks for sign-in on an action, and lets the authorizer decide', async () => {
    const t = await openPgliteTestDatabase();
    const closed = await buildTestApp({ db: t.db, modules: [...allModules, guarded] });
    const granted: string[] = [];
    const open = await buildTestApp({
      db: t.db,
      modules: [...allModules, guarded],
      authorize: async (_request, action) => {
        granted.push(action);
      },
    });
    try {
      const forgotten = await closed.inject({ method: 'GET', url: '/api/guarded/forgotten' });
      expect(forgotten.statusCode).toBe(403);
      expect(forgotten.json()).toMatchObject({ code: 'forbidden' });
      expect(forgotten.body).not.toContain('leaked');
      const settings = await closed.inject({ method: 'GET', url: '/api/guarded/settings' });
      expect(settings.statusCode).toBe(401);
      expect(settings.json()).toMatchObject({ code: 'unauthorized' });
      expect(closed.routeAccess()).toContainEqual({
        method: 'GET',
        url: '/api/guarded/forgotten',
        action: null,
      });

      const allowed = await open.inject({ method: 'GET', url: '/api/guarded/settings' });
      expect(allowed.statusCode).toBe(200);
      expect(granted).toEqual(['admin.settings.read']);
    } finally {
      await closed.close();
      await open.close();
      await t.drop();
    }
  });
});
