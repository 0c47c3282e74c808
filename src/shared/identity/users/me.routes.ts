import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KeelError } from '../../../kernel/errors/index.js';
import { principalOf } from '../access/principal.js';
import type { IdentityServices } from '../identity.context.js';
import { accountDto, accountSchema, idParams, limits } from '../identity.schemas.js';

const sessionSchema = z.object({
  id: z.uuid(),
  method: z.enum(['google', 'phone', 'password']),
  current: z.boolean(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  browser: z.string().nullable(),
  os: z.string().nullable(),
  device_type: z.string().nullable(),
  created_at: z.iso.datetime(),
  last_seen_at: z.iso.datetime(),
  expires_at: z.iso.datetime(),
});

/** JSON settings are small preferences, not a document store. */
const maxSettingsBytes = 16_384;

/** `/me`: your own account, profile, settings and signed-in devices. */
export function meRoutes(services: IdentityServices): FastifyPluginAsyncZod {
  const { users, sessions } = services;
  return async function mePlugin(app) {
    app.get(
      '/',
      {
        config: { action: 'me.read' },
        schema: {
          tags: ['me'],
          summary: 'Your account, profile and settings',
          response: { 200: accountSchema },
        },
      },
      async (request) => accountDto(await users.account(principalOf(request).userId)),
    );

    app.patch(
      '/profile',
      {
        config: { action: 'me.update' },
        schema: {
          tags: ['me'],
          summary: 'Change your nickname, country or full name',
          body: z
            .object({
              nickname: z.string().trim().min(1).max(limits.nickname).nullable(),
              country_code: z
                .string()
                .regex(/^[A-Z]{3}$/, 'must be an ISO 3166-1 alpha-3 code such as KOR')
                .nullable(),
              full_name: z.string().trim().min(1).max(limits.name).nullable(),
            })
            .partial()
            .strict(),
          response: { 200: accountSchema },
        },
      },
      async (request) => {
        const { nickname, country_code: countryCode, full_name: fullName } = request.body;
        return accountDto(
          await users.updateProfile(principalOf(request).userId, { nickname, countryCode, fullName }),
        );
      },
    );

    app.patch(
      '/settings',
      {
        config: { action: 'me.update' },
        schema: {
          tags: ['me'],
          summary: 'Change notification, language and other settings',
          body: z
            .object({
              notifications_enabled: z.boolean(),
              language: z.enum(['ko', 'en']),
              settings: z
                .record(z.string().max(100), z.unknown())
                .refine((value) => JSON.stringify(value).length <= maxSettingsBytes, {
                  message: `must serialize to at most ${maxSettingsBytes} bytes`,
                }),
            })
            .partial()
            .strict(),
          response: { 200: accountSchema },
        },
      },
      async (request) => {
        const body = request.body;
        return accountDto(
          await users.updateSettings(principalOf(request).userId, {
            notificationsEnabled: body.notifications_enabled,
            language: body.language,
            settings: body.settings,
          }),
        );
      },
    );

    app.get(
      '/sessions',
      {
        config: { action: 'me.read' },
        schema: {
          tags: ['me'],
          summary: 'Your signed-in devices',
          response: { 200: z.object({ items: z.array(sessionSchema) }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const items = await sessions.list(principal.userId);
        return {
          items: items.map((s) => ({
            id: s.id,
            method: s.method,
            current: s.id === principal.sessionId,
            ip: s.ip,
            user_agent: s.userAgent,
            browser: s.browser,
            os: s.os,
            device_type: s.deviceType,
            created_at: s.createdAt.toISOString(),
            last_seen_at: s.lastSeenAt.toISOString(),
            expires_at: s.expiresAt.toISOString(),
          })),
        };
      },
    );

    app.delete(
      '/sessions/:id',
      {
        config: { action: 'me.update' },
        schema: {
          tags: ['me'],
          summary: 'Sign out one of your devices',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const revoked = await sessions.revoke(principalOf(request).userId, request.params.id);
        if (!revoked) throw new KeelError('not_found', 'No such active session of yours.');
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/sessions/revoke-all',
      {
        config: { action: 'me.update' },
        schema: {
          tags: ['me'],
          summary: 'Sign out every device (optionally keeping this one)',
          body: z
            .object({ keep_current: z.boolean().default(false) })
            .strict()
            .default({ keep_current: false }),
          response: { 200: z.object({ revoked: z.number().int() }) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const keep = request.body?.keep_current ? (principal.sessionId ?? undefined) : undefined;
        return { revoked: await sessions.revokeAll(principal.userId, 'revoked_all', keep) };
      },
    );
  };
}
