import type { SqlConnection } from '../../../kernel/db/index.js';

/**
 * The only file that reads and writes a generation request and what hangs off it: scoping
 * result, input context, diff fragments, drafts and the finalized commit.
 */

export type RequestStatus = 'ready' | 'approved' | 'rejected' | 'committed' | 'pushed' | 'push_failed';

export interface RequestRow {
  id: string;
  repositoryId: string;
  userId: string;
  orgId: string | null;
  trigger: string;
  source: string;
  branch: string | null;
  headSha: string | null;
  status: RequestStatus;
  files: number;
  addedLines: number;
  removedLines: number;
  truncated: boolean;
  skipped: Array<{ path: string; reason: string }>;
  language: string;
  elapsedMs: number;
  createdAt: Date;
  updatedAt: Date;
  /** Read with the request (not stored on it): the repository's name, and the header of the approved message or the first draft. */
  repositoryName?: string;
  messageHeader?: string | null;
}

export interface DraftRow {
  id: string;
  requestId: string;
  ordinal: number;
  type: string;
  scope: string | null;
  subject: string;
  body: string;
  breaking: boolean;
  message: string;
  origin: 'model' | 'offline' | 'reuse' | 'edit';
  provider: string;
  model: string;
  llmRequestId: string | null;
  violations: unknown[];
  notes: string[];
  reusedFrom: string | null;
  similarity: number | null;
  savedInputTokens: number | null;
  createdAt: Date;
}

export interface FragmentRow {
  ordinal: number;
  path: string;
  oldPath: string | null;
  status: string;
  language: string | null;
  addedLines: number;
  removedLines: number;
  hunks: unknown[];
  elements: unknown[];
}

export interface FinalizedRow {
  requestId: string;
  draftId: string | null;
  message: string;
  approvedBy: string;
  approvedAt: Date;
  commitSha: string | null;
  pushError: string | null;
  updatedAt: Date;
}

export interface NewRequest {
  request: Omit<RequestRow, 'createdAt' | 'updatedAt' | 'status'>;
  scoping: Record<string, unknown>;
  input: { tokenBudget: number; totalTokens: number; sections: unknown[]; prompt: string };
  fragments: FragmentRow[];
  drafts: Array<Omit<DraftRow, 'createdAt' | 'requestId'>>;
  embedding: { model: string; vector: number[] } | null;
}

const requestColumns = `id, repository_id as "repositoryId", user_id as "userId", org_id as "orgId", trigger, source,
  branch, head_sha as "headSha", status, files, added_lines as "addedLines", removed_lines as "removedLines", truncated,
  skipped, language, elapsed_ms as "elapsedMs", created_at as "createdAt", updated_at as "updatedAt"`;

/** The repository's name and the message's header, for lists and the review page. */
const requestExtras = `(select name from commits.repositories r where r.id = repository_id) as "repositoryName",
  split_part(coalesce(
    (select f.message from commits.finalized_commits f where f.request_id = generation_requests.id),
    (select d.message from commits.drafts d where d.request_id = generation_requests.id order by d.ordinal limit 1)
  ), chr(10), 1) as "messageHeader"`;

const draftColumns = `id, request_id as "requestId", ordinal, type, scope, subject, body, breaking, message, origin,
  provider, model, llm_request_id as "llmRequestId", violations, notes, reused_from as "reusedFrom", similarity,
  saved_input_tokens as "savedInputTokens", created_at as "createdAt"`;

const finalizedColumns = `request_id as "requestId", draft_id as "draftId", message, approved_by as "approvedBy",
  approved_at as "approvedAt", commit_sha as "commitSha", push_error as "pushError", updated_at as "updatedAt"`;

