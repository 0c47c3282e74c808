import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KeelError } from '../../../kernel/errors/index.js';
import { principalOf } from '../access/principal.js';
import type { IdentityServices } from '../identity.context.js';
import { idParams } from '../identity.schemas.js';
import type { ApiKeyView } from './api-keys.service.js';

const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to recognize it'),
  actions: z.array(z.string()),
  expires_at: z.iso.datetime().nullable(),
  last_used_at: z.iso.datetime().nullable(),
  revoked_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
});

function apiKeyDto(key: ApiKeyView): z.infer<typeof apiKeySchema> {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    actions: key.actions,
    expires_at: key.expiresAt?.toISOString() ?? null,
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
    created_at: key.createdAt.toISOString(),
  };
}

/** `/api-keys`: your own keys. The key itself appears once, in the creation response. */
export function apiKeysRoutes(services: IdentityServices): FastifyPluginAsyncZod {
  const { apiKeys } = services;
  return async function apiKeysPlugin(app) {
    app.post(
      '/',
      {
        config: { action: 'api_keys.manage' },
        schema: {
          tags: ['api-keys'],
          summary: 'Create an API key scoped to some of your actions (the key is shown only here)',
          body: z
            .object({
              name: z.string().trim().min(1).max(100),
              actions: z
                .array(z.string().regex(/^[a-z][a-z0-9_.]{0,99}$/, 'must be an action code such as me.read'))
                .min(1)
                .max(200),
              expires_at: z.iso.datetime().optional(),
            })
            .strict(),
          response: { 201: apiKeySchema.extend({ key: z.string() }) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (principal.kind === 'api_key')
          throw new KeelError('forbidden', 'An API key cannot create API keys.');
        const created = await apiKeys.create(principal.userId, {
          name: request.body.name,
          actions: request.body.actions,
          expiresAt: request.body.expires_at ? new Date(request.body.expires_at) : null,
        });
        return reply.code(201).send({ ...apiKeyDto(created), key: created.key });
      },
    );

    app.get(
      '/',
      {
        config: { action: 'api_keys.manage' },
        schema: {
          tags: ['api-keys'],
          summary: 'Your API keys (never the keys themselves)',
          response: { 200: z.object({ items: z.array(apiKeySchema) }) },
        },
      },
      async (request) => ({ items: (await apiKeys.list(principalOf(request).userId)).map(apiKeyDto) }),
    );

    app.delete(
      '/:id',
      {
        config: { action: 'api_keys.manage' },
        schema: {
          tags: ['api-keys'],
          summary: 'Revoke an API key',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        if (!(await apiKeys.revoke(principalOf(request).userId, request.params.id)))
          throw new KeelError('not_found', 'No such active API key of yours.');
        return reply.code(204).send(null);
      },
    );
  };
}
