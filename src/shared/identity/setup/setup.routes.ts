import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PUBLIC } from '../../../kernel/http/index.js';
import type { IdentityServices } from '../identity.context.js';
import { googleConfigFrom } from '../oauth/index.js';
import { MIN_PASSWORD_LENGTH } from '../passwords/passwords.service.js';
import { clientOf, sendSignedIn, signedInSchema } from '../sessions/session-cookies.js';
import { createSetup, SETUP_TTL_HOURS } from './setup.service.js';

/**
 * `/auth/methods` (which sign-ins this server offers, for the sign-in page) and `/auth/setup`
 * (the first admin, from the one-time link the server prints at start while there is none).
 */
export function setupRoutes(services: IdentityServices): FastifyPluginAsyncZod {
  const { ctx } = services;
  const setup = createSetup(services);
  return async function setupPlugin(app) {
    app.addHook('onListen', async function printSetupLink() {
      const token = await setup.issue();
      if (!token) return;
      const address = app.server.address();
      const base =
        ctx.config.publicUrl.endsWith(':0') && address && typeof address === 'object'
          ? `http://localhost:${address.port}`
          : ctx.config.publicUrl;
      const url = `${base}/app/setup?token=${token}`;
      ctx.log.warn(
        { setup_url: url },
        `Keel has no admin yet: open the setup link to create one (valid ${SETUP_TTL_HOURS} h)`,
      );
      if (process.stderr.isTTY)
        process.stderr.write(
          `\n  Keel has no admin yet. Create one here (valid ${SETUP_TTL_HOURS} h):\n  ${url}\n\n`,
        );
    });

    app.get(
      '/methods',
      {
        config: { action: PUBLIC },
        schema: {
          tags: ['auth'],
          summary: 'The sign-in methods this server offers',
          security: [],
          response: { 200: z.object({ password: z.boolean(), phone: z.boolean(), google: z.boolean() }) },
        },
      },
      async () => ({ password: true, phone: true, google: googleConfigFrom(ctx.config.settings) !== null }),
    );

    app.get(
      '/setup',
      {
        config: { action: PUBLIC },
        schema: {
          tags: ['auth'],
          summary: 'Whether this server still needs its first admin',
          security: [],
          response: { 200: z.object({ needed: z.boolean() }) },
        },
      },
      async () => ({ needed: await setup.needed() }),
    );

    app.post(
      '/setup',
      {
        config: { action: PUBLIC },
        schema: {
          tags: ['auth'],
          summary: 'Create the first admin with the one-time link the server printed, and sign in',
          security: [],
          body: z
            .object({
              token: z.string().min(20).max(100),
              username: z
                .string()
                .regex(/^[A-Za-z0-9_.-]{3,64}$/, 'must be 3-64 letters, digits, dots, dashes or underscores'),
              password: z.string().min(MIN_PASSWORD_LENGTH).max(256),
            })
            .strict(),
          response: { 200: signedInSchema },
        },
      },
      async (request, reply) => {
        const { token, username, password } = request.body;
        const signedIn = await setup.complete(token, username, password, clientOf(request));
        return sendSignedIn(reply, ctx.config, signedIn);
      },
    );
  };
}
