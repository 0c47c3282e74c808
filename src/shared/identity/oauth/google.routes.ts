import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KeelError } from '../../../kernel/errors/index.js';
import { cookieOf, PUBLIC } from '../../../kernel/http/index.js';
import type { IdentityServices } from '../identity.context.js';
import { clientOf, sendSignedIn, signedInSchema } from '../sessions/session-cookies.js';
import type { GoogleConfig } from './google.config.js';
import {
  createGoogleSignIn,
  GOOGLE_STATE_TTL_MS,
  type GoogleSignIn,
  stateMismatch,
} from './google.service.js';
import { redirectToSchema } from './redirect-to.js';

/** Where the lead mounts these routes; the redirect URI and the state cookie follow it. */
export const GOOGLE_AUTH_PREFIX = '/auth/google';
export const OAUTH_STATE_COOKIE = 'keel_oauth_state';

export interface GoogleAuthOptions {
  /** From `googleConfigFrom(env)`; null turns Google sign-in off (routes answer 404). */
  config: GoogleConfig | null;
  now?: () => Date;
}

const problem = z
  .object({ code: z.string(), detail: z.string() })
  .loose()
  .describe('application/problem+json');
const redirect = z.null().describe('A redirect: see the Location header');

const callbackQuery = z.object({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().min(1).max(512).optional(),
  error: z.string().max(256).optional(),
});

/**
 * `GET /start` and `GET /callback`, mounted under `/auth/google`: sign-in with Google (OAuth 2.0
 * code flow with PKCE and an OIDC nonce). The browser is bound to its sign-in by a short-lived
 * SameSite=Lax cookie holding the state, so a callback URL made by somebody else (login CSRF)
 * is refused. A callback asking for JSON (`Accept: application/json`) gets the signed-in body
 * instead of the redirect.
 */
export function googleAuthRoutes(
  services: IdentityServices,
  options: GoogleAuthOptions,
): FastifyPluginAsyncZod {
  const { config, db, secrets } = services.ctx;
  const secure = config.publicUrl.startsWith('https:');
  const google: GoogleSignIn | null = options.config
    ? createGoogleSignIn({
        db,
        secrets,
        sessions: services.sessions,
        config: options.config,
        redirectUri: `${config.publicUrl}${GOOGLE_AUTH_PREFIX}/callback`,
        now: options.now,
      })
    : null;
  const configured = (): GoogleSignIn => {
    if (!google) throw new KeelError('not_found', 'Google sign-in is not configured.');
    return google;
  };
  // Lax, not Strict: the callback is a navigation from accounts.google.com, a cross-site
  // request that would not carry a Strict cookie.
  const clearStateCookie = (reply: FastifyReply) =>
    reply.clearCookie(OAUTH_STATE_COOKIE, {
      path: GOOGLE_AUTH_PREFIX,
      httpOnly: true,
      sameSite: 'lax',
      secure,
    });

  return async function googleAuthPlugin(app) {
    app.get(
      '/start',
      {
        config: { action: PUBLIC },
        schema: {
          summary: 'Start signing in with Google',
          tags: ['auth'],
          querystring: z.object({ redirect_to: redirectToSchema }),
          response: { 302: redirect, 400: problem, 404: problem },
        },
      },
      async function startGoogleSignIn(request, reply) {
        const { authorizationUrl, state } = await configured().start(request.query.redirect_to);
        reply.setCookie(OAUTH_STATE_COOKIE, state, {
          path: GOOGLE_AUTH_PREFIX,
          httpOnly: true,
          sameSite: 'lax',
          secure,
          maxAge: GOOGLE_STATE_TTL_MS / 1000,
        });
        return reply.redirect(authorizationUrl.toString(), 302);
      },
    );

    app.get(
      '/callback',
      {
        config: { action: PUBLIC },
        schema: {
          summary: 'Where Google returns after sign-in',
          tags: ['auth'],
          querystring: callbackQuery,
          response: {
            200: signedInSchema,
            302: redirect,
            400: problem,
            401: problem,
            403: problem,
            404: problem,
            409: problem,
          },
        },
      },
      async function finishGoogleSignIn(request, reply) {
        const google = configured();
        const { code, state, error } = request.query;
        const cookieState = cookieOf(request, OAUTH_STATE_COOKIE);
        clearStateCookie(reply);
        if (!state || !cookieState || cookieState !== state)
          throw new KeelError('bad_request', stateMismatch);
        if (error) {
          await google.abandon(state);
          throw new KeelError('unauthorized', `Google sign-in did not complete (${error}).`);
        }
        if (!code) throw new KeelError('bad_request', 'The callback carries no authorization code.');
        const { signedIn, redirectTo } = await google.finish({ code, state }, clientOf(request));
        const body = sendSignedIn(reply, config, signedIn);
        if (request.headers.accept?.includes('application/json')) return reply.code(200).send(body);
        return reply.redirect(redirectTo, 302);
      },
    );
  };
}
