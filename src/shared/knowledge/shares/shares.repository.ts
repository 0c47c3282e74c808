import type { SqlConnection } from '../../../kernel/db/index.js';

export type SubjectKind = 'user' | 'team';
export type Permission = 'read' | 'write';

export interface ShareRow {
  subjectKind: SubjectKind;
  subjectId: string;
  permission: Permission;
  createdBy: string | null;
  createdAt: Date;
}

const columns = `subject_kind as "subjectKind", subject_id as "subjectId", permission, created_by as "createdBy",
  created_at as "createdAt"`;

/** Creates the share or changes its permission; returns it and whether it is new. */
export async function putShare(
  conn: SqlConnection,
  baseId: string,
  share: { subjectKind: SubjectKind; subjectId: string; permission: Permission },
  createdBy: string,
): Promise<{ share: ShareRow; created: boolean }> {
  const [row] = await conn.query<ShareRow & { created: boolean }>(
    `insert into knowledge.shares (knowledge_base_id, subject_kind, subject_id, permission, created_by)
     values ($1, $2, $3, $4, $5)
     on conflict (knowledge_base_id, subject_kind, subject_id) do update set permission = excluded.permission
     returning ${columns}, (xmax = 0) as created`,
    [baseId, share.subjectKind, share.subjectId, share.permission, createdBy],
  );
  const { created, ...rest } = row as ShareRow & { created: boolean };
  return { share: rest, created };
}

export async function deleteShare(
  conn: SqlConnection,
  baseId: string,
  subject: { subjectKind: SubjectKind; subjectId: string },
): Promise<boolean> {
  const rows = await conn.query(
    `delete from knowledge.shares where knowledge_base_id = $1 and subject_kind = $2 and subject_id = $3 returning 1`,
    [baseId, subject.subjectKind, subject.subjectId],
  );
  return rows.length > 0;
}

export async function listShares(conn: SqlConnection, baseId: string): Promise<ShareRow[]> {
  return conn.query<ShareRow>(
    `select ${columns} from knowledge.shares where knowledge_base_id = $1 order by created_at, subject_id`,
    [baseId],
  );
}

/** Seed 002 `agent_knowledgebases`: which bases an agent searches, with a weight each. */
export async function linkAgent(
  conn: SqlConnection,
  agentId: string,
  baseId: string,
  weight: number,
): Promise<void> {
  await conn.query(
    `insert into knowledge.agent_knowledge_bases (agent_id, knowledge_base_id, weight) values ($1, $2, $3)
     on conflict (agent_id, knowledge_base_id) do update set weight = excluded.weight`,
    [agentId, baseId, weight],
  );
}

export async function unlinkAgent(conn: SqlConnection, agentId: string, baseId: string): Promise<boolean> {
  const rows = await conn.query(
    `delete from knowledge.agent_knowledge_bases where agent_id = $1 and knowledge_base_id = $2 returning 1`,
    [agentId, baseId],
  );
  return rows.length > 0;
}

export async function agentLinks(
  conn: SqlConnection,
  agentId: string,
): Promise<Array<{ knowledgeBaseId: string; weight: number }>> {
  return conn.query(
    `select a.knowledge_base_id as "knowledgeBaseId", a.weight from knowledge.agent_knowledge_bases a
     join knowledge.knowledge_bases b on b.id = a.knowledge_base_id and b.deleted_at is null
     where a.agent_id = $1 order by a.created_at, a.knowledge_base_id`,
    [agentId],
  );
}
