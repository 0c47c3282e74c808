import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SqlConnection } from '../../../kernel/db/index.js';
import { isUuid } from '../../../kernel/ids.js';
import type { Log } from '../../../kernel/log/index.js';
import { orgOfRoute } from '../access/principal.js';

export type AuditResult = 'succeeded' | 'failed' | 'denied';

/** One row of seed 000's `09_action_log`. */
export interface AuditEntry {
  userId: string | null;
  apiKeyId: string | null;
  orgId: string | null;
  action: string;
  method: string;
  resource: string;
  resourceId: string | null;
  result: AuditResult;
  status: number;
  ip: string | null;
  traceUuid: string | null;
}

export async function recordAction(conn: SqlConnection, entry: AuditEntry): Promise<void> {
  await conn.query(
    `insert into identity.action_log
       (user_id, api_key_id, org_id, action, method, resource, resource_id, result, status, ip, trace_uuid)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      entry.userId,
      entry.apiKeyId,
      entry.orgId,
      entry.action.slice(0, 100),
      entry.method.slice(0, 8),
      entry.resource.slice(0, 300),
      entry.resourceId,
      entry.result,
      entry.status,
      entry.ip,
      entry.traceUuid,
    ],
  );
}

/** The audit entry of a request, from its route, principal and outcome. */
export function entryOf(request: FastifyRequest, result: AuditResult, status: number): AuditEntry {
  const principal = request.principal;
  const params = request.params as Record<string, unknown> | undefined;
  const id = params?.id;
  const traceUuid = String(request.id);
  return {
    userId: principal?.userId ?? null,
    apiKeyId: principal?.apiKeyId ?? null,
    orgId: orgOfRoute(request) ?? principal?.orgId ?? null,
    action: request.routeOptions.config.action ?? '(none)',
    method: request.method,
    resource: request.routeOptions.url ?? request.url.split('?')[0] ?? '',
    resourceId: typeof id === 'string' ? id.slice(0, 100) : null,
    result,
    status,
    ip: request.ip || null,
    traceUuid: isUuid(traceUuid) ? traceUuid : null,
  };
}

const readOnly = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Records every authenticated mutation once its response is known. Denied attempts are recorded
 * by the access check itself. A failed audit write is logged, never turned into an error for a
 * request that already succeeded.
 */
export function addAuditHook(app: FastifyInstance, db: SqlConnection, log: Log): void {
  // A callback hook, not an async one: most responses (reads, public routes) need no promise.
  app.addHook('onResponse', (request, reply, done) => {
    if (!request.principal || readOnly.has(request.method)) return done();
    if (reply.statusCode === 401 || reply.statusCode === 403) return done(); // recorded as denied
    const result: AuditResult = reply.statusCode < 400 ? 'succeeded' : 'failed';
    recordAction(db, entryOf(request, result, reply.statusCode))
      .catch((error: unknown) =>
        log.error({ err: error, action: request.routeOptions.config.action }, 'audit write failed'),
      )
      .finally(() => done());
  });
}
