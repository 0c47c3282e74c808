import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { Caller } from '../orgs/org-access.js';
import type { AuditEntry, AuditResult } from './action-log.js';

export interface AuditRow extends Omit<AuditEntry, 'ip'> {
  /** A bigint, as a string (JSON numbers lose precision past 2^53). */
  id: string;
  at: Date;
  /** Only for platform admins: undefined for everyone else. */
  ip?: string | null;
}

export interface AuditQuery {
  limit: number;
  /** The id of the last row of the previous page: this page holds older rows. */
  cursor?: string;
  userId?: string;
  orgId?: string;
  action?: string;
  result?: AuditResult;
  from?: Date;
  to?: Date;
}

/** Who reads the log: a platform admin sees every row; anyone else only their current org's. */
export interface AuditReader extends Caller {
  /** The org the caller's access token names (`principal.orgId`). */
  orgId: string | null;
}

/**
 * The action log, read (seed 000 `09_action_log`). Rows are written by the access check and the
 * audit hook (`action-log.ts`); this only reads them, newest first, by keyset on the id.
 *
 * @example
 * const page = await audit.list(reader, { limit: 50, result: 'denied' });
 * const older = await audit.list(reader, { limit: 50, result: 'denied', cursor: page.nextCursor });
 */
export interface AuditService {
  list(reader: AuditReader, query: AuditQuery): Promise<{ items: AuditRow[]; nextCursor: string | null }>;
}

export function createAuditService(deps: { db: Database }): AuditService {
  const { db } = deps;
  return {
    async list(reader, query) {
      const params: unknown[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      const where: string[] = [];
      if (!reader.admin) {
        // The token's org role may be up to ten minutes old: the database decides.
        const [row] = reader.orgId
          ? await db.query<{ role: string }>(
              'select role from identity.org_memberships where org_id = $1 and user_id = $2',
              [reader.orgId, reader.userId],
            )
          : [];
        if (row?.role !== 'org_admin')
          throw new KeelError(
            'forbidden',
            'Only an org_admin of your current organization may read its log.',
          );
        where.push(`l.org_id = ${param(reader.orgId)}`);
      }
      if (query.orgId) where.push(`l.org_id = ${param(query.orgId)}`);
      if (query.userId) where.push(`l.user_id = ${param(query.userId)}`);
      if (query.action) where.push(`l.action = ${param(query.action)}`);
      if (query.result) where.push(`l.result = ${param(query.result)}`);
      if (query.from) where.push(`l.at >= ${param(query.from)}`);
      if (query.to) where.push(`l.at < ${param(query.to)}`);
      if (query.cursor) where.push(`l.id < ${param(query.cursor)}::bigint`);
      const rows = await db.query<AuditRow & { ip: string | null }>(
        `select l.id::text as id, l.at, l.user_id as "userId", l.api_key_id as "apiKeyId", l.org_id as "orgId",
                l.action, l.method, l.resource, l.resource_id as "resourceId", l.result, l.status,
                host(l.ip) as ip, l.trace_uuid as "traceUuid"
         from identity.action_log l ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
         order by l.id desc limit ${param(query.limit + 1)}`,
        params,
      );
      const page = rows.slice(0, query.limit);
      const items = reader.admin ? page : page.map(({ ip: _ip, ...rest }) => rest);
      return {
        items,
        nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  };
}
