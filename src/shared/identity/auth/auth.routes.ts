import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KeelError } from '../../../kernel/errors/index.js';
import { cookieOf, PUBLIC } from '../../../kernel/http/index.js';
import type { IdentityServices } from '../identity.context.js';
import {
  clearSessionCookies,
  clientOf,
  REFRESH_COOKIE,
  sendSignedIn,
  signedInSchema,
} from '../sessions/session-cookies.js';

const logoutBody = z
  .object({ refresh_token: z.string().min(1).max(200).optional() })
  .nullish()
  .describe('The refresh token; browsers send it as the keel_refresh cookie instead.');

/** `/auth`: password sign-in, refresh (rotation), logout. Phone and Google sign-in mount beside. */
export function authRoutes(services: IdentityServices): FastifyPluginAsyncZod {
  const { sessions, passwords, ctx } = services;
  return async function authPlugin(app) {
    app.post(
      '/password',
      {
        config: { action: PUBLIC },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with username and password (admin accounts)',
          body: z.object({
            username: z.string().min(1).max(64),
            password: z.string().min(1).max(256),
          }),
          response: { 200: signedInSchema },
        },
      },
      async (request, reply) => {
        const signedIn = await passwords.signIn(
          request.body.username,
          request.body.password,
          clientOf(request),
        );
        return sendSignedIn(reply, ctx.config, signedIn);
      },
    );

    app.post(
      '/refresh',
      {
        config: { action: PUBLIC },
        schema: {
          tags: ['auth'],
          summary: 'Exchange a refresh token for a new access token and a new refresh token',
          description:
            'Every refresh rotates the refresh token. Presenting a rotated token again revokes the whole session.',
          body: z
            .object({
              refresh_token: z.string().min(1).max(200).optional(),
              org_id: z
                .uuid()
                .optional()
                .describe('Act in this organization from now on (you must belong to it)'),
            })
            .nullish()
            .describe('The refresh token; browsers send it as the keel_refresh cookie instead.'),
          response: { 200: signedInSchema },
        },
      },
      async (request, reply) => {
        const token = request.body?.refresh_token ?? cookieOf(request, REFRESH_COOKIE);
        if (!token)
          throw new KeelError(
            'unauthorized',
            'No refresh token: send refresh_token or the keel_refresh cookie.',
          );
        const signedIn = await sessions.refresh(token, clientOf(request), { orgId: request.body?.org_id });
        return sendSignedIn(reply, ctx.config, signedIn);
      },
    );

    app.post(
      '/logout',
      {
        config: { action: PUBLIC },
        schema: {
          tags: ['auth'],
          summary: 'End the session of this refresh token and clear the cookies',
          body: logoutBody,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const token = request.body?.refresh_token ?? cookieOf(request, REFRESH_COOKIE);
        if (token) await sessions.logout(token);
        clearSessionCookies(reply, ctx.config);
        return reply.code(204).send(null);
      },
    );
  };
}
