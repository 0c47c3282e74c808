import { type ModuleContext, servicesPerContext } from '../../kernel/module/index.js';
import { teamIdsOfUser } from '../identity/index.js';
import { llmServices } from '../llm/index.js';
import { planAllowances } from '../plans/index.js';
import { createKnowledgeBases, type KnowledgeBases, type TeamDirectory } from './bases/bases.service.js';
import type { EventsOptions } from './documents/documents.routes.js';
import { createKnowledgeDocuments, type KnowledgeDocuments } from './documents/documents.service.js';
import { type SearchPort, searchPort } from './documents/search-port.js';
import type { Embed } from './ingest/embed.js';
import { ingestJobOptions } from './ingest/ingest.job.js';
import { createIngest, type Ingest } from './ingest/ingest.js';
import { createIngestQueue } from './ingest/ingest-queue.js';
import { createUploads, type Uploads } from './ingest/upload.js';
import { createStorage, type DocumentStorage } from './storage/index.js';

/**
 * The knowledge module's services, one set per database and key set: routes, jobs and other
 * modules (through index.ts) share them.
 *
 * @example
 * const knowledge = knowledgeServices(ctx);
 * const base = await knowledge.bases.create(caller, { name: 'Runbooks' });
 * const page = await knowledge.documents.list(caller, { knowledgeBaseId: base.id }, { limit: 20 });
 */
export interface Knowledge {
  bases: KnowledgeBases;
  documents: KnowledgeDocuments;
  uploads: Uploads;
  ingest: Ingest;
  storage: DocumentStorage;
  search: SearchPort;
  embed: Embed;
  /** Queues `knowledge.ingest` for a pending document. */
  enqueue(documentId: string): Promise<void>;
  /** Stops the ingest sender (the app's onClose and the worker role's stop call it). */
  close(): Promise<void>;
}

/** Test seams and wiring: another storage or search side, a job sender, the team directory. */
export interface KnowledgeOptions {
  storage?: DocumentStorage;
  search?: SearchPort;
  /** Default: a send-only pg-boss queue on the module's database. */
  enqueue?: (documentId: string) => Promise<void>;
  /** Which teams a user is in (team shares); default: identity's memberships. */
  teamIdsOf?: TeamDirectory;
  /** The progress stream's polling. */
  events?: EventsOptions;
}

export const knowledgeServices = servicesPerContext(
  (ctx: ModuleContext, options: KnowledgeOptions = {}): Knowledge => {
    const { db, log, config } = ctx;
    const storage = options.storage ?? createStorage(config);
    const search = options.search ?? searchPort;
    const embed: Embed = (request) => llmServices(ctx).embed(request);
    const queue = options.enqueue ? null : createIngestQueue(db, log);
    const enqueue =
      options.enqueue ?? ((documentId: string) => (queue as NonNullable<typeof queue>).enqueue(documentId));
    const teamIdsOf = options.teamIdsOf ?? ((userId: string) => teamIdsOfUser(db, userId));
    const bases = createKnowledgeBases({ db, search, teamIdsOf });
    return {
      bases,
      documents: createKnowledgeDocuments({ db, bases, search, embed, enqueue }),
      uploads: createUploads({
        db,
        log,
        storage,
        bases,
        allowances: planAllowances(ctx),
        enqueue,
        search,
      }),
      ingest: createIngest({ db, log, storage, search, embed, retryLimit: ingestJobOptions.retryLimit }),
      storage,
      search,
      embed,
      enqueue,
      close: async () => {
        await queue?.close();
      },
    };
  },
);
