import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { key2, ringV1, ringV2 } from '../../../test/support/crypto.js';
import { type OpenedTestDatabase, testDatabases } from '../../../test/support/db.js';
import type { SqlConnection } from '../db/index.js';
import { createLog } from '../log/index.js';
import {
  createKeyRing,
  decryptString,
  type EncryptedColumn,
  EncryptedColumnRegistry,
  encrypt,
  keyIdOf,
  keyRotationJob,
  rotateKeys,
} from './index.js';

const log = createLog({ svc: 'test', level: 'silent' });

interface RotationRow {
  target_key_id: string;
  status: string;
  rows_rewrapped: number;
  error: string | null;
  finished: boolean;
}

async function rotationRow(db: SqlConnection, id: string): Promise<RotationRow | undefined> {
  const [row] = await db.query<RotationRow>(
    `select target_key_id, status, rows_rewrapped, error, finished_at is not null as finished
     from kernel.key_rotations where id = $1`,
    [id],
  );
  return row;
}

/** A scratch table of `count` uuid-keyed rows encrypted under `ringV1`, plus one null. */
async function seedTable(db: SqlConnection, table: string, count: number): Promise<Map<string, string>> {
  await db.exec(`create table crypto_test.${table} (id uuid primary key, secret text)`);
  const plaintexts = new Map<string, string>();
  const ids: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const text = `secret #${i} of ${table}`;
    plaintexts.set(id, text);
    ids.push(id);
    values.push(encrypt(ringV1, text, `crypto_test.${table}.secret:${id}`));
  }
  await db.query(
    `insert into crypto_test.${table} (id, secret) select * from unnest($1::uuid[], $2::text[])`,
    [ids, values],
  );
  await db.query(`insert into crypto_test.${table} (id, secret) values ($1, null)`, [randomUUID()]);
  return plaintexts;
}

function column(table: string): EncryptedColumn {
  return {
    schema: 'crypto_test',
    table,
    column: 'secret',
    idColumn: 'id',
    aad: (id) => `crypto_test.${table}.secret:${id}`,
  };
}

async function readAll(db: SqlConnection, table: string) {
  return db.query<{ id: string; secret: string | null }>(
    `select id::text as id, secret from crypto_test.${table}`,
  );
}

