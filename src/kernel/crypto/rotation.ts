import { randomUUID } from 'node:crypto';
import type { SqlConnection } from '../db/index.js';
import { quoteIdent } from '../db/index.js';
import { isUuid } from '../ids.js';
import type { JobDefinition } from '../jobs/jobs.types.js';
import type { Log } from '../log/index.js';
import { DecryptionError } from './crypto.errors.js';
import { ciphertextPrefix, rewrap } from './envelope.js';
import type { KeyRing } from './keyring.js';

declare module '../jobs/index.js' {
  interface JobPayloads {
    /** `keel keys rotate`: re-wrap every registered encrypted column under the newest key. */
    'kernel.keys.rotate': { rotationId?: string };
  }
}

/**
 * A text column that holds `encrypt` ciphertexts (or null). Registered by the module that owns
 * the table, so rotation can reach it without knowing the module.
 */
export interface EncryptedColumn {
  schema: string;
  table: string;
  column: string;
  /** A unique, non-null, orderable column (the primary key): pages are walked by it. */
  idColumn: string;
  /** The AAD the values were encrypted with, from the row id in PostgreSQL's text form. */
  aad?: (rowId: string) => string;
}

/** The encrypted columns of every module; built at startup and passed to rotation explicitly. */
export class EncryptedColumnRegistry {
  readonly #columns = new Map<string, EncryptedColumn>();

