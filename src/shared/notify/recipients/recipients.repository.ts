import { randomUUID } from 'node:crypto';
import { decryptString, encrypt, type Secrets } from '../../../kernel/crypto/index.js';
import type { SqlConnection } from '../../../kernel/db/index.js';
import type { ChannelKind } from '../channels/channel.types.js';

/** Contact points (Slack ids, webhooks, overrides of identity's e-mail and phone) and push subscriptions. */

export type ContactChannel = Extract<ChannelKind, 'slack' | 'webhook' | 'email' | 'sms' | 'kakao'>;
export const contactChannels: readonly ContactChannel[] = ['slack', 'webhook', 'email', 'sms', 'kakao'];

export interface ContactPoint {
  userId: string;
  channel: ContactChannel;
  destination: string;
}

export async function contactPointsOf(
  conn: SqlConnection,
  secrets: Secrets,
  userIds: readonly string[],
): Promise<ContactPoint[]> {
  if (userIds.length === 0) return [];
  const rows = await conn.query<{
    id: string;
    userId: string;
    channel: ContactChannel;
    destinationEncrypted: string;
  }>(
    `select id, user_id as "userId", channel, destination_encrypted as "destinationEncrypted"
       from notify.contact_points where user_id = any($1::uuid[]) order by channel`,
    [userIds],
  );
  return rows.map((row) => ({
    userId: row.userId,
    channel: row.channel,
    destination: decryptString(secrets.ring, row.destinationEncrypted, row.id),
  }));
}

export async function setContactPoint(
  conn: SqlConnection,
  secrets: Secrets,
  point: ContactPoint,
): Promise<void> {
  const [existing] = await conn.query<{ id: string }>(
    'select id from notify.contact_points where user_id = $1 and channel = $2',
    [point.userId, point.channel],
  );
  const id = existing?.id ?? randomUUID();
  await conn.query(
    `insert into notify.contact_points (id, user_id, channel, destination_encrypted) values ($1, $2, $3, $4)
     on conflict (user_id, channel) do update set destination_encrypted = excluded.destination_encrypted, updated_at = now()`,
    [id, point.userId, point.channel, encrypt(secrets.ring, point.destination, id)],
  );
}

export async function deleteContactPoint(
  conn: SqlConnection,
  userId: string,
  channel: ContactChannel,
): Promise<boolean> {
  const rows = await conn.query(
    'delete from notify.contact_points where user_id = $1 and channel = $2 returning id',
    [userId, channel],
  );
  return rows.length > 0;
}

export interface PushSubscriptionRow {
  id: string;
  userId: string;
  deviceId: string | null;
  endpoint: string;
  userAgent: string | null;
  createdAt: Date;
  lastSuccessAt: Date | null;
}

export interface PushKeys {
  p256dh: string;
  auth: string;
}

const pushColumns = `id, user_id as "userId", device_id as "deviceId", endpoint, user_agent as "userAgent",
  created_at as "createdAt", last_success_at as "lastSuccessAt"`;

/** Every subscription of the users, with its keys, as the Web Push subscription JSON. */
export async function pushSubscriptionsOf(
  conn: SqlConnection,
  secrets: Secrets,
  userIds: readonly string[],
): Promise<Array<PushSubscriptionRow & { subscription: string }>> {
  if (userIds.length === 0) return [];
  const rows = await conn.query<PushSubscriptionRow & { keysEncrypted: string }>(
    `select ${pushColumns}, keys_encrypted as "keysEncrypted" from notify.push_subscriptions
      where user_id = any($1::uuid[]) order by created_at`,
    [userIds],
  );
  return rows.map(({ keysEncrypted, ...row }) => ({
    ...row,
    subscription: JSON.stringify({
      endpoint: row.endpoint,
      keys: JSON.parse(decryptString(secrets.ring, keysEncrypted, row.id)) as PushKeys,
    }),
  }));
}

export async function listPushSubscriptions(
  conn: SqlConnection,
  userId: string,
): Promise<PushSubscriptionRow[]> {
  return conn.query<PushSubscriptionRow>(
    `select ${pushColumns} from notify.push_subscriptions where user_id = $1 order by created_at`,
    [userId],
  );
}

/** Saves a browser's subscription; the same endpoint moves to the user who subscribed last. */
export async function savePushSubscription(
  conn: SqlConnection,
  secrets: Secrets,
  input: {
    userId: string;
    deviceId: string | null;
    endpoint: string;
    keys: PushKeys;
    userAgent: string | null;
  },
): Promise<PushSubscriptionRow> {
  const [existing] = await conn.query<{ id: string }>(
    'select id from notify.push_subscriptions where endpoint = $1',
    [input.endpoint],
  );
  const id = existing?.id ?? randomUUID();
  const keys = encrypt(secrets.ring, JSON.stringify(input.keys), id);
  const [row] = await conn.query<PushSubscriptionRow>(
    `insert into notify.push_subscriptions (id, user_id, device_id, endpoint, keys_encrypted, user_agent)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (endpoint) do update set user_id = excluded.user_id, device_id = excluded.device_id,
       keys_encrypted = excluded.keys_encrypted, user_agent = excluded.user_agent
     returning ${pushColumns}`,
    [id, input.userId, input.deviceId, input.endpoint, keys, input.userAgent],
  );
  return row as PushSubscriptionRow;
}

export async function deletePushSubscription(
  conn: SqlConnection,
  userId: string,
  id: string,
): Promise<boolean> {
  const rows = await conn.query(
    'delete from notify.push_subscriptions where id = $1 and user_id = $2 returning id',
    [id, userId],
  );
  return rows.length > 0;
}
