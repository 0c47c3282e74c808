import type { Database, SqlConnection } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { ChunkStrategy } from '../chunking/index.js';
import { liveDocumentIds, recordEvent, setDeleted } from '../documents/documents.repository.js';
import type { SearchPort } from '../documents/search-port.js';
import {
  agentLinks,
  deleteShare,
  linkAgent,
  listShares,
  type Permission,
  putShare,
  type ShareRow,
  type SubjectKind,
  unlinkAgent,
} from '../shares/shares.repository.js';
import {
  type BaseRow,
  type BaseSettings,
  defaultPersonalBase,
  findBase,
  insertBase,
  listBases,
  readableBaseIds,
  type Scope,
  softDeleteBase,
  updateBase,
} from './bases.repository.js';
import { type Access, accessOf, type Caller, requireAccess } from './caller.js';
import type { Page } from './keyset.js';

/** A base as its caller sees it: with what they may do. */
export type BaseView = Omit<BaseRow, 'shared' | 'cursorMicros'> & { access: Exclude<Access, 'none'> };

/** The teams a user belongs to (identity owns teams; knowledge only needs the ids). */
export type TeamDirectory = (userId: string) => Promise<readonly string[]>;

/** The llm embedding space every base's chunks are embedded in (1536 dimensions). */
export const EMBEDDING_SPACE = 'text';

export const defaultSettings = {
  chunkStrategy: 'auto' as ChunkStrategy,
  chunkSize: 500,
  chunkOverlap: 50,
};

/**
 * Knowledge bases: CRUD, the access rule, shares and agent links (seed 003 §4.7, seed 002
 * `knowledge_bases` / `agent_knowledgebases`). A base made while acting in an org belongs to the
 * org; otherwise it is personal.
 *
 * @example
 * const base = await bases.create(caller, { name: 'Runbooks' });
 * await bases.shares.put(caller, base.id, { subjectKind: 'team', subjectId: teamId, permission: 'read' });
 * await bases.agents.link(caller, agentId, base.id, 1.5); // the Agents product
 */
export interface KnowledgeBases {
  create(caller: Caller, input: Partial<BaseSettings> & { name: string }): Promise<BaseView>;
  list(caller: Caller, query: { limit: number; cursor?: string }): Promise<Page<BaseView>>;
  get(caller: Caller, id: string): Promise<BaseView>;
  update(caller: Caller, id: string, patch: Partial<BaseSettings>): Promise<BaseView>;
  /** Soft-deletes the base and its documents (out of search at once; purged later). */
  remove(caller: Caller, id: string): Promise<void>;
  /** The base if the caller holds `needed` on it: 404 when they may not see it, 403 when they may only see it. */
  authorize(
    caller: Caller,
    id: string,
    needed: Exclude<Access, 'none'>,
    conn?: SqlConnection,
  ): Promise<BaseView>;
  /** The caller's default base for uploads: their oldest personal base, made when they have none. */
  defaultBase(tx: SqlConnection, caller: Caller): Promise<string>;
  readableIds(caller: Caller): Promise<string[]>;
  scopeOf(caller: Caller): Promise<Scope>;
  shares: {
    list(caller: Caller, baseId: string): Promise<ShareRow[]>;
    put(
      caller: Caller,
      baseId: string,
      share: { subjectKind: SubjectKind; subjectId: string; permission: Permission },
    ): Promise<{ share: ShareRow; created: boolean }>;
    remove(
      caller: Caller,
      baseId: string,
      subject: { subjectKind: SubjectKind; subjectId: string },
    ): Promise<void>;
  };
  /** For the Agents product: which bases an agent searches. Linking takes read access to the base. */
  agents: {
    link(caller: Caller, agentId: string, baseId: string, weight?: number): Promise<void>;
    unlink(caller: Caller, agentId: string, baseId: string): Promise<boolean>;
    basesOf(agentId: string): Promise<Array<{ knowledgeBaseId: string; weight: number }>>;
  };
}

