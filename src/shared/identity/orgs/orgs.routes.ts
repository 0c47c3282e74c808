import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../access/principal.js';
import type { IdentityServices } from '../identity.context.js';
import { idParams, limits, memberDto, memberSchemaOf } from '../identity.schemas.js';
import { pageQuery, plainText } from './listing.js';
import { callerOf } from './org-access.js';
import type { OrgView } from './orgs.service.js';

/** A lowercase DNS name of at least two labels, each 1-63 letters, digits or inner dashes. */
const domain = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be a lowercase DNS name such as acme.com',
  );

const orgRole = z.enum(['member', 'org_admin']);

export const orgSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  domain: z.string().nullable(),
  contract_status: z.enum(['trial', 'active', 'suspended', 'ended']),
  plan_key: z.string(),
  active: z.boolean(),
  owner_id: z.uuid().nullable(),
  my_role: orgRole.nullable().describe('Your role in this org (null: a platform admin who is not a member)'),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

const memberSchema = memberSchemaOf(orgRole);

const memberParams = idParams.extend({ userId: z.uuid() });

function orgDto(org: OrgView): z.infer<typeof orgSchema> {
  return {
    id: org.id,
    name: org.name,
    domain: org.domain,
    contract_status: org.contractStatus,
    plan_key: org.planKey,
    active: org.active,
    owner_id: org.ownerId,
    my_role: org.myRole,
    created_at: org.createdAt.toISOString(),
    updated_at: org.updatedAt.toISOString(),
  };
}

/**
 * `/orgs`: organizations and their members. An org you do not belong to is a 404, never a 403.
 * Roles live in the database; access tokens carry the current org and its role for up to ten
 * minutes, so a grant shows in the caller's actions after `/auth/refresh`, while these routes
 * check the membership on every request (a removal or demotion applies at once).
 */
export function orgsRoutes(services: IdentityServices): FastifyPluginAsyncZod {
  const { orgs } = services;
  return async function orgsPlugin(app) {
    app.post(
      '/',
      {
        config: { action: 'orgs.create' },
        schema: {
          tags: ['orgs'],
          summary: 'Create an organization; you become its org_admin',
          description: 'Your access token names the org role after the next /auth/refresh.',
          body: z.object({ name: plainText(limits.name), domain: domain.nullable().optional() }).strict(),
          response: { 201: orgSchema },
        },
      },
      async (request, reply) => {
        const org = await orgs.create(callerOf(principalOf(request)), request.body);
        return reply.code(201).send(orgDto(org));
      },
    );

    app.get(
      '/',
      {
        config: { action: 'orgs.read' },
        schema: {
          tags: ['orgs'],
          summary: 'The organizations you belong to, newest first (platform admins: all)',
          querystring: pageQuery,
          response: { 200: z.object({ items: z.array(orgSchema), next_cursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const page = await orgs.list(callerOf(principalOf(request)), request.query);
        return { items: page.items.map(orgDto), next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/:id',
      {
        config: { action: 'orgs.read' },
        schema: {
          tags: ['orgs'],
          summary: 'One organization you belong to',
          params: idParams,
          response: { 200: orgSchema },
        },
      },
      async (request) => orgDto(await orgs.get(callerOf(principalOf(request)), request.params.id)),
    );

    app.patch(
      '/:id',
      {
        config: { action: 'orgs.manage' },
        schema: {
          tags: ['orgs'],
          summary: 'Rename, change the domain or (de)activate an org you administer',
          description: 'contract_status and plan_key are for platform admins only (403 otherwise).',
          params: idParams,
          body: z
            .object({
              name: plainText(limits.name),
              domain: domain.nullable(),
              active: z.boolean(),
              contract_status: z.enum(['trial', 'active', 'suspended', 'ended']),
              plan_key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be a plan key such as org'),
            })
            .partial()
            .strict()
            .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one field' }),
          response: { 200: orgSchema },
        },
      },
      async (request) => {
        const body = request.body;
        const org = await orgs.update(callerOf(principalOf(request)), request.params.id, {
          name: body.name,
          domain: body.domain,
          active: body.active,
          contractStatus: body.contract_status,
          planKey: body.plan_key,
        });
        return orgDto(org);
      },
    );

    app.get(
      '/:id/members',
      {
        config: { action: 'orgs.read' },
        schema: {
          tags: ['orgs'],
          summary: "The org's members, in the order they joined",
          params: idParams,
          querystring: pageQuery,
          response: {
            200: z.object({ items: z.array(memberSchema), next_cursor: z.string().nullable() }),
          },
        },
      },
      async (request) => {
        const page = await orgs.members(callerOf(principalOf(request)), request.params.id, request.query);
        return { items: page.items.map(memberDto), next_cursor: page.nextCursor };
      },
    );

    app.put(
      '/:id/members/:userId',
      {
        config: { action: 'orgs.manage' },
        schema: {
          tags: ['orgs'],
          summary: 'Add a user to the org, or change their org role',
          description:
            'The user sees the change in their access token after their next /auth/refresh (tokens live up to 10 minutes). Demoting the last org_admin is a 409.',
          params: memberParams,
          body: z.object({ role: orgRole }).strict(),
          response: { 200: memberSchema },
        },
      },
      async (request) => {
        const { id, userId } = request.params;
        return memberDto(await orgs.setMember(callerOf(principalOf(request)), id, userId, request.body.role));
      },
    );

    app.delete(
      '/:id/members/:userId',
      {
        config: { action: 'orgs.manage' },
        schema: {
          tags: ['orgs'],
          summary: 'Remove a user from the org and its teams',
          description: 'An org must keep at least one org_admin (409).',
          params: memberParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const { id, userId } = request.params;
        await orgs.removeMember(callerOf(principalOf(request)), id, userId);
        return reply.code(204).send(null);
      },
    );
  };
}
