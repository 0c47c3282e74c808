import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ModuleContext } from '../../kernel/module/index.js';
import { basesRoutes } from './bases/bases.routes.js';
import { documentsRoutes, type EventsOptions } from './documents/documents.routes.js';
import { searchRoutes } from './documents/search.routes.js';
import { uploadRoutes } from './ingest/upload.routes.js';
import type { Knowledge } from './knowledge.context.js';

/** Every `/api` route of knowledge: `/knowledge-bases…` and `/documents…`. */
export function knowledgeRoutes(
  ctx: ModuleContext,
  knowledge: Knowledge,
  events?: EventsOptions,
): FastifyPluginAsyncZod {
  return async function knowledgePlugin(app) {
    // Scoped to these routes; limits are set per upload (the caller's plan).
    await app.register(multipart, { throwFileSizeLimit: true });
    app.addHook('onClose', async () => knowledge.close());
    await app.register(basesRoutes(knowledge.bases));
    await app.register(uploadRoutes(knowledge.uploads));
    await app.register(
      searchRoutes({ db: ctx.db, bases: knowledge.bases, search: knowledge.search, embed: knowledge.embed }),
    );
    await app.register(documentsRoutes(ctx.db, knowledge.documents, events));
  };
}
