import type { SqlConnection } from '../../../kernel/db/index.js';
import type { PreferenceRow, QuietHours } from './preferences.js';

export async function preferencesOf(
  conn: SqlConnection,
  userIds: readonly string[],
  type?: string,
): Promise<PreferenceRow[]> {
  if (userIds.length === 0) return [];
  return conn.query<PreferenceRow>(
    `select user_id as "userId", notification_type as "notificationType", channel, enabled
       from notify.preferences
      where user_id = any($1::uuid[]) and ($2::text is null or notification_type in ($2, '*'))
      order by notification_type, channel`,
    [userIds, type ?? null],
  );
}

export async function quietHoursOf(
  conn: SqlConnection,
  userIds: readonly string[],
): Promise<Map<string, QuietHours>> {
  if (userIds.length === 0) return new Map();
  const rows = await conn.query<QuietHours & { userId: string }>(
    `select user_id as "userId", start_minute as "startMinute", end_minute as "endMinute", timezone
       from notify.quiet_hours where user_id = any($1::uuid[])`,
    [userIds],
  );
  return new Map(rows.map(({ userId, ...quiet }) => [userId, quiet]));
}

/** Replaces all of a user's preference rows and quiet hours (null removes them). */
export async function replacePreferences(
  tx: SqlConnection,
  userId: string,
  rows: ReadonlyArray<Omit<PreferenceRow, 'userId'>>,
  quiet: QuietHours | null,
): Promise<void> {
  await tx.query('delete from notify.preferences where user_id = $1', [userId]);
  if (rows.length > 0) {
    await tx.query(
      `insert into notify.preferences (user_id, notification_type, channel, enabled)
       select $1, t, c, e from unnest($2::text[], $3::text[], $4::boolean[]) as x(t, c, e)`,
      [userId, rows.map((r) => r.notificationType), rows.map((r) => r.channel), rows.map((r) => r.enabled)],
    );
  }
  await tx.query('delete from notify.quiet_hours where user_id = $1', [userId]);
  if (quiet) {
    await tx.query(
      'insert into notify.quiet_hours (user_id, start_minute, end_minute, timezone) values ($1, $2, $3, $4)',
      [userId, quiet.startMinute, quiet.endMinute, quiet.timezone],
    );
  }
}