export function createKnowledgeBases(deps: {
  db: Database;
  search: SearchPort;
  teamIdsOf?: TeamDirectory;
}): KnowledgeBases {
  const { db, search, teamIdsOf } = deps;

  async function scopeOf(caller: Caller): Promise<Scope> {
    return { ...caller, teamIds: teamIdsOf ? await teamIdsOf(caller.userId) : [] };
  }

  function view(row: BaseRow, access: Exclude<Access, 'none'>): BaseView {
    const { shared: _shared, cursorMicros: _cursor, ...rest } = row;
    return { ...rest, access };
  }

  async function authorize(
    who: Caller | Scope,
    id: string,
    needed: Exclude<Access, 'none'>,
    conn: SqlConnection = db,
  ): Promise<BaseView> {
    if (conn !== db && !('teamIds' in who)) {
      throw new Error('authorize inside a transaction needs a Scope made before it');
    }
    const scope = 'teamIds' in who ? who : await scopeOf(who);
    const row = await findBase(conn, id, scope, { lock: conn !== db });
    const access = row ? accessOf(row, scope, row.shared) : 'none';
    requireAccess(access, needed);
    return view(row as BaseRow, access as Exclude<Access, 'none'>);
  }

  function checkSettings(settings: BaseSettings, field = 'body.chunk_overlap'): void {
    if (settings.chunkOverlap >= settings.chunkSize) {
      throw new KeelError(
        'validation_failed',
        `${field}: must be smaller than chunk_size (${settings.chunkSize})`,
        {
          details: {
            errors: [{ field, message: `must be smaller than chunk_size (${settings.chunkSize})` }],
          },
        },
      );
    }
  }

  async function created(caller: Caller, id: string): Promise<BaseView> {
    return authorize(caller, id, 'read');
  }

  return {
    async create(caller, input) {
      const settings: BaseSettings = {
        name: input.name,
        description: input.description ?? null,
        chunkStrategy: input.chunkStrategy ?? defaultSettings.chunkStrategy,
        chunkSize: input.chunkSize ?? defaultSettings.chunkSize,
        chunkOverlap:
          input.chunkOverlap ?? Math.min(defaultSettings.chunkOverlap, (input.chunkSize ?? 500) - 1),
      };
      checkSettings(settings);
      const id = await insertBase(db, {
        ...settings,
        orgId: caller.orgId,
        ownerUserId: caller.userId,
        embeddingModel: EMBEDDING_SPACE,
      });
      return created(caller, id);
    },

    async list(caller, query) {
      const page = await listBases(db, await scopeOf(caller), query);
      return {
        items: page.items.map((row) =>
          view(row, accessOf(row, caller, row.shared) as Exclude<Access, 'none'>),
        ),
        nextCursor: page.nextCursor,
      };
    },

    get: (caller, id) => authorize(caller, id, 'read'),

    async update(caller, id, patch) {
      const base = await authorize(caller, id, 'manage');
      const settings: BaseSettings = {
        name: patch.name ?? base.name,
        description: patch.description === undefined ? base.description : patch.description,
        chunkStrategy: patch.chunkStrategy ?? base.chunkStrategy,
        chunkSize: patch.chunkSize ?? base.chunkSize,
        chunkOverlap: patch.chunkOverlap ?? base.chunkOverlap,
      };
      checkSettings(settings, patch.chunkOverlap === undefined ? 'body.chunk_size' : 'body.chunk_overlap');
      await updateBase(db, id, settings);
      return authorize(caller, id, 'read');
    },

    async remove(caller, id) {
      const scope = await scopeOf(caller);
      await db.transaction(async (tx) => {
        await authorize(scope, id, 'manage', tx);
        for (const documentId of await liveDocumentIds(tx, id)) {
          await search.unindexDocument(tx, documentId);
          await setDeleted(tx, documentId, true);
          await recordEvent(tx, documentId, 'deleted', { with_base: true });
        }
        await softDeleteBase(tx, id);
      });
    },

    authorize,

    async defaultBase(tx, caller) {
      // One default per user even when two first uploads race: they queue on this lock.
      await tx.query(`select pg_advisory_xact_lock(hashtextextended('knowledge.default-base:' || $1, 0))`, [
        caller.userId,
      ]);
      const existing = await defaultPersonalBase(tx, caller.userId);
      if (existing) return existing;
      return insertBase(tx, {
        name: 'My documents',
        description: 'Created with your first upload.',
        ...defaultSettings,
        orgId: null,
        ownerUserId: caller.userId,
        embeddingModel: EMBEDDING_SPACE,
      });
    },

    async readableIds(caller) {
      return readableBaseIds(db, await scopeOf(caller));
    },

    scopeOf,

    shares: {
      async list(caller, baseId) {
        await authorize(caller, baseId, 'manage');
        return listShares(db, baseId);
      },
      async put(caller, baseId, share) {
        if (share.subjectKind === 'team' && !teamIdsOf) {
          throw new KeelError(
            'validation_failed',
            'body.subject_kind: team shares are not available in this build',
            {
              details: {
                errors: [
                  { field: 'body.subject_kind', message: 'team shares are not available in this build' },
                ],
              },
            },
          );
        }
        await authorize(caller, baseId, 'manage');
        return putShare(db, baseId, share, caller.userId);
      },
      async remove(caller, baseId, subject) {
        await authorize(caller, baseId, 'manage');
        if (!(await deleteShare(db, baseId, subject))) throw new KeelError('not_found', 'No such share.');
      },
    },

    agents: {
      async link(caller, agentId, baseId, weight = 1) {
        await authorize(caller, baseId, 'read');
        if (!(weight > 0 && weight <= 100)) {
          throw new KeelError('validation_failed', 'weight: must be greater than 0 and at most 100', {
            details: { errors: [{ field: 'weight', message: 'must be greater than 0 and at most 100' }] },
          });
        }
        await linkAgent(db, agentId, baseId, weight);
      },
      async unlink(caller, agentId, baseId) {
        await authorize(caller, baseId, 'read');
        return unlinkAgent(db, agentId, baseId);
      },
      basesOf: (agentId) => agentLinks(db, agentId),
    },
  };
}
