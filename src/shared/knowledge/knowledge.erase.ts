import type { SqlConnection } from '../../kernel/db/index.js';

/**
 * GDPR erasure (identity's deletion job, inside its transaction): the user's personal bases go
 * with their documents, chunks, indexes, shares and agent links (their files are queued in
 * `storage_orphans` for the purge job, since storage is not transactional); shares to the user
 * go. Documents they uploaded to an org's bases are the org's and stay, under an owner id that no
 * longer names anyone.
 */
export async function eraseKnowledgeUser(tx: SqlConnection, userId: string): Promise<Record<string, number>> {
  const count = async (sql: string) => {
    const [row] = await tx.query<{ n: number }>(`with gone as (${sql}) select count(*)::int as n from gone`, [
      userId,
    ]);
    return row?.n ?? 0;
  };
  const personal = `select id from knowledge.knowledge_bases where org_id is null and owner_user_id = $1`;
  const files = await count(
    `insert into knowledge.storage_orphans (storage_key)
     select storage_key from knowledge.documents where knowledge_base_id in (${personal})
     on conflict do nothing returning 1`,
  );
  await tx.query(
    `delete from knowledge.ingest_events where document_id in
       (select id from knowledge.documents where knowledge_base_id in (${personal}))`,
    [userId],
  );
  const documents = await count(
    `delete from knowledge.documents where knowledge_base_id in (${personal}) returning 1`,
  );
  const bases = await count(`delete from knowledge.knowledge_bases where id in (${personal}) returning 1`);
  const shares = await count(
    `delete from knowledge.shares where subject_kind = 'user' and subject_id = $1 returning 1`,
  );
  return { knowledge_bases: bases, documents, files_queued: files, shares };
}
