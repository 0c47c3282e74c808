import { randomUUID } from 'node:crypto';
import type { SqlConnection } from '../../../kernel/db/index.js';

/** The in-app channel's table: what the web app's bell lists. */

export interface InboxItem {
  id: string;
  notificationId: string;
  type: string;
  title: string;
  body: string;
  url: string | null;
  readAt: Date | null;
  createdAt: Date;
}

const columns = `id, notification_id as "notificationId", type, title, body, url, read_at as "readAt",
  created_at as "createdAt"`;

/** Idempotent per notification and user: a retried in-app delivery adds nothing. */
export async function insertInboxItem(
  conn: SqlConnection,
  item: {
    userId: string;
    notificationId: string;
    type: string;
    title: string;
    body: string;
    url: string | null;
  },
): Promise<void> {
  await conn.query(
    `insert into notify.inbox (id, user_id, notification_id, type, title, body, url) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (notification_id, user_id) do nothing`,
    [randomUUID(), item.userId, item.notificationId, item.type, item.title, item.body, item.url],
  );
}

/** Newest first; `beforeId` is the last item of the previous page (keyset: created_at, id). */
export async function listInbox(
  conn: SqlConnection,
  userId: string,
  options: { unreadOnly: boolean; limit: number; beforeId?: string },
): Promise<InboxItem[]> {
  return conn.query<InboxItem>(
    `select ${columns} from notify.inbox
      where user_id = $1 and (not $2 or read_at is null)
        and ($3::uuid is null or (created_at, id) < (select created_at, id from notify.inbox where id = $3 and user_id = $1))
      order by created_at desc, id desc limit $4`,
    [userId, options.unreadOnly, options.beforeId ?? null, options.limit],
  );
}

export async function unreadCount(conn: SqlConnection, userId: string): Promise<number> {
  const [row] = await conn.query<{ n: number }>(
    'select count(*)::int as n from notify.inbox where user_id = $1 and read_at is null',
    [userId],
  );
  return row?.n ?? 0;
}

/** Marks the user's items read (all of them when `ids` is null); returns how many changed. */
export async function markRead(
  conn: SqlConnection,
  userId: string,
  ids: readonly string[] | null,
): Promise<number> {
  const rows = await conn.query(
    `update notify.inbox set read_at = now()
      where user_id = $1 and read_at is null and ($2::uuid[] is null or id = any($2::uuid[])) returning id`,
    [userId, ids],
  );
  return rows.length;
}
