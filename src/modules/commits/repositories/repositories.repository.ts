import type { SqlConnection } from '../../../kernel/db/index.js';
import type { Level } from './access.js';

/** The only file that reads and writes `commits.repositories` and `commits.repository_access`. */

export interface RepositoryRow {
  id: string;
  orgId: string | null;
  ownerUserId: string;
  name: string;
  remoteUrl: string | null;
  defaultBranch: string | null;
  convention: Record<string, unknown>;
  language: 'ko' | 'en' | null;
  rules: unknown[];
  ignorePatterns: string[];
  createdAt: Date;
  updatedAt: Date;
}

const columns = `r.id, r.org_id as "orgId", r.owner_user_id as "ownerUserId", r.name, r.remote_url as "remoteUrl",
  r.default_branch as "defaultBranch", r.convention, r.language, r.rules, r.ignore_patterns as "ignorePatterns",
  r.created_at as "createdAt", r.updated_at as "updatedAt"`;

export type NewRepository = Omit<RepositoryRow, 'createdAt' | 'updatedAt'>;

/** Inserts; null when the name is taken in the same org (or among the owner's personal ones). */
export async function insertRepository(
  conn: SqlConnection,
  row: NewRepository,
): Promise<RepositoryRow | null> {
  const [inserted] = await conn.query<RepositoryRow>(
    `insert into commits.repositories as r (id, org_id, owner_user_id, name, remote_url, default_branch, convention,
       language, rules, ignore_patterns)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10::text[])
     on conflict do nothing
     returning ${columns}`,
    [
      row.id,
      row.orgId,
      row.ownerUserId,
      row.name,
      row.remoteUrl,
      row.defaultBranch,
      JSON.stringify(row.convention),
      row.language,
      JSON.stringify(row.rules),
      row.ignorePatterns,
    ],
  );
  return inserted ?? null;
}

export async function findRepository(conn: SqlConnection, id: string): Promise<RepositoryRow | null> {
  const [row] = await conn.query<RepositoryRow>(
    `select ${columns} from commits.repositories r where r.id = $1`,
    [id],
  );
  return row ?? null;
}

/** The levels the user's teams hold on the repository. */
export async function teamLevels(
  conn: SqlConnection,
  repositoryId: string,
  teamIds: readonly string[],
): Promise<Level[]> {
  if (teamIds.length === 0) return [];
  const rows = await conn.query<{ level: Level }>(
    'select level from commits.repository_access where repository_id = $1 and team_id = any($2::uuid[])',
    [repositoryId, teamIds],
  );
  return rows.map((r) => r.level);
}

/** Repositories the caller can see: personal ones they own, and in their org the ones they own or reach by team. */
export async function listVisible(
  conn: SqlConnection,
  who: { userId: string; orgId: string | null; orgAdmin: boolean; teamIds: readonly string[] },
): Promise<RepositoryRow[]> {
  return conn.query<RepositoryRow>(
    `select ${columns} from commits.repositories r
      where (r.org_id is null and r.owner_user_id = $1)
         or (r.org_id = $2 and ($3 or r.owner_user_id = $1 or exists (
               select 1 from commits.repository_access a
                where a.repository_id = r.id and a.team_id = any($4::uuid[]))))
      order by r.name, r.id`,
    [who.userId, who.orgId, who.orgAdmin, who.teamIds],
  );
}

export async function updateRepository(
  conn: SqlConnection,
  id: string,
  changes: Partial<
    Pick<
      RepositoryRow,
      'name' | 'remoteUrl' | 'defaultBranch' | 'convention' | 'language' | 'rules' | 'ignorePatterns'
    >
  >,
): Promise<RepositoryRow | null> {
  const [row] = await conn.query<RepositoryRow>(
    `update commits.repositories r set
        name = coalesce($2, r.name),
        remote_url = case when $3::boolean then $4 else r.remote_url end,
        default_branch = case when $5::boolean then $6 else r.default_branch end,
        convention = coalesce($7::jsonb, r.convention),
        language = case when $8::boolean then $9 else r.language end,
        rules = coalesce($10::jsonb, r.rules),
        ignore_patterns = coalesce($11::text[], r.ignore_patterns),
        updated_at = now()
      where r.id = $1
      returning ${columns}`,
    [
      id,
      changes.name ?? null,
      'remoteUrl' in changes,
      changes.remoteUrl ?? null,
      'defaultBranch' in changes,
      changes.defaultBranch ?? null,
      changes.convention ? JSON.stringify(changes.convention) : null,
      'language' in changes,
      changes.language ?? null,
      changes.rules ? JSON.stringify(changes.rules) : null,
      changes.ignorePatterns ?? null,
    ],
  );
  return row ?? null;
}

export async function deleteRepository(conn: SqlConnection, id: string): Promise<void> {
  await conn.query('delete from commits.repositories where id = $1', [id]);
}

export async function putAccess(
  conn: SqlConnection,
  repositoryId: string,
  teamId: string,
  level: Exclude<Level, 'none'>,
) {
  await conn.query(
    `insert into commits.repository_access (repository_id, team_id, level) values ($1, $2, $3)
     on conflict (repository_id, team_id) do update set level = excluded.level`,
    [repositoryId, teamId, level],
  );
}

export async function deleteAccess(
  conn: SqlConnection,
  repositoryId: string,
  teamId: string,
): Promise<boolean> {
  const rows = await conn.query(
    'delete from commits.repository_access where repository_id = $1 and team_id = $2 returning team_id',
    [repositoryId, teamId],
  );
  return rows.length > 0;
}

export async function accessOf(conn: SqlConnection, repositoryId: string) {
  return conn.query<{ teamId: string; level: Exclude<Level, 'none'> }>(
    'select team_id as "teamId", level from commits.repository_access where repository_id = $1 order by team_id',
    [repositoryId],
  );
}
