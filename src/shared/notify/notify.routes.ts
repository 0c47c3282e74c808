import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ModuleContext } from '../../kernel/module/index.js';
import { configRoutes } from './config/config.routes.js';
import { noticesRoutes } from './notices/notices.routes.js';
import type { Notify } from './notify.context.js';
import { selfRoutes } from './prefs/self.routes.js';
import { sendRoutes } from './send/send.routes.js';
import { templatesRoutes } from './templates/templates.routes.js';

/** Every `/notify` route. */
export function notifyRoutes(ctx: ModuleContext, notify: Notify): FastifyPluginAsyncZod {
  return async function notifyPlugin(app) {
    await app.register(selfRoutes({ db: ctx.db, secrets: ctx.secrets, channels: notify.channels }));
    await app.register(sendRoutes({ db: ctx.db, notify }));
    await app.register(configRoutes(notify.channels));
    await app.register(templatesRoutes(notify.templates));
    await app.register(noticesRoutes(ctx.db));
  };
}
