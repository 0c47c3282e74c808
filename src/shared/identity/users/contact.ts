import type { Secrets } from '../../../kernel/crypto/index.js';
import type { SqlConnection } from '../../../kernel/db/index.js';
import { phoneOf } from './users.repository.js';

/** How a user is reached, as the notify module needs it; null fields are unknown. */
export interface NotificationContact {
  userId: string;
  email: string | null;
  /** E.164, decrypted. */
  phone: string | null;
  language: 'ko' | 'en';
  /** The user's master switch (user_settings): off means only in-app notifications. */
  notificationsEnabled: boolean;
  active: boolean;
}

/**
 * The contact details of users (missing ids are absent from the map). Erased and inactive users
 * come back with `active: false` so callers can skip them with a reason.
 */
export async function notificationContacts(
  conn: SqlConnection,
  secrets: Secrets,
  userIds: readonly string[],
): Promise<Map<string, NotificationContact>> {
  if (userIds.length === 0) return new Map();
  const rows = await conn.query<{
    id: string;
    email: string | null;
    phoneEncrypted: string | null;
    status: string;
    erasedAt: Date | null;
    language: string | null;
    notificationsEnabled: boolean | null;
  }>(
    `select u.id, u.email, u.phone_encrypted as "phoneEncrypted", u.status, u.erased_at as "erasedAt",
            s.language, s.notifications_enabled as "notificationsEnabled"
       from identity.users u left join identity.user_settings s on s.user_id = u.id
      where u.id = any($1::uuid[])`,
    [userIds],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        userId: row.id,
        email: row.email,
        phone: phoneOf(secrets, { id: row.id, phoneEncrypted: row.phoneEncrypted }),
        language: row.language === 'en' ? 'en' : 'ko',
        notificationsEnabled: row.notificationsEnabled ?? true,
        active: row.status === 'active' && row.erasedAt === null,
      },
    ]),
  );
}

/**
 * Who answers for something: an org's admins (membership role `org_admin`), or, without an org,
 * the platform admins (global role `admin`). Active users only.
 */
export async function adminUserIds(conn: SqlConnection, orgId: string | null): Promise<string[]> {
  const rows = orgId
    ? await conn.query<{ id: string }>(
        `select u.id from identity.org_memberships m join identity.users u on u.id = m.user_id
          where m.org_id = $1 and m.role = 'org_admin' and u.status = 'active' and u.erased_at is null
          order by u.id`,
        [orgId],
      )
    : await conn.query<{ id: string }>(
        `select distinct u.id from identity.user_roles ur join identity.roles r on r.id = ur.role_id
           join identity.users u on u.id = ur.user_id
          where r.name = 'admin' and u.status = 'active' and u.erased_at is null order by u.id`,
      );
  return rows.map((r) => r.id);
}

/** The teams a user belongs to (another module's shares by team are checked against these). */
export async function teamIdsOfUser(conn: SqlConnection, userId: string): Promise<string[]> {
  const rows = await conn.query<{ teamId: string }>(
    'select team_id as "teamId" from identity.team_memberships where user_id = $1 order by team_id',
    [userId],
  );
  return rows.map((r) => r.teamId);
}

/** The org a team belongs to; null when there is no such team. */
export async function orgOfTeam(conn: SqlConnection, teamId: string): Promise<string | null> {
  const [row] = await conn.query<{ orgId: string }>(
    'select org_id as "orgId" from identity.teams where id = $1',
    [teamId],
  );
  return row?.orgId ?? null;
}
