import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Migration } from '../db/index.js';
import { KeelError } from '../errors/index.js';
import type { JobQueue } from '../jobs/index.js';
import { createMetrics } from '../metrics/index.js';
import { declaredActions, type KeelModule, type ModuleContext } from '../module/index.js';
import { runWithTrace, traceUuidFromHeaders } from '../trace/index.js';
import { type AccessProvider, type Authorize, checkAccess, noIdentity, PUBLIC } from './access.js';
import { jobsRoutes } from './jobs.routes.js';
import { createRouteIndex } from './method-not-allowed.js';
import { errorHandler, sendProblem } from './problem.js';
import { securityHeaders } from './security-headers.js';
import { systemRoutes } from './system.routes.js';
import { webRoutes } from './web.routes.js';

export interface AppDeps extends ModuleContext {
  modules: readonly KeelModule[];
  /** Migrations this build knows, so `/ready` can tell whether the database is current. */
  migrations: readonly Migration[];
  queueDepths?: () => Promise<Array<{ queue: string; depth: number }>>;
  /** The job queue, for `/admin/jobs` (absent in processes and tests without one). */
  jobs?: Pick<JobQueue, 'states' | 'deadLetters'>;
  /**
   * Checks a route's RBAC action for a request. Default: the access provider of the module that
   * declares one (identity), else nobody is signed in. Tests may pass their own.
   */
  authorize?: Authorize;
  /** True once shutdown began: `/ready` turns 503 so load balancers stop sending traffic. */
  isShuttingDown?: () => boolean;
  version: string;
  /** The built web app (default web/dist); tests point it at a fixture. */
  webRoot?: string;
}

/** One registered route and the action it requires (null: none declared, so it is closed). */
export interface RouteAccess {
  method: string;
  url: string;
  action: string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared access rule (for the deny-by-default test and the admin console). */
    routeAccess(): RouteAccess[];
  }
}

