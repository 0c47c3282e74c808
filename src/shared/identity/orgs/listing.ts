import { z } from 'zod';
import type { SqlConnection } from '../../../kernel/db/index.js';
import { isUniqueViolation, KeelError } from '../../../kernel/errors/index.js';
import { isUuid } from '../../../kernel/ids.js';

/**
 * Helpers shared by the org, team and feedback routes: one page query, one keyset cursor and one
 * plain-text field rule, so every list and every text field behaves the same.
 */

/** A one-line or multi-line text field: trimmed, non-empty, bounded, and without NUL (PostgreSQL refuses it). */
export function plainText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !value.includes('\u0000'), { message: 'must not contain NUL characters' });
}

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional().describe('next_cursor of the previous page'),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A keyset position: a row's `created_at` in microseconds since the epoch, and its id. */
export interface Position {
  micros: string;
  id: string;
}

/**
 * The SQL that selects a row's position (`alias.created_at`, `alias.<idColumn>`), as
 * `"cursorMicros"`. Microseconds keep PostgreSQL's timestamps exact, where a JavaScript Date
 * would round them to milliseconds and skip or repeat rows at page edges.
 */
export function positionColumn(alias: string): string {
  return `(extract(epoch from ${alias}.created_at) * 1000000)::bigint::text as "cursorMicros"`;
}

/** The timestamp of a position, as a SQL expression over the parameter holding its micros. */
export function positionTime(param: string): string {
  return `(timestamptz 'epoch' + ${param}::bigint * interval '1 microsecond')`;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.micros}.${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const [micros, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('.');
  if (!micros || !/^-?\d{1,19}$/.test(micros) || !id || !isUuid(id)) {
    throw new KeelError('validation_failed', 'The cursor is not one this API gave out.', {
      details: { errors: [{ field: 'querystring.cursor', message: 'is not a valid cursor' }] },
    });
  }
  return { micros, id };
}

/** Cuts the extra row a query fetched (limit + 1) and names the next page. */
export function pageOf<R extends { cursorMicros: string }, T>(
  rows: R[],
  limit: number,
  idOf: (row: R) => string,
  view: (row: R) => T,
): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(view),
    nextCursor:
      rows.length > limit && last ? encodeCursor({ micros: last.cursorMicros, id: idOf(last) }) : null,
  };
}

/** `23505` on the named unique index → 409 naming the field. */
export function conflictOn(
  error: unknown,
  constraint: string,
  field: string,
  what: string,
): KeelError | null {
  if (!isUniqueViolation(error, constraint)) return null;
  return new KeelError('conflict', `${what} is already taken.`, {
    details: { errors: [{ field, message: 'is already taken' }] },
  });
}

/**
 * One keyset page of members of an org or a team (oldest first): `table` is the membership table,
 * aliased `alias` in `columns`, and `scopeColumn` the org or team id it is filtered by.
 */
export async function membersPage<R extends { userId: string; cursorMicros: string }, V>(
  db: SqlConnection,
  source: { table: string; alias: string; scopeColumn: string; columns: string },
  scopeId: string,
  query: { limit: number; cursor?: string },
  toView: (row: R) => V,
): Promise<Page<V>> {
  const { table, alias: m, scopeColumn, columns } = source;
  const params: unknown[] = [scopeId];
  let after = '';
  if (query.cursor) {
    const position = decodeCursor(query.cursor);
    params.push(position.micros, position.id);
    after = `and (${m}.created_at, ${m}.user_id) > (${positionTime('$2')}, $3::uuid)`;
  }
  params.push(query.limit + 1);
  const rows = await db.query<R>(
    `select ${columns} from ${table} ${m} join identity.users u on u.id = ${m}.user_id
     where ${m}.${scopeColumn} = $1 ${after} order by ${m}.created_at, ${m}.user_id limit $${params.length}`,
    params,
  );
  return pageOf(rows, query.limit, (row) => row.userId, toView);
}
