import type { SqlConnection } from '../../kernel/db/index.js';

/**
 * GDPR erasure (identity's deletion job, inside its transaction): the user's personal
 * repositories go with their requests, drafts and recorded commits, and so do the requests the
 * user made in org repositories (their drafts hold the user's code and words). Org repositories
 * the user registered are the org's and stay, under an owner id that no longer names anyone.
 */
export async function eraseCommitsUser(tx: SqlConnection, userId: string): Promise<Record<string, number>> {
  const count = async (sql: string) => {
    const [row] = await tx.query<{ n: number }>(`with gone as (${sql}) select count(*)::int as n from gone`, [
      userId,
    ]);
    return row?.n ?? 0;
  };
  const repositories = await count(
    'delete from commits.repositories where org_id is null and owner_user_id = $1 returning 1',
  );
  const requests = await count('delete from commits.generation_requests where user_id = $1 returning 1');
  return { repositories, generation_requests: requests };
}