export type KeelApp = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** The one Fastify app factory, used by `keel serve` and by tests (`app.inject()`). */
export async function buildApp(deps: AppDeps): Promise<KeelApp> {
  const { config, log } = deps;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Keel logs one line per request itself (onResponse), with the route pattern and timing.
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: the log mixin already adds the trace uuid from the request's
    // async context, and building a redacting child costs ~5% of a small request's CPU.
    childLoggerFactory: (logger) => logger,
    bodyLimit: config.bodyLimit,
    // A hop count is documented and supported at run time; the overloads' types omit it.
    trustProxy: config.trustProxy as boolean | string,
    // The request id *is* the trace uuid, so Fastify's own log lines and ours agree.
    requestIdHeader: false,
    genReqId: (req) => traceUuidFromHeaders(req.headers),
    // Keel answers requests that arrive while draining itself, as problem+json (below).
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = createMetrics({ poolStats: deps.db.poolStats, queueDepths: deps.queueDepths });
  const routes = createRouteIndex();
  const access: RouteAccess[] = [];
  app.decorate('routeAccess', () => [...access]);
  // Body parsing resumes on the socket's async context, which lost the trace: routes that take a
  // body enter it again before validation (a route-level hook, so GET routes pay nothing).
  const restoreTrace = (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    runWithTrace({ traceUuid: String(request.id) }, done);
  };
  app.addHook('onRoute', (route) => {
    routes.add(route.method, route.url);
    // The API reference UI (static files) is public by nature; every other route declares itself.
    if (route.url === '/docs' || route.url.startsWith('/docs/'))
      route.config = { ...route.config, action: PUBLIC };
    // The API reference shows which routes need credentials (and offers to send them).
    if (route.config?.action === PUBLIC && route.schema) route.schema = { ...route.schema, security: [] };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      access.push({ method, url: route.url, action: route.config?.action ?? null });
    if (methods.some((m) => m !== 'GET' && m !== 'HEAD')) {
      const existing = route.preValidation;
      route.preValidation = [
        restoreTrace,
        ...(existing ? (Array.isArray(existing) ? existing : [existing]) : []),
      ];
    }
  });

  // Answered from onRequest, before any body is read: a wrong method with a bad body is still 405.
  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = routes.allowedMethods(path);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        request,
        reply,
        new KeelError(
          'method_not_allowed',
          `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}.`,
        ),
      );
    }
    return sendProblem(request, reply, new KeelError('not_found', `No route ${request.method} ${path}.`));
  };
  // Once close() begins, every response says `connection: close`: a keep-alive client would
  // otherwise hold its socket open and stall close() until the keep-alive timeout.
  let draining = false;
  app.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
  const probes = new Set(['/health', '/ready', '/metrics']);
  const security = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        'frame-ancestors': ["'none'"],
        // Over plain HTTP (a laptop, a LAN) upgrading would break every request the page makes.
        'upgrade-insecure-requests': config.publicUrl.startsWith('https:') ? [] : null,
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-trace-uuid', request.id);
    // Probes are read by load balancers and monitors, never rendered by a browser.
    if (!probes.has(request.routeOptions.url ?? '')) reply.headers(security);
    if (deps.isShuttingDown?.() && !probes.has(request.routeOptions.url ?? '')) {
      reply.header('connection', 'close');
      sendProblem(
        request,
        reply,
        new KeelError('shutting_down', 'This instance is shutting down; retry on another.'),
      );
      return;
    }
    if (request.is404) {
      notFound(request, reply);
      return;
    }
    runWithTrace({ traceUuid: String(request.id) }, done);
  });
  const moduleContext = (module: KeelModule): ModuleContext => ({
    config,
    db: deps.db,
    log: log.child({ module: module.name }),
    secrets: deps.secrets,
    encryptedColumns: deps.encryptedColumns,
    userErasers: deps.userErasers,
  });
  const accessProvider = resolveAccessProvider(deps, moduleContext);
  const authorize = accessProvider?.authorize ?? noIdentity;
  app.decorateRequest('principal', null);
  // Before validation: a caller who may not use a route learns nothing from its validation
  // errors, and a refused mutation is audited even when its body was bad too.
  app.addHook('preValidation', (request, _reply, done) => {
    // Public routes skip the promise: they include the probes that must stay cheap.
    if (request.routeOptions.config.action === PUBLIC) return done();
    const check = () => {
      let pending: void | Promise<void>;
      try {
        pending = checkAccess(request, authorize);
      } catch (error) {
        return done(error as Error);
      }
      if (pending) pending.then(() => done(), done);
      else done();
    };
    // Body parsing lost the trace context (see restoreTrace); requests without a body kept it.
    if (request.method === 'GET' || request.method === 'HEAD') check();
    else runWithTrace({ traceUuid: String(request.id) }, check);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? '(unmatched)';
    const seconds = reply.elapsedTime / 1000;
    metrics.observeRequest(request.method, route, reply.statusCode, seconds);
    if (route !== '/metrics' && route !== '/health') {
      log.info(
        {
          method: request.method,
          route,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request',
      );
    }
    done();
  });

  app.setErrorHandler(errorHandler(log));
  // After the hooks: Fastify gives the not-found route only the hooks registered before it.
  app.setNotFoundHandler(notFound);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Keel API', version: deps.version, description: 'Keel: one platform, four products.' },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'An access token from a sign-in, or an API key (keel_…)',
          },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      // Every route needs credentials unless it says otherwise (public routes: `security: []`).
      security: [{ bearer: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  // Parsed on demand (cookieOf), not by a hook on every request; setting cookies still works.
  await app.register(cookie, { hook: false });
  if (accessProvider?.plugin) await app.register(skipOverride(accessProvider.plugin));
  for (const module of deps.modules) {
    if (module.appHooks) await app.register(skipOverride(module.appHooks(moduleContext(module))));
  }

  await app.register(systemRoutes, { deps, metrics });
  await app.register(webRoutes({ root: deps.webRoot }));
  await app.register(jobsRoutes(deps.jobs));
  for (const module of deps.modules) {
    if (!module.routes) continue;
    await app.register(module.routes.plugin(moduleContext(module)), {
      prefix: module.routes.prefix,
    });
  }
  return app;
}

/** The explicit `authorize` of the deps, else the one module that provides access control. */
function resolveAccessProvider(
  deps: AppDeps,
  contextOf: (module: KeelModule) => ModuleContext,
): AccessProvider | undefined {
  if (deps.authorize) return { authorize: deps.authorize };
  const providers = deps.modules.filter((m) => m.access);
  if (providers.length > 1)
    throw new Error(`only one module may provide access control: ${providers.map((m) => m.name).join(', ')}`);
  const [provider] = providers;
  return provider?.access?.(contextOf(provider), declaredActions(deps.modules));
}

/** Registers a plugin in the parent's scope, so its hooks apply to every route (fastify-plugin's trick). */
function skipOverride(plugin: FastifyPluginAsync): FastifyPluginAsync {
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}
