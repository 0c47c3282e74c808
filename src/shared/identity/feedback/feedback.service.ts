import { randomUUID } from 'node:crypto';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import { decodeCursor, type Page, pageOf, positionColumn, positionTime } from '../orgs/listing.js';

export type FeedbackType = 'bug' | 'suggestion' | 'complaint';
export type FeedbackStatus = 'pending' | 'resolved' | 'closed';

export interface FeedbackView {
  id: string;
  /** Null once the author's account was erased. */
  userId: string | null;
  type: FeedbackType;
  subject: string | null;
  content: string;
  rating: number | null;
  status: FeedbackStatus;
  adminResponse: string | null;
  respondedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface FeedbackListQuery {
  limit: number;
  cursor?: string;
  status?: FeedbackStatus;
  type?: FeedbackType;
}

/**
 * User feedback (seed 004 `user_feedback`): anyone signed in sends it and reads their own;
 * feedback managers read all of it and answer.
 *
 * @example
 * await feedback.create(userId, { type: 'bug', subject: 'Export fails', content: '…', rating: 2 });
 * await feedback.respond(id, adminId, { status: 'resolved', adminResponse: 'Fixed in 1.4.' });
 */
export interface FeedbackService {
  create(
    userId: string,
    input: { type: FeedbackType; subject?: string | null; content: string; rating?: number | null },
  ): Promise<FeedbackView>;
  /** Newest first. `userId`: only that author's feedback. */
  list(query: FeedbackListQuery & { userId?: string }): Promise<Page<FeedbackView>>;
  get(id: string): Promise<FeedbackView>;
  /** Sets the status and/or the answer, and records who responded. */
  respond(
    id: string,
    respondedBy: string,
    input: { status?: FeedbackStatus; adminResponse?: string | null },
  ): Promise<FeedbackView>;
}

type FeedbackRow = FeedbackView & { cursorMicros: string };

const columns = `f.id, f.user_id as "userId", f.feedback_type as type, f.subject, f.content, f.rating,
  f.status, f.admin_response as "adminResponse", f.responded_by as "respondedBy",
  f.created_at as "createdAt", f.updated_at as "updatedAt", ${positionColumn('f')}`;

export function createFeedbackService(deps: { db: Database }): FeedbackService {
  const { db } = deps;

  async function get(id: string): Promise<FeedbackView> {
    const [row] = await db.query<FeedbackRow>(`select ${columns} from identity.feedback f where f.id = $1`, [
      id,
    ]);
    if (!row) throw new KeelError('not_found', 'No such feedback.');
    return viewOf(row);
  }

  return {
    get,

    async create(userId, input) {
      const id = randomUUID();
      await db.query(
        `insert into identity.feedback (id, user_id, feedback_type, subject, content, rating)
         values ($1, $2, $3, $4, $5, $6)`,
        [id, userId, input.type, input.subject ?? null, input.content, input.rating ?? null],
      );
      return get(id);
    },

    async list(query) {
      const params: unknown[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      const where: string[] = [];
      if (query.userId) where.push(`f.user_id = ${param(query.userId)}`);
      if (query.status) where.push(`f.status = ${param(query.status)}`);
      if (query.type) where.push(`f.feedback_type = ${param(query.type)}`);
      if (query.cursor) {
        const position = decodeCursor(query.cursor);
        where.push(
          `(f.created_at, f.id) < (${positionTime(param(position.micros))}, ${param(position.id)}::uuid)`,
        );
      }
      const rows = await db.query<FeedbackRow>(
        `select ${columns} from identity.feedback f ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
         order by f.created_at desc, f.id desc limit ${param(query.limit + 1)}`,
        params,
      );
      return pageOf(rows, query.limit, (row) => row.id, viewOf);
    },

    async respond(id, respondedBy, input) {
      const rows = await db.query(
        `update identity.feedback set
           status = coalesce($2, status),
           admin_response = case when $3 then $4 else admin_response end,
           responded_by = $5,
           updated_at = now()
         where id = $1 returning id`,
        [
          id,
          input.status ?? null,
          input.adminResponse !== undefined,
          input.adminResponse ?? null,
          respondedBy,
        ],
      );
      if (rows.length === 0) throw new KeelError('not_found', 'No such feedback.');
      return get(id);
    },
  };
}

function viewOf(row: FeedbackRow): FeedbackView {
  return {
    id: row.id,
    userId: row.userId,
    type: row.type,
    subject: row.subject,
    content: row.content,
    rating: row.rating,
    status: row.status,
    adminResponse: row.adminResponse,
    respondedBy: row.respondedBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
