import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPostgres, readMigrations } from '../src/kernel/db/index.js';
import type { KeelApp } from '../src/kernel/http/index.js';
import type { KeelModule } from '../src/kernel/module/index.js';
import { allModules, migrationSources } from '../src/modules.js';
import { buildTestApp } from './support/app.js';
import { createServerDatabase, hasServer } from './support/db.js';

const migrations = readMigrations(migrationSources(allModules));

/** A module whose one route needs the database. */
const probeModule: KeelModule = {
  name: 'probe',
  layer: 'module',
  dependsOn: ['kernel'],
  routes: {
    prefix: '/api/probe',
    plugin: (ctx) => async (app) => {
      app.get('/now', { config: { action: 'public' } }, async () => {
        const [row] = await ctx.db.query<{ now: Date }>('select now() as now');
        return { now: row?.now };
      });
    },
  },
};

/**
 * A loopback TCP relay in front of the real PostgreSQL server: cutting it is how these tests take
 * "the database" away and bring it back without touching the shared server.
 */
async function startRelay(targetPort: number, port = 0) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnectionTo(targetPort);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    async cut() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function createConnectionTo(port: number): Socket {
  return createConnection({ host: '127.0.0.1', port });
}

describe.skipIf(!hasServer)('database down (server mode)', () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;

  beforeAll(async () => {
    database = await createServerDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('answers 503 while the database is gone and recovers without a restart', async () => {
    const target = new URL(database.url);
    let relay = await startRelay(Number(target.port || 5432));
    const viaRelay = new URL(database.url);
    viaRelay.port = String(relay.port);
    const db = await openPostgres(viaRelay.toString(), 4);
    let app: KeelApp | undefined;
    try {
      await migrate(db, migrations);
      app = await buildTestApp({ db, modules: [...allModules, probeModule] });
      expect((await app.inject({ method: 'GET', url: '/api/probe/now' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);

      await relay.cut();
      const ready = await app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks.database).toBe('unavailable');
      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      // A route that needs the database answers 503 problem+json, not 500; liveness stays up.
      const probe = await app.inject({ method: 'GET', url: '/api/probe/now' });
      expect(probe.statusCode).toBe(503);
      expect(probe.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(probe.json()).toMatchObject({ code: 'db_unavailable', status: 503 });
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);

      relay = await startRelay(Number(target.port || 5432), relay.port);
      let recovered = 0;
      for (let i = 0; i < 50 && recovered !== 200; i++) {
        recovered = (await app.inject({ method: 'GET', url: '/ready' })).statusCode;
        if (recovered !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(recovered).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/api/probe/now' })).statusCode).toBe(200);
    } finally {
      await app?.close();
      await db.close().catch(() => undefined);
      await relay.cut().catch(() => undefined);
    }
  });

  it('lets N processes migrate at once: exactly one applies each migration', async () => {
    const fresh = await createServerDatabase();
    const pools = await Promise.all([1, 2, 3].map(() => openPostgres(fresh.url, 2)));
    try {
      const results = await Promise.all(pools.map((db) => migrate(db, migrations)));
      const appliedCounts = results.map((r) => r.applied.length).sort();
      expect(appliedCounts).toEqual([0, 0, migrations.length]);
      const [db] = pools;
      const rows = await db?.query<{ n: string }>('select count(*) as n from keel_meta.schema_migrations');
      expect(Number(rows?.[0]?.n)).toBe(migrations.length);
    } finally {
      for (const db of pools) await db.close();
      await fresh.drop();
    }
  });
});
