import { randomUUID } from 'node:crypto';
import type { SqlConnection } from '../../../kernel/db/index.js';
import type { ChunkStrategy } from '../chunking/index.js';
import type { Caller } from './caller.js';
import { beforePosition, decodeCursor, type Page, Params, pageOf, positionColumn } from './keyset.js';

/** The caller with the teams they belong to (for team shares). */
export interface Scope extends Caller {
  teamIds: readonly string[];
}

export interface BaseRow {
  id: string;
  orgId: string | null;
  ownerUserId: string;
  name: string;
  description: string | null;
  embeddingModel: string;
  chunkStrategy: ChunkStrategy;
  chunkSize: number;
  chunkOverlap: number;
  documentCount: number;
  chunkCount: number;
  createdAt: Date;
  updatedAt: Date;
  /** What a share gives the caller, if any. */
  shared: 'read' | 'write' | null;
  cursorMicros: string;
}

export interface BaseSettings {
  name: string;
  description: string | null;
  chunkStrategy: ChunkStrategy;
  chunkSize: number;
  chunkOverlap: number;
}

const columns = `b.id, b.org_id as "orgId", b.owner_user_id as "ownerUserId", b.name, b.description,
  b.embedding_model as "embeddingModel", b.chunk_strategy as "chunkStrategy", b.chunk_size as "chunkSize",
  b.chunk_overlap as "chunkOverlap", b.document_count as "documentCount", b.chunk_count as "chunkCount",
  b.created_at as "createdAt", b.updated_at as "updatedAt", ${positionColumn('b')}`;

/** The shares that reach the scope's user, directly or through a team. */
function reachesScope(p: Params, scope: Scope, alias = 's'): string {
  return `((${alias}.subject_kind = 'user' and ${alias}.subject_id = ${p.add(scope.userId)}::uuid)
    or (${alias}.subject_kind = 'team' and ${alias}.subject_id = any(${p.add(scope.teamIds)}::uuid[])))`;
}

function sharedColumn(p: Params, scope: Scope): string {
  return `(select case max(case s.permission when 'write' then 2 else 1 end) when 2 then 'write' when 1 then 'read' end
     from knowledge.shares s where s.knowledge_base_id = b.id and ${reachesScope(p, scope)}) as shared`;
}

/** SQL true for a live base the scope may read (see `accessOf`, which this mirrors). */
export function readableBase(p: Params, scope: Scope, alias = 'b'): string {
  return `(${alias}.deleted_at is null and (
      (${alias}.org_id is null and ${alias}.owner_user_id = ${p.add(scope.userId)}::uuid)
      or (${alias}.org_id is not null and ${alias}.org_id = ${p.add(scope.orgId)}::uuid)
      or exists (select 1 from knowledge.shares s where s.knowledge_base_id = ${alias}.id and ${reachesScope(p, scope)})))`;
}

export async function insertBase(
  conn: SqlConnection,
  input: BaseSettings & { orgId: string | null; ownerUserId: string; embeddingModel: string },
): Promise<string> {
  const id = randomUUID();
  await conn.query(
    `insert into knowledge.knowledge_bases
       (id, org_id, owner_user_id, name, description, embedding_model, chunk_strategy, chunk_size, chunk_overlap)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      id,
      input.orgId,
      input.ownerUserId,
      input.name,
      input.description,
      input.embeddingModel,
      input.chunkStrategy,
      input.chunkSize,
      input.chunkOverlap,
    ],
  );
  return id;
}

/** A live base with what shares give the scope; null when there is none (whoever asks). */
export async function findBase(
  conn: SqlConnection,
  id: string,
  scope: Scope,
  options: { lock?: boolean } = {},
): Promise<BaseRow | null> {
  const p = new Params();
  const idParam = p.add(id);
  const [row] = await conn.query<BaseRow>(
    `select ${columns}, ${sharedColumn(p, scope)} from knowledge.knowledge_bases b
     where b.id = ${idParam} and b.deleted_at is null ${options.lock ? 'for update of b' : ''}`,
    p.values,
  );
  return row ?? null;
}

/** The bases the scope may read, newest first. */
export async function listBases(
  conn: SqlConnection,
  scope: Scope,
  query: { limit: number; cursor?: string },
): Promise<Page<BaseRow>> {
  const p = new Params();
  const where = [readableBase(p, scope)];
  if (query.cursor) {
    const at = decodeCursor(query.cursor);
    where.push(beforePosition('b', p.add(at.micros), p.add(at.id)));
  }
  const rows = await conn.query<BaseRow>(
    `select ${columns}, ${sharedColumn(p, scope)} from knowledge.knowledge_bases b
     where ${where.join(' and ')} order by b.created_at desc, b.id desc limit ${p.add(query.limit + 1)}`,
    p.values,
  );
  return pageOf(rows, query.limit);
}

/** Ids of every base the scope may read (search and document lists filter by them). */
export async function readableBaseIds(conn: SqlConnection, scope: Scope): Promise<string[]> {
  const p = new Params();
  const rows = await conn.query<{ id: string }>(
    `select b.id from knowledge.knowledge_bases b where ${readableBase(p, scope)}`,
    p.values,
  );
  return rows.map((r) => r.id);
}

export async function updateBase(conn: SqlConnection, id: string, settings: BaseSettings): Promise<void> {
  await conn.query(
    `update knowledge.knowledge_bases set name = $2, description = $3, chunk_strategy = $4, chunk_size = $5,
       chunk_overlap = $6, updated_at = now() where id = $1 and deleted_at is null`,
    [
      id,
      settings.name,
      settings.description,
      settings.chunkStrategy,
      settings.chunkSize,
      settings.chunkOverlap,
    ],
  );
}

export async function softDeleteBase(conn: SqlConnection, id: string): Promise<void> {
  await conn.query(
    `update knowledge.knowledge_bases set deleted_at = now(), updated_at = now() where id = $1 and deleted_at is null`,
    [id],
  );
}

/** The user's oldest personal base (their default for uploads), locked; null when they have none. */
export async function defaultPersonalBase(conn: SqlConnection, userId: string): Promise<string | null> {
  const [row] = await conn.query<{ id: string }>(
    `select id from knowledge.knowledge_bases
     where owner_user_id = $1 and org_id is null and deleted_at is null
     order by created_at, id limit 1 for update`,
    [userId],
  );
  return row?.id ?? null;
}

export async function adjustDocumentCount(conn: SqlConnection, baseId: string, delta: number): Promise<void> {
  await conn.query(
    `update knowledge.knowledge_bases set document_count = greatest(0, document_count + $2), updated_at = now()
     where id = $1`,
    [baseId, delta],
  );
}
