import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pendingMigrations } from '../db/index.js';
import { isDatabaseUnavailable } from '../errors/index.js';
import type { Metrics } from '../metrics/index.js';
import { PUBLIC } from './access.js';
import type { AppDeps } from './app.js';

const readySchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({
    database: z.enum(['ok', 'unavailable']),
    migrations: z.enum(['current', 'pending', 'unknown']),
    shutting_down: z.boolean(),
  }),
  pending_migrations: z.array(z.string()),
});

/** Liveness, readiness, metrics and the OpenAPI document: the routes every process serves. */
export const systemRoutes: FastifyPluginAsyncZod<{ deps: AppDeps; metrics: Metrics }> = async (
  app,
  { deps, metrics },
) => {
  // Migrations never un-apply, so once current there is no need to ask again.
  let migrationsCurrent = false;

  app.get(
    '/health',
    {
      config: { action: PUBLIC },
      schema: {
        tags: ['system'],
        summary: 'Liveness: the process is up and serving',
        response: { 200: z.object({ status: z.literal('ok'), version: z.string(), uptime_s: z.number() }) },
      },
    },
    async () => ({ status: 'ok' as const, version: deps.version, uptime_s: Math.round(process.uptime()) }),
  );

  app.get(
    '/ready',
    {
      config: { action: PUBLIC },
      schema: {
        tags: ['system'],
        summary: 'Readiness: the database answers and every migration of this build is applied',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const shuttingDown = deps.isShuttingDown?.() ?? false;
      let database: 'ok' | 'unavailable' = 'ok';
      let migrations: 'current' | 'pending' | 'unknown' = migrationsCurrent ? 'current' : 'unknown';
      let pending: string[] = [];
      try {
        if (migrationsCurrent) {
          await deps.db.query('select 1');
        } else {
          pending = (await pendingMigrations(deps.db, [...deps.migrations])).map(
            (m) => `${m.module}/${m.tag}`,
          );
          migrations = pending.length === 0 ? 'current' : 'pending';
          migrationsCurrent = pending.length === 0;
        }
      } catch (error) {
        if (!isDatabaseUnavailable(error)) deps.log.warn({ err: error }, 'readiness check failed');
        database = 'unavailable';
      }
      const ready = database === 'ok' && migrations === 'current' && !shuttingDown;
      const body = {
        status: ready ? ('ready' as const) : ('not_ready' as const),
        checks: { database, migrations, shutting_down: shuttingDown },
        pending_migrations: pending,
      };
      return reply.code(ready ? 200 : 503).send(body);
    },
  );

  app.get(
    '/metrics',
    // Public like the other probes; restrict it at the network edge if your metrics are sensitive.
    { config: { action: PUBLIC }, schema: { tags: ['system'], summary: 'Prometheus metrics' } },
    // A gauge that reads the database fails while it is down; the error handler turns that into
    // a 503 problem like any other route's.
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );

  app.get('/openapi.json', { config: { action: PUBLIC }, schema: { hide: true } }, async () => app.swagger());
};
