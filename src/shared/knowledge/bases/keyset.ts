import { KeelError } from '../../../kernel/errors/index.js';
import { isUuid } from '../../../kernel/ids.js';

/**
 * Keyset pages, newest first: a position is a row's `created_at` in microseconds and its id
 * (microseconds keep PostgreSQL's timestamps exact where a JavaScript Date would round them).
 */
export interface Position {
  micros: string;
  id: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The SQL selecting a row's position as `"cursorMicros"`. */
export function positionColumn(alias: string): string {
  return `(extract(epoch from ${alias}.created_at) * 1000000)::bigint::text as "cursorMicros"`;
}

/** `(created_at, id) < position`, for a newest-first page after `position`. */
export function beforePosition(alias: string, microsParam: string, idParam: string): string {
  return `(${alias}.created_at, ${alias}.id) < (timestamptz 'epoch' + ${microsParam}::bigint * interval '1 microsecond', ${idParam}::uuid)`;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.micros}.${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const [micros, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('.');
  if (!micros || !/^-?\d{1,19}$/.test(micros) || !id || !isUuid(id)) {
    throw new KeelError('validation_failed', 'querystring.cursor: is not a cursor this API gave out', {
      details: { errors: [{ field: 'querystring.cursor', message: 'is not a cursor this API gave out' }] },
    });
  }
  return { micros, id };
}

/** Cuts the extra row a query fetched (limit + 1) and names the next page. */
export function pageOf<R extends { cursorMicros: string; id: string }>(rows: R[], limit: number): Page<R> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor({ micros: last.cursorMicros, id: last.id }) : null,
  };
}

/** Collects `$n` parameters while a query is assembled. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