/** Everything of a new request, in the caller's transaction. */
export async function insertRequest(tx: SqlConnection, n: NewRequest): Promise<void> {
  const r = n.request;
  await tx.query(
    `insert into commits.generation_requests (id, repository_id, user_id, org_id, trigger, source, branch, head_sha,
       status, files, added_lines, removed_lines, truncated, skipped, language, elapsed_ms)
     values ($1, $2, $3, $4, $5, $6, $7, $8, 'ready', $9, $10, $11, $12, $13::jsonb, $14, $15)`,
    [
      r.id,
      r.repositoryId,
      r.userId,
      r.orgId,
      r.trigger,
      r.source,
      r.branch,
      r.headSha,
      r.files,
      r.addedLines,
      r.removedLines,
      r.truncated,
      JSON.stringify(r.skipped),
      r.language,
      r.elapsedMs,
    ],
  );
  await tx.query('insert into commits.scoping_results (request_id, result) values ($1, $2::jsonb)', [
    r.id,
    JSON.stringify(n.scoping),
  ]);
  await tx.query(
    `insert into commits.input_contexts (request_id, token_budget, total_tokens, sections, prompt)
     values ($1, $2, $3, $4::jsonb, $5)`,
    [r.id, n.input.tokenBudget, n.input.totalTokens, JSON.stringify(n.input.sections), n.input.prompt],
  );
  if (n.fragments.length > 0) {
    await tx.query(
      `insert into commits.diff_fragments (request_id, ordinal, path, old_path, status, language, added_lines,
         removed_lines, hunks, elements)
       select $1, x.ordinal, x.path, x.old_path, x.status, x.language, x.added, x.removed, x.hunks, x.elements
         from jsonb_to_recordset($2::jsonb) as x(ordinal int, path text, old_path text, status text, language text,
              added int, removed int, hunks jsonb, elements jsonb)`,
      [
        r.id,
        JSON.stringify(
          n.fragments.map((f) => ({
            ordinal: f.ordinal,
            path: f.path,
            old_path: f.oldPath,
            status: f.status,
            language: f.language,
            added: f.addedLines,
            removed: f.removedLines,
            hunks: f.hunks,
            elements: f.elements,
          })),
        ),
      ],
    );
  }
  await insertDrafts(tx, r.id, n.drafts);
  if (n.embedding) {
    await tx.query(
      'insert into commits.change_embeddings (request_id, repository_id, model, vector) values ($1, $2, $3, $4::real[])',
      [r.id, r.repositoryId, n.embedding.model, n.embedding.vector],
    );
  }
}

/** The repository's approved changes in one embedding model, newest first, for reuse. */
export async function approvedChanges(
  conn: SqlConnection,
  repositoryId: string,
  model: string,
  limit: number,
): Promise<Array<{ requestId: string; message: string; topNames: string[]; vector: number[] }>> {
  return conn.query(
    `select e.request_id as "requestId", f.message,
            coalesce((select array_agg(t->>'name' order by o) from jsonb_array_elements(s.result->'top')
                        with ordinality as x(t, o)), '{}') as "topNames",
            e.vector
       from commits.change_embeddings e
       join commits.finalized_commits f on f.request_id = e.request_id
       join commits.scoping_results s on s.request_id = e.request_id
      where e.repository_id = $1 and e.model = $2
      order by f.approved_at desc
      limit $3`,
    [repositoryId, model, limit],
  );
}

export async function insertDrafts(
  tx: SqlConnection,
  requestId: string,
  drafts: NewRequest['drafts'],
): Promise<void> {
  for (const d of drafts) {
    await tx.query(
      `insert into commits.drafts (id, request_id, ordinal, type, scope, subject, body, breaking, message, origin,
         provider, model, llm_request_id, violations, notes, reused_from, similarity, saved_input_tokens)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15::jsonb, $16, $17, $18)`,
      [
        d.id,
        requestId,
        d.ordinal,
        d.type,
        d.scope,
        d.subject,
        d.body,
        d.breaking,
        d.message,
        d.origin,
        d.provider,
        d.model,
        d.llmRequestId,
        JSON.stringify(d.violations),
        JSON.stringify(d.notes),
        d.reusedFrom,
        d.similarity,
        d.savedInputTokens,
      ],
    );
  }
}

export async function findRequest(conn: SqlConnection, id: string): Promise<RequestRow | null> {
  const [row] = await conn.query<RequestRow>(
    `select ${requestColumns}, ${requestExtras} from commits.generation_requests where id = $1`,
    [id],
  );
  return row ?? null;
}

/** The request, locked until the transaction ends (approvals of one request run one at a time). */
export async function lockRequest(tx: SqlConnection, id: string): Promise<RequestRow | null> {
  const [row] = await tx.query<RequestRow>(
    `select ${requestColumns} from commits.generation_requests where id = $1 for update`,
    [id],
  );
  return row ?? null;
}

export async function listRequests(
  conn: SqlConnection,
  repositoryId: string,
  options: { limit: number; before?: { createdAt: Date; id: string }; status?: RequestStatus },
): Promise<RequestRow[]> {
  return conn.query<RequestRow>(
    `select ${requestColumns}, ${requestExtras} from commits.generation_requests
      where repository_id = $1
        and ($2::timestamptz is null or (created_at, id) < ($2::timestamptz, $3::uuid))
        and ($4::text is null or status = $4)
      order by created_at desc, id desc
      limit $5`,
    [
      repositoryId,
      options.before?.createdAt ?? null,
      options.before?.id ?? null,
      options.status ?? null,
      options.limit,
    ],
  );
}

export async function draftsOf(conn: SqlConnection, requestId: string): Promise<DraftRow[]> {
  return conn.query<DraftRow>(
    `select ${draftColumns} from commits.drafts where request_id = $1 order by ordinal`,
    [requestId],
  );
}

export async function fragmentsOf(conn: SqlConnection, requestId: string): Promise<FragmentRow[]> {
  return conn.query<FragmentRow>(
    `select ordinal, path, old_path as "oldPath", status, language, added_lines as "addedLines",
            removed_lines as "removedLines", hunks, elements
       from commits.diff_fragments where request_id = $1 order by ordinal`,
    [requestId],
  );
}