describe.each(testDatabases)('rotateKeys on $kind', (target) => {
  let opened: OpenedTestDatabase;
  let db: SqlConnection;

  beforeAll(async () => {
    opened = await target.open();
    db = opened.db;
    await db.exec('create schema crypto_test');
  });
  afterAll(async () => {
    await opened?.drop();
  });

  it('re-wraps every row under the new key in batches, records it, and is idempotent', async () => {
    const plaintexts = await seedTable(db, 'users', 250);
    const columns = new EncryptedColumnRegistry().register(column('users'));

    const first = await rotateKeys({ db, ring: ringV2, columns, batchSize: 100, log });
    expect(first).toMatchObject({
      status: 'completed',
      targetKeyId: 'k2',
      rowsRewrapped: 250,
      rowsFailed: 0,
    });
    const rows = await readAll(db, 'users');
    expect(rows).toHaveLength(251);
    for (const row of rows) {
      if (row.secret === null) continue;
      expect(keyIdOf(row.secret)).toBe('k2');
      expect(
        decryptString(
          createKeyRing([{ id: 'k2', key: key2 }]),
          row.secret,
          `crypto_test.users.secret:${row.id}`,
        ),
      ).toBe(plaintexts.get(row.id));
    }
    expect(rows.filter((r) => r.secret === null)).toHaveLength(1);
    expect(await rotationRow(db, first.rotationId)).toEqual({
      target_key_id: 'k2',
      status: 'completed',
      rows_rewrapped: 250,
      error: null,
      finished: true,
    });

    const second = await rotateKeys({ db, ring: ringV2, columns, batchSize: 100, log });
    expect(second).toMatchObject({ status: 'completed', rowsRewrapped: 0 });
    expect(second.rotationId).not.toBe(first.rotationId);
    expect((await rotationRow(db, second.rotationId))?.rows_rewrapped).toBe(0);
    expect(await readAll(db, 'users')).toEqual(rows);
  });

  it('never overwrites a value written while the rotation runs (compare-and-set)', async () => {
    await seedTable(db, 'racing', 20);
    const [victim] = await db.query<{ id: string }>(
      'select id::text as id from crypto_test.racing where secret is not null order by id limit 1',
    );
    const victimId = victim?.id as string;
    const concurrent = encrypt(ringV2, 'written during rotation', `crypto_test.racing.secret:${victimId}`);
    // The application's write lands between rotation's read and its update.
    const racingDb: SqlConnection = {
      exec: (sql) => db.exec(sql),
      async query<T>(text: string, params?: unknown[]) {
        if (text.startsWith('update "crypto_test"."racing"')) {
          await db.query('update crypto_test.racing set secret = $2 where id = $1', [victimId, concurrent]);
        }
        return db.query<T>(text, params);
      },
    };
    const result = await rotateKeys({ db: racingDb, ring: ringV2, columns: [column('racing')], log });
    expect(result).toMatchObject({ status: 'completed', rowsRewrapped: 19 });
    const [row] = await db.query<{ secret: string }>('select secret from crypto_test.racing where id = $1', [
      victimId,
    ]);
    expect(row?.secret).toBe(concurrent);
    expect((await readAll(db, 'racing')).every((r) => r.secret === null || keyIdOf(r.secret) === 'k2')).toBe(
      true,
    );
  });

  it('finishes the other rows, then fails naming the rows it could not re-wrap', async () => {
    await seedTable(db, 'damaged', 10);
    const [moved] = await db.query<{ id: string }>(
      'select id::text as id from crypto_test.damaged where secret is not null order by id limit 1',
    );
    const movedId = moved?.id as string;
    // A ciphertext copied from another row: its AAD no longer matches.
    await db.query(
      `update crypto_test.damaged set secret = (select secret from crypto_test.damaged where id <> $1 and secret is not null limit 1)
       where id = $1`,
      [movedId],
    );
    const result = await rotateKeys({ db, ring: ringV2, columns: [column('damaged')], batchSize: 3, log });
    expect(result).toMatchObject({ status: 'failed', rowsRewrapped: 9, rowsFailed: 1 });
    expect(result.columns[0]?.failedRowIds).toEqual([movedId]);
    const recorded = await rotationRow(db, result.rotationId);
    expect(recorded).toMatchObject({ status: 'failed', rows_rewrapped: 9, finished: true });
    expect(recorded?.error).toContain(movedId);
    expect(recorded?.error).toContain('crypto_test.damaged.secret');
  });

  it('handles non-uuid ids and columns without AAD', async () => {
    await db.exec('create table crypto_test.numbered (n bigint primary key, secret varchar(500))');
    for (let n = 1; n <= 12; n++) {
      await db.query('insert into crypto_test.numbered values ($1, $2)', [n * 10, encrypt(ringV1, `n=${n}`)]);
    }
    const numbered: EncryptedColumn = {
      schema: 'crypto_test',
      table: 'numbered',
      column: 'secret',
      idColumn: 'n',
    };
    const result = await rotateKeys({ db, ring: ringV2, columns: [numbered], batchSize: 5, log });
    expect(result).toMatchObject({ status: 'completed', rowsRewrapped: 12 });
    const rows = await db.query<{ n: string; secret: string }>(
      'select n::text as n, secret from crypto_test.numbered',
    );
    for (const row of rows) expect(decryptString(ringV2, row.secret)).toBe(`n=${Number(row.n) / 10}`);
  });

  it('fails fast, recorded, on a registered column that does not exist', async () => {
    const rotationId = randomUUID();
    await expect(
      rotateKeys({ db, ring: ringV2, columns: [column('missing')], log, rotationId }),
    ).rejects.toThrow(/crypto_test\.missing\.secret .*does not exist/);
    expect(await rotationRow(db, rotationId)).toMatchObject({ status: 'failed', finished: true });
  });

  it('runs as the kernel.keys.rotate job, and skips a rotation that already completed', async () => {
    await seedTable(db, 'jobbed', 7);
    const job = keyRotationJob({ db, ring: ringV2, columns: [column('jobbed')] });
    expect(job.name).toBe('kernel.keys.rotate');
    const context = { jobId: randomUUID(), retryCount: 0, signal: new AbortController().signal, log };
    const rotationId = randomUUID();
    expect(await job.handler({ rotationId }, context)).toEqual({
      status: 'done',
      rotationId,
      targetKeyId: 'k2',
      rowsRewrapped: 7,
    });
    expect(await job.handler({ rotationId }, { ...context, retryCount: 1 })).toMatchObject({
      status: 'skipped',
    });
    // Without a rotation id, the job's own id names the record, so a retry resumes it.
    expect(await job.handler({}, context)).toMatchObject({
      status: 'done',
      rotationId: context.jobId,
      rowsRewrapped: 0,
    });
    expect((await rotationRow(db, context.jobId))?.status).toBe('completed');
  });

  it('stops between batches when aborted and records the interruption', async () => {
    await seedTable(db, 'aborted', 5);
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const rotationId = randomUUID();
    await expect(
      rotateKeys({
        db,
        ring: ringV2,
        columns: [column('aborted')],
        log,
        rotationId,
        signal: controller.signal,
      }),
    ).rejects.toThrow('shutting down');
    expect(await rotationRow(db, rotationId)).toMatchObject({ status: 'failed', error: 'shutting down' });
    // Resuming under the same id finishes the work.
    const resumed = await rotateKeys({ db, ring: ringV2, columns: [column('aborted')], log, rotationId });
    expect(resumed).toMatchObject({ status: 'completed', rowsRewrapped: 5 });
  });
});
