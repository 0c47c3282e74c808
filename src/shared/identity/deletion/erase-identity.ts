import type { SqlConnection } from '../../../kernel/db/index.js';

/**
 * Identity's own erasure hook: the person disappears, the row (and so every foreign id pointing
 * at it) stays as an anonymous, inactive shell. The action log keeps what happened but loses the
 * IP addresses, which are personal data.
 */
export async function eraseIdentity(tx: SqlConnection, userId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const run = async (table: string, sql: string) => {
    counts[table] = (await tx.query(sql, [userId])).length;
  };
  await run(
    'phone_codes',
    `delete from identity.phone_codes where phone_hash = (select phone_hash from identity.users where id = $1)
     returning id`,
  );
  await run('sessions', 'delete from identity.sessions where user_id = $1 returning id');
  await run('api_keys', 'delete from identity.api_keys where user_id = $1 returning id');
  await run('oauth_accounts', 'delete from identity.oauth_accounts where user_id = $1 returning id');
  await run(
    'password_credentials',
    'delete from identity.password_credentials where user_id = $1 returning user_id',
  );
  await run('device_profiles', 'delete from identity.device_profiles where user_id = $1 returning id');
  await run('user_roles', 'delete from identity.user_roles where user_id = $1 returning user_id');
  await run('team_memberships', 'delete from identity.team_memberships where user_id = $1 returning user_id');
  await run('org_memberships', 'delete from identity.org_memberships where user_id = $1 returning user_id');
  await run('feedback', 'delete from identity.feedback where user_id = $1 returning id');
  await run(
    'profiles',
    `update identity.profiles set nickname_encrypted = null, country_code = null, updated_at = now()
     where user_id = $1 returning user_id`,
  );
  await run(
    'user_settings',
    `update identity.user_settings set settings = '{}'::jsonb, updated_at = now() where user_id = $1 returning user_id`,
  );
  await run(
    'action_log',
    'update identity.action_log set ip = null where user_id = $1 and ip is not null returning id',
  );
  await run(
    'users',
    `update identity.users set username = null, email = null, email_type = null, full_name = null,
       phone_encrypted = null, phone_hash = null, status = 'inactive', auth_status = 'unverified',
       erased_at = now(), updated_at = now()
     where id = $1 returning id`,
  );
  return counts;
}