  register(...columns: EncryptedColumn[]): this {
    for (const column of columns) {
      const name = columnName(column);
      if (this.#columns.has(name)) throw new Error(`encrypted column ${name} is registered twice`);
      this.#columns.set(name, column);
    }
    return this;
  }

  list(): EncryptedColumn[] {
    return [...this.#columns.values()];
  }
}

export interface RotateKeysOptions {
  db: SqlConnection;
  ring: KeyRing;
  columns: EncryptedColumnRegistry | readonly EncryptedColumn[];
  /** Rows read and updated per statement; default 500. */
  batchSize?: number;
  log: Log;
  /** Resume (or record under) this `kernel.key_rotations` id; default a new uuid. */
  rotationId?: string;
  /** Stops between batches; the rotation is recorded as failed and can be resumed. */
  signal?: AbortSignal;
}

export interface ColumnRotationResult {
  column: string;
  rowsRewrapped: number;
  /** Rows that stay under an old key because their data key did not open (see `failedRowIds`). */
  rowsFailed: number;
  /** The first few ids of failed rows, for the operator to inspect. */
  failedRowIds: string[];
}

export interface RotationResult {
  rotationId: string;
  targetKeyId: string;
  status: 'completed' | 'failed';
  /** Rows re-wrapped by this rotation id, across resumed runs. */
  rowsRewrapped: number;
  rowsFailed: number;
  columns: ColumnRotationResult[];
}

const defaultBatchSize = 500;
const failedIdsKept = 10;

/**
 * Re-wraps every ciphertext of `columns` that is not under the ring's current key, in batches
 * (keyset pagination on `idColumn`), and records progress in `kernel.key_rotations`.
 *
 * Each row is updated only if it still holds the value that was read (compare-and-set), so a
 * concurrent write, which already uses the current key, is never overwritten. Values already
 * under the current key are not even read, so a second run re-wraps nothing. A row whose data key
 * does not open (tampered, wrong AAD, key missing from the ring) is counted and skipped; the
 * rotation then ends as `failed` with those row ids in its error, after every other row is done.
 */
export async function rotateKeys(options: RotateKeysOptions): Promise<RotationResult> {
  const { db, ring, log, signal } = options;
  const columns =
    options.columns instanceof EncryptedColumnRegistry ? options.columns.list() : options.columns;
  const batchSize = options.batchSize ?? defaultBatchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError('rotateKeys: batchSize must be a positive integer');
  }
  const rotationId = options.rotationId ?? randomUUID();
  const targetKeyId = ring.current.id;

  const [started] = await db.query<{ rows_rewrapped: number }>(
    `insert into kernel.key_rotations (id, target_key_id, status) values ($1, $2, 'running')
     on conflict (id) do update
       set target_key_id = excluded.target_key_id, status = 'running', error = null, finished_at = null
     returning rows_rewrapped`,
    [rotationId, targetKeyId],
  );
  let total = started?.rows_rewrapped ?? 0;
  log.info({ rotationId, targetKeyId, columns: columns.length }, 'key rotation started');

  const results: ColumnRotationResult[] = [];
  try {
    for (const column of columns) {
      const result = await rotateColumn(db, ring, column, batchSize, signal, async (rewrapped) => {
        total += rewrapped;
        await db.query('update kernel.key_rotations set rows_rewrapped = $2 where id = $1', [
          rotationId,
          total,
        ]);
      });
      results.push(result);
      log.info({ rotationId, ...result }, 'key rotation: column done');
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db
      .query(
        `update kernel.key_rotations set status = 'failed', error = $2, rows_rewrapped = $3, finished_at = now()
         where id = $1`,
        [rotationId, message.slice(0, 1000), total],
      )
      .catch((recordError: unknown) =>
        log.error({ err: recordError, rotationId }, 'could not record key rotation failure'),
      );
    log.error({ err: error, rotationId }, 'key rotation failed');
    throw error;
  }

  const failed = results.filter((r) => r.rowsFailed > 0);
  const rowsFailed = failed.reduce((sum, r) => sum + r.rowsFailed, 0);
  const error =
    rowsFailed === 0
      ? null
      : `${rowsFailed} row(s) could not be re-wrapped and still need an old key: ${failed
          .map(
            (r) =>
              `${r.column} (${r.rowsFailed}; ids ${r.failedRowIds.join(', ')}${r.rowsFailed > r.failedRowIds.length ? ', ...' : ''})`,
          )
          .join('; ')}`;
  const status = rowsFailed === 0 ? 'completed' : 'failed';
  await db.query(
    `update kernel.key_rotations set status = $2, rows_rewrapped = $3, error = $4, finished_at = now() where id = $1`,
    [rotationId, status, total, error],
  );
  if (error) log.warn({ rotationId, rowsFailed }, error);
  log.info({ rotationId, targetKeyId, status, rowsRewrapped: total, rowsFailed }, 'key rotation finished');
  return { rotationId, targetKeyId, status, rowsRewrapped: total, rowsFailed, columns: results };
}

async function rotateColumn(
  db: SqlConnection,
  ring: KeyRing,
  column: EncryptedColumn,
  batchSize: number,
  signal: AbortSignal | undefined,
  onBatch: (rewrapped: number) => Promise<void>,
): Promise<ColumnRotationResult> {
  const name = columnName(column);
  const idType = await columnTypes(db, column);
  const table = `${quoteIdent(column.schema)}.${quoteIdent(column.table)}`;
  const id = quoteIdent(column.idColumn);
  const value = quoteIdent(column.column);
  const currentPrefix = ciphertextPrefix(ring.current.id);
  // starts_with, not LIKE: key ids may contain `_`, a LIKE wildcard.
  const select = (after: boolean) =>
    `select t.${id}::text as id, t.${value} as value from ${table} as t
     where t.${value} is not null and not starts_with(t.${value}, $1)${after ? ` and t.${id} > $2::${idType}` : ''}
     order by t.${id} limit ${batchSize}`;
  // One statement per batch; `t.value = v.old_value` is the compare-and-set.
  const update = `update ${table} as t set ${value} = v.new_value
     from unnest($1::text[], $2::text[], $3::text[]) as v(id, old_value, new_value)
     where t.${id} = v.id::${idType} and t.${value} = v.old_value
     returning 1 as updated`;

  const result: ColumnRotationResult = { column: name, rowsRewrapped: 0, rowsFailed: 0, failedRowIds: [] };
  let cursor: string | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const rows = await db.query<{ id: string; value: string }>(
      select(cursor !== undefined),
      cursor === undefined ? [currentPrefix] : [currentPrefix, cursor],
    );
    const ids: string[] = [];
    const oldValues: string[] = [];
    const newValues: string[] = [];
    for (const row of rows) {
      try {
        const rewrapped = rewrap(ring, row.value, column.aad?.(row.id) ?? '');
        if (rewrapped === row.value) continue;
        ids.push(row.id);
        oldValues.push(row.value);
        newValues.push(rewrapped);
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        result.rowsFailed += 1;
        if (result.failedRowIds.length < failedIdsKept) result.failedRowIds.push(row.id);
      }
    }
    if (ids.length > 0) {
      const updated = await db.query(update, [ids, oldValues, newValues]);
      result.rowsRewrapped += updated.length;
      await onBatch(updated.length);
    }
    if (rows.length < batchSize) return result;
    cursor = rows[rows.length - 1]?.id;
  }
}

/** The id column's SQL type (for casts), after checking that both columns exist. */
async function columnTypes(db: SqlConnection, column: EncryptedColumn): Promise<string> {
  const rows = await db.query<{ name: string; type: string }>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
     from pg_attribute a
     where a.attrelid = to_regclass($1) and a.attname = any($2::text[]) and a.attnum > 0 and not a.attisdropped`,
    [`${quoteIdent(column.schema)}.${quoteIdent(column.table)}`, [column.idColumn, column.column]],
  );
  const idType = rows.find((r) => r.name === column.idColumn)?.type;
  const valueType = rows.find((r) => r.name === column.column)?.type;
  const name = columnName(column);
  if (!idType || !valueType) {
    throw new Error(
      `encrypted column ${name} (id ${column.idColumn}) does not exist: are migrations applied?`,
    );
  }
  if (valueType !== 'text' && !valueType.startsWith('character varying')) {
    throw new Error(`encrypted column ${name} is ${valueType}; ciphertexts are stored in text columns`);
  }
  // format_type returns catalog-quoted SQL (e.g. uuid, bigint, "My Type"), safe to splice into a cast.
  return idType;
}

function columnName(column: EncryptedColumn): string {
  return `${column.schema}.${column.table}.${column.column}`;
}

export interface KeyRotationJobDeps {
  db: SqlConnection;
  ring: KeyRing;
  columns: EncryptedColumnRegistry | readonly EncryptedColumn[];
  batchSize?: number;
}

/**
 * The `kernel.keys.rotate` job. Without a `rotationId` in the payload it records under the job's
 * own id, so a retry resumes the same `kernel.key_rotations` row. A rotation that ends with rows
 * it could not re-wrap fails the job, so it shows as failed in the admin console.
 */
export function keyRotationJob(deps: KeyRotationJobDeps): JobDefinition<'kernel.keys.rotate'> {
  return {
    name: 'kernel.keys.rotate',
    retryLimit: 3,
    retryDelaySeconds: 30,
    // Large tables take a while; the job must not be declared lost while it is still walking them.
    expireInSeconds: 4 * 3600,
    concurrency: 1,
    handler: async function rotateKeysJob(payload, context) {
      const rotationId = payload.rotationId ?? (isUuid(context.jobId) ? context.jobId : randomUUID());
      const [previous] = await deps.db.query<{ status: string; target_key_id: string }>(
        'select status, target_key_id from kernel.key_rotations where id = $1',
        [rotationId],
      );
      if (previous?.status === 'completed' && previous.target_key_id === deps.ring.current.id) {
        return { status: 'skipped', reason: `rotation ${rotationId} already completed` };
      }
      const result = await rotateKeys({
        db: deps.db,
        ring: deps.ring,
        columns: deps.columns,
        log: context.log,
        rotationId,
        signal: context.signal,
        ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
      });
      if (result.status === 'failed') {
        throw new Error(`key rotation ${rotationId}: ${result.rowsFailed} row(s) could not be re-wrapped`);
      }
      return {
        status: 'done',
        rotationId,
        targetKeyId: result.targetKeyId,
        rowsRewrapped: result.rowsRewrapped,
      };
    },
  };
}
