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
} from '../orgs/listing.js';
import { type Caller, type OrgAccess, orgAccess, requireOrgAdmin } from '../orgs/org-access.js';

export type TeamRole = 'viewer' | 'member' | 'maintainer';
export type TeamVisibility = 'org' | 'private';

export interface TeamView {
  id: string;
  orgId: string;
  name: string;
  description: string | null;
  visibility: TeamVisibility;
  /** The caller's role in this team, or null. */
  myRole: TeamRole | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TeamMemberView {
  userId: string;
  username: string | null;
  fullName: string | null;
  role: TeamRole;
  joinedAt: Date;
}

export interface TeamInput {
  name?: string;
  description?: string | null;
  visibility?: TeamVisibility;
}

/**
 * Teams inside an org (seed 000 `02_teams`, `03_team_memberships`). Reads take membership of the
 * org; a private team is seen only by its members, the org's org_admins and platform admins, and
 * is a 404 to everyone else. Writes take the org's org_admin (or a platform admin).
 *
 * @example
 * const team = await teams.create(caller, orgId, { name: 'Platform', visibility: 'private' });
 * await teams.setMember(caller, orgId, team.id, userId, 'maintainer'); // userId: an org member
 */
export interface TeamsService {
  create(caller: Caller, orgId: string, input: TeamInput & { name: string }): Promise<TeamView>;
  /** The teams the caller may see, oldest first. */
  list(caller: Caller, orgId: string, query: { limit: number; cursor?: string }): Promise<Page<TeamView>>;
  get(caller: Caller, orgId: string, teamId: string): Promise<TeamView>;
  update(caller: Caller, orgId: string, teamId: string, input: TeamInput): Promise<TeamView>;
  remove(caller: Caller, orgId: string, teamId: string): Promise<void>;
  members(
    caller: Caller,
    orgId: string,
    teamId: string,
    query: { limit: number; cursor?: string },
  ): Promise<Page<TeamMemberView>>;
  /** Adds an org member to the team or changes their team role; anyone else is a 400. */
  setMember(
    caller: Caller,
    orgId: string,
    teamId: string,
    userId: string,
    role: TeamRole,
  ): Promise<TeamMemberView>;
  removeMember(caller: Caller, orgId: string, teamId: string, userId: string): Promise<void>;
}

type TeamRow = TeamView & { cursorMicros: string };
type MemberRow = TeamMemberView & { cursorMicros: string };

const teamColumns = `t.id, t.org_id as "orgId", t.name, t.description, t.visibility, tm.role as "myRole",
  t.created_at as "createdAt", t.updated_at as "updatedAt", ${positionColumn('t')}`;

const memberColumns = `tm.user_id as "userId", u.username, u.full_name as "fullName", tm.role,
  tm.created_at as "joinedAt", ${positionColumn('tm')}`;

const nameTaken = (error: unknown) =>
  conflictOn(error, 'teams_org_name_key', 'body.name', 'This team name (in this organization)');

/** Org admins and platform admins see every team of the org. */
const seesAll = (access: OrgAccess) => access.admin || access.role === 'org_admin';

export function createTeamsService(deps: { db: Database }): TeamsService {
  const { db } = deps;

  /** The team as the caller may see it; hidden or foreign teams are a 404. */
  async function visibleTeam(
    conn: SqlConnection,
    caller: Caller,
    access: OrgAccess,
    teamId: string,
  ): Promise<TeamView> {
    const [row] = await conn.query<TeamRow>(
      `select ${teamColumns} from identity.teams t
       left join identity.team_memberships tm on tm.team_id = t.id and tm.user_id = $3
       where t.org_id = $1 and t.id = $2`,
      [access.orgId, teamId, caller.userId],
    );
    if (!row || (row.visibility === 'private' && !row.myRole && !seesAll(access)))
      throw new KeelError('not_found', 'No such team.');
    return viewOf(row);
  }

  async function managed(conn: SqlConnection, caller: Caller, orgId: string): Promise<OrgAccess> {
    const access = await orgAccess(conn, caller, orgId);
    requireOrgAdmin(access);
    return access;
  }

  async function member(conn: SqlConnection, teamId: string, userId: string): Promise<TeamMemberView | null> {
    const [row] = await conn.query<MemberRow>(
      `select ${memberColumns} from identity.team_memberships tm join identity.users u on u.id = tm.user_id
       where tm.team_id = $1 and tm.user_id = $2`,
      [teamId, userId],
    );
    return row ? memberOf(row) : null;
  }

  return {
    async create(caller, orgId, input) {
      const access = await managed(db, caller, orgId);
      const id = randomUUID();
      await db
        .query(
          `insert into identity.teams (id, org_id, name, description, visibility) values ($1, $2, $3, $4, $5)`,
          [id, orgId, input.name, input.description ?? null, input.visibility ?? 'org'],
        )
        .catch((error: unknown) => {
          throw nameTaken(error) ?? error;
        });
      return visibleTeam(db, caller, access, id);
    },

    async list(caller, orgId, query) {
      const access = await orgAccess(db, caller, orgId);
      const params: unknown[] = [orgId, caller.userId];
      const where = ['t.org_id = $1'];
      if (!seesAll(access)) where.push(`(t.visibility = 'org' or tm.user_id is not null)`);
      if (query.cursor) {
        const position = decodeCursor(query.cursor);
        params.push(position.micros, position.id);
        where.push(`(t.created_at, t.id) > (${positionTime('$3')}, $4::uuid)`);
      }
      params.push(query.limit + 1);
      const rows = await db.query<TeamRow>(
        `select ${teamColumns} from identity.teams t
         left join identity.team_memberships tm on tm.team_id = t.id and tm.user_id = $2
         where ${where.join(' and ')} order by t.created_at, t.id limit $${params.length}`,
        params,
      );
      return pageOf(rows, query.limit, (row) => row.id, viewOf);
    },

    async get(caller, orgId, teamId) {
      return visibleTeam(db, caller, await orgAccess(db, caller, orgId), teamId);
    },

    async update(caller, orgId, teamId, input) {
      const access = await managed(db, caller, orgId);
      await visibleTeam(db, caller, access, teamId);
      await db
        .query(
          `update identity.teams set
             name = coalesce($3, name),
             description = case when $4 then $5 else description end,
             visibility = coalesce($6, visibility),
             updated_at = now()
           where org_id = $1 and id = $2`,
          [
            orgId,
            teamId,
            input.name ?? null,
            input.description !== undefined,
            input.description ?? null,
            input.visibility ?? null,
          ],
        )
        .catch((error: unknown) => {
          throw nameTaken(error) ?? error;
        });
      return visibleTeam(db, caller, access, teamId);
    },

    async remove(caller, orgId, teamId) {
      await managed(db, caller, orgId);
      const rows = await db.query('delete from identity.teams where org_id = $1 and id = $2 returning id', [
        orgId,
        teamId,
      ]);
      if (rows.length === 0) throw new KeelError('not_found', 'No such team.');
    },

    async members(caller, orgId, teamId, query) {
      const access = await orgAccess(db, caller, orgId);
      await visibleTeam(db, caller, access, teamId);
      return membersPage(
        db,
        { table: 'identity.team_memberships', alias: 'tm', scopeColumn: 'team_id', columns: memberColumns },
        teamId,
        query,
        memberOf,
      );
    },

    async setMember(caller, orgId, teamId, userId, role) {
      return db.transaction(async (tx) => {
        const access = await managed(tx, caller, orgId);
        await visibleTeam(tx, caller, access, teamId);
        // `for share` holds the org membership until commit: a concurrent removal from the org
        // (which also clears its team memberships) waits, so no team member outlives the org one.
        const [inOrg] = await tx.query(
          'select 1 from identity.org_memberships where org_id = $1 and user_id = $2 for share',
          [orgId, userId],
        );
        if (!inOrg) {
          throw new KeelError('validation_failed', 'Only members of the organization can join its teams.', {
            details: {
              errors: [{ field: 'params.userId', message: 'is not a member of this organization' }],
            },
          });
        }
        await tx.query(
          `insert into identity.team_memberships (team_id, user_id, role) values ($1, $2, $3)
           on conflict (team_id, user_id) do update set role = excluded.role`,
          [teamId, userId, role],
        );
        return (await member(tx, teamId, userId)) as TeamMemberView;
      });
    },

    async removeMember(caller, orgId, teamId, userId) {
      const access = await managed(db, caller, orgId);
      await visibleTeam(db, caller, access, teamId);
      const rows = await db.query(
        'delete from identity.team_memberships where team_id = $1 and user_id = $2 returning user_id',
        [teamId, userId],
      );
      if (rows.length === 0) throw new KeelError('not_found', 'This user is not a member of this team.');
    },
  };
}

function viewOf(row: TeamRow): TeamView {
  return {
    id: row.id,
    orgId: row.orgId,
    name: row.name,
    description: row.description,
    visibility: row.visibility,
    myRole: row.myRole,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function memberOf(row: MemberRow): TeamMemberView {
  return {
    userId: row.userId,
    username: row.username,
    fullName: row.fullName,
    role: row.role,
    joinedAt: row.joinedAt,
  };
}
