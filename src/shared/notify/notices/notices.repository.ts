import { randomUUID } from 'node:crypto';
import type { SqlConnection } from '../../../kernel/db/index.js';

/** Seed 004 `system_notifications`. */
export const noticeTypes = ['maintenance', 'update', 'notice'] as const;
export const noticePriorities = ['low', 'normal', 'high', 'critical'] as const;

export interface NoticeInput {
  title: string;
  content: string;
  noticeType: (typeof noticeTypes)[number];
  priority: (typeof noticePriorities)[number];
  isActive: boolean;
  displayFrom: Date | null;
  displayUntil: Date | null;
}

export interface NoticeRow extends NoticeInput {
  id: string;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const columns = `id, title, content, notice_type as "noticeType", priority, is_active as "isActive",
  display_from as "displayFrom", display_until as "displayUntil", created_by as "createdBy",
  created_at as "createdAt", updated_at as "updatedAt"`;
const priorityOrder = `case priority when 'critical' then 3 when 'high' then 2 when 'normal' then 1 else 0 end desc`;

export async function insertNotice(
  conn: SqlConnection,
  input: NoticeInput,
  createdBy: string | null,
): Promise<NoticeRow> {
  const [row] = await conn.query<NoticeRow>(
    `insert into notify.system_notices (id, title, content, notice_type, priority, is_active, display_from, display_until, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${columns}`,
    [
      randomUUID(),
      input.title,
      input.content,
      input.noticeType,
      input.priority,
      input.isActive,
      input.displayFrom,
      input.displayUntil,
      createdBy,
    ],
  );
  return row as NoticeRow;
}

export async function updateNotice(
  conn: SqlConnection,
  id: string,
  input: NoticeInput,
): Promise<NoticeRow | null> {
  const [row] = await conn.query<NoticeRow>(
    `update notify.system_notices set title = $2, content = $3, notice_type = $4, priority = $5, is_active = $6,
            display_from = $7, display_until = $8, updated_at = now()
      where id = $1 returning ${columns}`,
    [
      id,
      input.title,
      input.content,
      input.noticeType,
      input.priority,
      input.isActive,
      input.displayFrom,
      input.displayUntil,
    ],
  );
  return row ?? null;
}

export async function findNotice(conn: SqlConnection, id: string): Promise<NoticeRow | null> {
  const [row] = await conn.query<NoticeRow>(`select ${columns} from notify.system_notices where id = $1`, [
    id,
  ]);
  return row ?? null;
}

export async function deleteNotice(conn: SqlConnection, id: string): Promise<boolean> {
  const rows = await conn.query('delete from notify.system_notices where id = $1 returning id', [id]);
  return rows.length > 0;
}

export async function listNotices(conn: SqlConnection, limit: number): Promise<NoticeRow[]> {
  return conn.query<NoticeRow>(
    `select ${columns} from notify.system_notices order by created_at desc, id limit $1`,
    [limit],
  );
}

/** The notices to show now: active and inside their display window, most important first. */
export async function activeNotices(conn: SqlConnection, at: Date): Promise<NoticeRow[]> {
  return conn.query<NoticeRow>(
    `select ${columns} from notify.system_notices
      where is_active and (display_from is null or display_from <= $1) and (display_until is null or display_until > $1)
      order by ${priorityOrder}, created_at desc limit 50`,
    [at],
  );
}
