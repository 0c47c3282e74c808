import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { projectRoot } from '../paths.js';
import { PUBLIC } from './access.js';

/** Where `npm run build:web` writes the single-page app. */
export const webDist = join(projectRoot, 'web', 'dist');

/**
 * The web app at `/app/` (its base path, so client routes never collide with API paths): files
 * from web/dist, `index.html` for every other `/app/…` path (deep links), `/` redirected to it.
 * Hashed assets are cached for a year; `index.html` never, so a new build shows at once.
 */
export function webRoutes(options: { root?: string } = {}): FastifyPluginAsync {
  const root = options.root ?? webDist;
  return async function webPlugin(app) {
    await app.register(fastifyStatic, { root, serve: false });

    app.get('/', { config: { action: PUBLIC }, schema: { hide: true } }, (_request, reply) =>
      reply.redirect('/app/', 302),
    );
    app.get('/app', { config: { action: PUBLIC }, schema: { hide: true } }, (_request, reply) =>
      reply.redirect('/app/', 301),
    );
    app.get<{ Params: { '*': string } }>(
      '/app/*',
      { config: { action: PUBLIC }, schema: { hide: true } },
      async (request, reply) => {
        if (!existsSync(join(root, 'index.html'))) {
          return reply
            .code(503)
            .type('text/plain; charset=utf-8')
            .send('The web app is not built. Run `npm run build:web` (npm install does it), then reload.\n');
        }
        const wanted = normalize(request.params['*'] || 'index.html');
        const file = wanted.startsWith('..') || wanted.includes(`..${sep}`) ? null : join(root, wanted);
        if (file?.startsWith(root + sep) && isFile(file)) {
          const immutable = wanted.startsWith(`assets${sep}`);
          return reply
            .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
            .sendFile(wanted, root, { cacheControl: false });
        }
        // A client route (a deep link): the app decides what it shows.
        return reply
          .header('cache-control', 'no-cache')
          .sendFile('index.html', root, { cacheControl: false });
      },
    );
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
