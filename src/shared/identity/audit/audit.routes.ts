import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../access/principal.js';
import type { IdentityServices } from '../identity.context.js';
import { callerOf } from '../orgs/org-access.js';
import type { AuditRow } from './audit.service.js';

const auditSchema = z.object({
  id: z.string().describe('A bigint, as a string'),
  at: z.iso.datetime(),
  user_id: z.uuid().nullable(),
  api_key_id: z.uuid().nullable(),
  org_id: z.uuid().nullable(),
  action: z.string(),
  method: z.string(),
  resource: z.string().describe('The route pattern, e.g. /orgs/:id'),
  resource_id: z.string().nullable(),
  result: z.enum(['succeeded', 'failed', 'denied']),
  status: z.number().int(),
  ip: z.string().nullable().optional().describe('Platform admins only: absent for org admins'),
  trace_uuid: z.uuid().nullable(),
});

function auditDto(row: AuditRow): z.infer<typeof auditSchema> {
  return {
    id: row.id,
    at: row.at.toISOString(),
    user_id: row.userId,
    api_key_id: row.apiKeyId,
    org_id: row.orgId,
    action: row.action,
    method: row.method,
    resource: row.resource,
    resource_id: row.resourceId,
    result: row.result,
    status: row.status,
    ...(row.ip === undefined ? {} : { ip: row.ip }),
    trace_uuid: row.traceUuid,
  };
}

/**
 * `/audit`: the action log, newest first. Platform admins see every row and its IP; an org admin
 * sees the rows written while the actor's current org was theirs, without IPs.
 */
export function auditRoutes(services: IdentityServices): FastifyPluginAsyncZod {
  const { audit } = services;
  return async function auditPlugin(app) {
    app.get(
      '/',
      {
        config: { action: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary: 'The action log, newest first, with filters; keyset paging by id',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(200).default(50),
            cursor: z
              .string()
              .regex(/^\d{1,18}$/, 'must be the next_cursor of the previous page')
              .optional(),
            user_id: z.uuid().optional(),
            org_id: z.uuid().optional().describe('Platform admins: one org; org admins: always their own'),
            action: z
              .string()
              .regex(/^([a-z][a-z0-9_.]{0,99}|\(none\))$/, 'must be an action code such as orgs.manage')
              .optional(),
            result: z.enum(['succeeded', 'failed', 'denied']).optional(),
            from: z.iso.datetime({ offset: true }).optional().describe('Inclusive'),
            to: z.iso.datetime({ offset: true }).optional().describe('Exclusive'),
          }),
          response: { 200: z.object({ items: z.array(auditSchema), next_cursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const q = request.query;
        const page = await audit.list(
          { ...callerOf(principal), orgId: principal.orgId },
          {
            limit: q.limit,
            cursor: q.cursor,
            userId: q.user_id,
            orgId: q.org_id,
            action: q.action,
            result: q.result,
            from: q.from ? new Date(q.from) : undefined,
            to: q.to ? new Date(q.to) : undefined,
          },
        );
        return { items: page.items.map(auditDto), next_cursor: page.nextCursor };
      },
    );
  };
}
