import { randomUUID } from 'node:crypto';
import type { Database, SqlConnection } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import {
  conflictOn,
  decodeCursor,
  membersPage,
  type Page,
  pageOf,
  positionColumn,
  positionTime,
} from './listing.js';
import { type Caller, type OrgAccess, type OrgRole, orgAccess, requireOrgAdmin } from './org-access.js';

export type ContractStatus = 'trial' | 'active' | 'suspended' | 'ended';

export interface OrgView {
  id: string;
  name: string;
  domain: string | null;
  contractStatus: ContractStatus;
  planKey: string;
  active: boolean;
  ownerId: string | null;
  /** The caller's role in this org; null when a platform admin looks at an org they are not in. */
  myRole: OrgRole | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrgMemberView {
  userId: string;
  username: string | null;
  fullName: string | null;
  role: OrgRole;
  joinedAt: Date;
}

export interface OrgUpdate {
  name?: string;
  domain?: string | null;
  active?: boolean;
  /** Platform admins only. */
  contractStatus?: ContractStatus;
  /** Platform admins only. */
  planKey?: string;
}

/**
 * Organizations and their members (seed 000 `06_organization_and_team`). Every method takes the
 * caller and reads their membership of the org from the database: an org they are not in is a
 * 404 (platform admins excepted), and managing one takes its org_admin.
 *
 * @example
 * const org = await orgs.create(caller, { name: 'Acme', domain: 'acme.com' }); // caller: org_admin
 * await orgs.setMember(caller, org.id, otherUserId, 'member');
 */
export interface OrgsService {
  create(caller: Caller, input: { name: string; domain?: string | null }): Promise<OrgView>;
  /** The caller's orgs, newest first; a platform admin gets every org. */
  list(caller: Caller, query: { limit: number; cursor?: string }): Promise<Page<OrgView>>;
  get(caller: Caller, orgId: string): Promise<OrgView>;
  update(caller: Caller, orgId: string, input: OrgUpdate): Promise<OrgView>;
  members(
    caller: Caller,
    orgId: string,
    query: { limit: number; cursor?: string },
  ): Promise<Page<OrgMemberView>>;
  /** Adds the user or changes their role. Demoting the last org_admin is a 409. */
  setMember(caller: Caller, orgId: string, userId: string, role: OrgRole): Promise<OrgMemberView>;
  /** Removes the user from the org and from its teams. Removing the last org_admin is a 409. */
  removeMember(caller: Caller, orgId: string, userId: string): Promise<void>;
}

type OrgRow = Omit<OrgView, 'myRole'> & { myRole: OrgRole | null; cursorMicros: string };
type MemberRow = OrgMemberView & { cursorMicros: string };

const orgColumns = `o.id, o.name, o.domain, o.contract_status as "contractStatus", o.plan_key as "planKey",
  o.active, o.owner_id as "ownerId", m.role as "myRole", o.created_at as "createdAt",
  o.updated_at as "updatedAt", ${positionColumn('o')}`;

const memberColumns = `m.user_id as "userId", u.username, u.full_name as "fullName", m.role,
  m.created_at as "joinedAt", ${positionColumn('m')}`;

const domainTaken = (error: unknown) =>
  conflictOn(error, 'organizations_domain_key', 'body.domain', 'This domain');

export function createOrgsService(deps: { db: Database }): OrgsService {
  const { db } = deps;

  async function read(conn: SqlConnection, caller: Caller, orgId: string): Promise<OrgView> {
    const [row] = await conn.query<OrgRow>(
      `select ${orgColumns} from identity.organizations o
       left join identity.org_memberships m on m.org_id = o.id and m.user_id = $2
       where o.id = $1`,
      [orgId, caller.userId],
    );
    if (!row || (!row.myRole && !caller.admin)) throw new KeelError('not_found', 'No such organization.');
    return viewOf(row);
  }

  async function member(conn: SqlConnection, orgId: string, userId: string): Promise<OrgMemberView | null> {
    const [row] = await conn.query<MemberRow>(
      `select ${memberColumns} from identity.org_memberships m join identity.users u on u.id = m.user_id
       where m.org_id = $1 and m.user_id = $2`,
      [orgId, userId],
    );
    return row ? memberOf(row) : null;
  }

  /** Refuses a change that would leave the org without an org_admin (the org row is locked). */
  async function keepAnAdmin(tx: SqlConnection, access: OrgAccess, userId: string): Promise<void> {
    const [row] = await tx.query<{ others: string }>(
      `select count(*) as others from identity.org_memberships
       where org_id = $1 and role = 'org_admin' and user_id <> $2`,
      [access.orgId, userId],
    );
    if (Number(row?.others ?? 0) === 0) {
      throw new KeelError('conflict', 'An organization must keep at least one org_admin.', {
        details: { errors: [{ field: 'params.userId', message: 'is the last org_admin' }] },
      });
    }
  }

  return {
    async create(caller, input) {
      const orgId = randomUUID();
      await db
        .transaction(async (tx) => {
          await tx.query(
            `insert into identity.organizations (id, name, domain, owner_id) values ($1, $2, $3, $4)`,
            [orgId, input.name, input.domain ?? null, caller.userId],
          );
          await tx.query(
            `insert into identity.org_memberships (org_id, user_id, role) values ($1, $2, 'org_admin')`,
            [orgId, caller.userId],
          );
        })
        .catch((error: unknown) => {
          throw domainTaken(error) ?? error;
        });
      return read(db, caller, orgId);
    },

    async list(caller, query) {
      const params: unknown[] = [caller.userId];
      const where: string[] = [];
      if (!caller.admin) where.push('m.user_id is not null');
      if (query.cursor) {
        const position = decodeCursor(query.cursor);
        params.push(position.micros, position.id);
        where.push(
          `(o.created_at, o.id) < (${positionTime(`$${params.length - 1}`)}, $${params.length}::uuid)`,
        );
      }
      params.push(query.limit + 1);
      const rows = await db.query<OrgRow>(
        `select ${orgColumns} from identity.organizations o
         left join identity.org_memberships m on m.org_id = o.id and m.user_id = $1
         ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
         order by o.created_at desc, o.id desc limit $${params.length}`,
        params,
      );
      return pageOf(rows, query.limit, (row) => row.id, viewOf);
    },

    get: (caller, orgId) => read(db, caller, orgId),

    async update(caller, orgId, input) {
      const access = await orgAccess(db, caller, orgId);
      requireOrgAdmin(access);
      if (!caller.admin) {
        const field =
          input.contractStatus !== undefined
            ? 'contract_status'
            : input.planKey !== undefined
              ? 'plan_key'
              : null;
        if (field) {
          throw new KeelError('forbidden', `Only a platform admin may change ${field}.`, {
            details: { errors: [{ field: `body.${field}`, message: 'is for platform admins only' }] },
          });
        }
      }
      await db
        .query(
          `update identity.organizations set
             name = coalesce($2, name),
             domain = case when $3 then $4 else domain end,
             active = coalesce($5, active),
             contract_status = coalesce($6, contract_status),
             plan_key = coalesce($7, plan_key),
             updated_at = now()
           where id = $1`,
          [
            orgId,
            input.name ?? null,
            input.domain !== undefined,
            input.domain ?? null,
            input.active ?? null,
            input.contractStatus ?? null,
            input.planKey ?? null,
          ],
        )
        .catch((error: unknown) => {
          throw domainTaken(error) ?? error;
        });
      return read(db, caller, orgId);
    },

    async members(caller, orgId, query) {
      await orgAccess(db, caller, orgId);
      return membersPage(
        db,
        { table: 'identity.org_memberships', alias: 'm', scopeColumn: 'org_id', columns: memberColumns },
        orgId,
        query,
        memberOf,
      );
    },

    async setMember(caller, orgId, userId, role) {
      return db.transaction(async (tx) => {
        const access = await orgAccess(tx, caller, orgId, { lock: true });
        requireOrgAdmin(access);
        const [user] = await tx.query<{ id: string }>('select id from identity.users where id = $1', [
          userId,
        ]);
        if (!user) {
          throw new KeelError('validation_failed', 'No such user.', {
            details: { errors: [{ field: 'params.userId', message: 'is not a user' }] },
          });
        }
        const current = await member(tx, orgId, userId);
        if (current?.role === 'org_admin' && role !== 'org_admin') await keepAnAdmin(tx, access, userId);
        await tx.query(
          `insert into identity.org_memberships (org_id, user_id, role) values ($1, $2, $3)
           on conflict (org_id, user_id) do update set role = excluded.role`,
          [orgId, userId, role],
        );
        return (await member(tx, orgId, userId)) as OrgMemberView;
      });
    },

    async removeMember(caller, orgId, userId) {
      await db.transaction(async (tx) => {
        const access = await orgAccess(tx, caller, orgId, { lock: true });
        requireOrgAdmin(access);
        const current = await member(tx, orgId, userId);
        if (!current) throw new KeelError('not_found', 'This user is not a member of this organization.');
        if (current.role === 'org_admin') await keepAnAdmin(tx, access, userId);
        await tx.query('delete from identity.org_memberships where org_id = $1 and user_id = $2', [
          orgId,
          userId,
        ]);
        // Team memberships hang off the org membership: leaving the org leaves its teams. This runs
        // second: a team grant that held the org membership `for share` has committed by now.
        await tx.query(
          `delete from identity.team_memberships tm using identity.teams t
           where t.id = tm.team_id and t.org_id = $1 and tm.user_id = $2`,
          [orgId, userId],
        );
      });
    },
  };
}

function viewOf(row: OrgRow): OrgView {
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    contractStatus: row.contractStatus,
    planKey: row.planKey,
    active: row.active,
    ownerId: row.ownerId,
    myRole: row.myRole,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function memberOf(row: MemberRow): OrgMemberView {
  return {
    userId: row.userId,
    username: row.username,
    fullName: row.fullName,
    role: row.role,
    joinedAt: row.joinedAt,
  };
}
