import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KeelError } from '../../../kernel/errors/index.js';
import type { Principal } from '../../../kernel/http/index.js';
import { actions, callerOf, channelKind, idParams } from '../notify.http.js';
import type { ChannelConfigView, ChannelSettings } from './channel-settings.js';

const configView = z.object({
  org_id: z.uuid().nullable(),
  channel: z.string(),
  enabled: z.boolean(),
  config: z.record(z.string(), z.unknown()),
  secrets_set: z.array(z.string()).describe('Names of the stored secrets; their values are never returned'),
  updated_at: z.iso.datetime(),
});
const scope = z.object({
  org_id: z.uuid().optional().describe("An org's settings; without it, the instance's (platform admins)"),
});
const allowlistSchema = z.object({
  id: z.uuid(),
  entry: z.string(),
  note: z.string().nullable(),
  created_by: z.uuid().nullable(),
  created_at: z.iso.datetime(),
});

const viewDto = (v: ChannelConfigView): z.infer<typeof configView> => ({
  org_id: v.orgId,
  channel: v.channel,
  enabled: v.enabled,
  config: v.config,
  secrets_set: v.secretsSet,
  updated_at: v.updatedAt.toISOString(),
});

/**
 * Platform admins set the instance's channels and any org's; an org admin sets their own org's
 * (which then replace the instance's for that org's sends).
 */
function scopeOf(caller: Principal, orgId: string | undefined): string | null {
  const platformAdmin = caller.roles.includes('admin');
  if (orgId === undefined) {
    if (!platformAdmin)
      throw new KeelError('forbidden', "Only platform admins change the instance's channels; pass org_id");
    return null;
  }
  if (!platformAdmin && caller.orgId !== orgId) {
    throw new KeelError('forbidden', 'You can change the channels of your current org only');
  }
  return orgId;
}

/** `/notify/channels` (per-org channel settings) and `/notify/allowlist` (the SSRF exceptions). */
export function configRoutes(channels: ChannelSettings): FastifyPluginAsyncZod {
  return async function notifyConfigPlugin(app) {
    app.get(
      '/channels',
      {
        config: { action: actions.channels },
        schema: {
          tags: ['notify'],
          summary: 'Channel settings of the instance or an org (secrets are never returned)',
          querystring: scope,
          response: { 200: z.object({ items: z.array(configView) }) },
        },
      },
      async (request) => {
        const orgId = scopeOf(callerOf(request), request.query.org_id);
        return { items: (await channels.list(orgId)).map(viewDto) };
      },
    );

    app.put(
      '/channels/:channel',
      {
        config: { action: actions.channels },
        schema: {
          tags: ['notify'],
          summary: 'Set up a channel (Slack, e-mail, SMS, Kakao, webhook, Web Push)',
          description:
            'Secrets left out keep their stored values. For webhooks without a signing secret and Web Push ' +
            'without VAPID keys, Keel generates them; a generated webhook secret is returned once.',
          params: z.object({ channel: channelKind }),
          querystring: scope,
          body: z
            .object({
              enabled: z.boolean().default(true),
              config: z.record(z.string(), z.unknown()).default({}),
              secrets: z.record(z.string(), z.unknown()).optional(),
            })
            .strict(),
          response: { 200: configView.extend({ generated_secrets: z.record(z.string(), z.string()) }) },
        },
      },
      async (request) => {
        const orgId = scopeOf(callerOf(request), request.query.org_id);
        const { view, generated } = await channels.set(orgId, request.params.channel, request.body);
        return { ...viewDto(view), generated_secrets: generated };
      },
    );

    app.delete(
      '/channels/:channel',
      {
        config: { action: actions.channels },
        schema: {
          tags: ['notify'],
          summary: "Remove a channel's settings (an org falls back to the instance's)",
          params: z.object({ channel: channelKind }),
          querystring: scope,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const orgId = scopeOf(callerOf(request), request.query.org_id);
        if (!(await channels.remove(orgId, request.params.channel))) {
          throw new KeelError('not_found', `${request.params.channel} has no settings here`);
        }
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/allowlist',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: 'Private hosts and ranges notify may call (exceptions to the SSRF guard)',
          response: { 200: z.object({ items: z.array(allowlistSchema) }) },
        },
      },
      async () => ({
        items: (await channels.allowlist.list()).map((r) => ({
          id: r.id,
          entry: r.entry,
          note: r.note,
          created_by: r.createdBy,
          created_at: r.createdAt.toISOString(),
        })),
      }),
    );

    app.post(
      '/allowlist',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: 'Allow a private host name or CIDR (e.g. hooks.internal, 10.1.0.0/16)',
          body: z
            .object({ entry: z.string().trim().min(1).max(255), note: z.string().max(500).optional() })
            .strict(),
          response: { 201: allowlistSchema },
        },
      },
      async (request, reply) => {
        const row = await channels.allowlist.add(
          request.body.entry,
          request.body.note ?? null,
          callerOf(request).userId,
        );
        return reply.code(201).send({
          id: row.id,
          entry: row.entry,
          note: row.note,
          created_by: row.createdBy,
          created_at: row.createdAt.toISOString(),
        });
      },
    );

    app.delete(
      '/allowlist/:id',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: 'Remove an allowlist entry',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        if (!(await channels.allowlist.remove(request.params.id)))
          throw new KeelError('not_found', 'no such entry');
        return reply.code(204).send(null);
      },
    );
  };
}