export async function scopingOf(
  conn: SqlConnection,
  requestId: string,
): Promise<Record<string, unknown> | null> {
  const [row] = await conn.query<{ result: Record<string, unknown> }>(
    'select result from commits.scoping_results where request_id = $1',
    [requestId],
  );
  return row?.result ?? null;
}

export async function inputContextOf(conn: SqlConnection, requestId: string) {
  const [row] = await conn.query<{
    tokenBudget: number;
    totalTokens: number;
    sections: unknown[];
    prompt: string;
  }>(
    `select token_budget as "tokenBudget", total_tokens as "totalTokens", sections, prompt
       from commits.input_contexts where request_id = $1`,
    [requestId],
  );
  return row ?? null;
}

export async function nextDraftOrdinal(tx: SqlConnection, requestId: string): Promise<number> {
  const [row] = await tx.query<{ next: number }>(
    'select coalesce(max(ordinal), 0)::int + 1 as next from commits.drafts where request_id = $1',
    [requestId],
  );
  return row?.next ?? 1;
}

export async function setStatus(tx: SqlConnection, id: string, status: RequestStatus): Promise<void> {
  await tx.query('update commits.generation_requests set status = $2, updated_at = now() where id = $1', [
    id,
    status,
  ]);
}

export async function insertFinalized(
  tx: SqlConnection,
  row: Pick<FinalizedRow, 'requestId' | 'draftId' | 'message' | 'approvedBy'>,
): Promise<FinalizedRow> {
  const [inserted] = await tx.query<FinalizedRow>(
    `insert into commits.finalized_commits (request_id, draft_id, message, approved_by, approved_at)
     values ($1, $2, $3, $4, now())
     returning ${finalizedColumns}`,
    [row.requestId, row.draftId, row.message, row.approvedBy],
  );
  return inserted as FinalizedRow;
}

export async function finalizedOf(conn: SqlConnection, requestId: string): Promise<FinalizedRow | null> {
  const [row] = await conn.query<FinalizedRow>(
    `select ${finalizedColumns} from commits.finalized_commits where request_id = $1`,
    [requestId],
  );
  return row ?? null;
}

export async function recordOutcome(
  tx: SqlConnection,
  requestId: string,
  outcome: { commitSha: string | null; pushError: string | null },
): Promise<void> {
  await tx.query(
    `update commits.finalized_commits set commit_sha = coalesce($2, commit_sha), push_error = $3, updated_at = now()
      where request_id = $1`,
    [requestId, outcome.commitSha, outcome.pushError],
  );
}

/** Approved requests of the repository that no agent has reported on yet, oldest first. */
export async function pendingApprovals(
  conn: SqlConnection,
  repositoryId: string,
): Promise<Array<RequestRow & { message: string }>> {
  return conn.query(
    `select ${requestColumns
      .split(',')
      .map((c) => `r.${c.trim()}`)
      .join(', ')}, f.message
       from commits.generation_requests r join commits.finalized_commits f on f.request_id = r.id
      where r.repository_id = $1 and r.status = 'approved'
      order by f.approved_at, r.id`,
    [repositoryId],
  );
}

export async function recentMessages(
  conn: SqlConnection,
  repositoryId: string,
  limit: number,
): Promise<string[]> {
  const rows = await conn.query<{ message: string }>(
    `select message from commits.recorded_commits where repository_id = $1 order by committed_at desc, sha limit $2`,
    [repositoryId, limit],
  );
  return rows.map((r) => r.message);
}

export async function recordCommits(
  conn: SqlConnection,
  repositoryId: string,
  commits: ReadonlyArray<{
    sha: string;
    message: string;
    committedAt: Date;
    origin: 'hook' | 'import' | 'keel';
  }>,
): Promise<number> {
  if (commits.length === 0) return 0;
  const rows = await conn.query(
    `insert into commits.recorded_commits (repository_id, sha, message, origin, committed_at)
     select $1, x.sha, x.message, x.origin, x.committed_at
       from unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) as x(sha, message, origin, committed_at)
     on conflict (repository_id, sha) do nothing
     returning sha`,
    [
      repositoryId,
      commits.map((c) => c.sha),
      commits.map((c) => c.message),
      commits.map((c) => c.origin),
      commits.map((c) => c.committedAt.toISOString()),
    ],
  );
  return rows.length;
}

export async function saveDescription(
  conn: SqlConnection,
  requestId: string,
  text: string,
  createdBy: string,
) {
  await conn.query(
    `insert into commits.descriptions (request_id, text, created_by) values ($1, $2, $3)
     on conflict (request_id) do update set text = excluded.text, created_by = excluded.created_by, created_at = now()`,
    [requestId, text, createdBy],
  );
}
