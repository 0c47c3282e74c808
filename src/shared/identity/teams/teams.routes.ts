import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../access/principal.js';
import type { IdentityServices } from '../identity.context.js';
import { limits, memberDto, memberSchemaOf } from '../identity.schemas.js';
import { pageQuery, plainText } from '../orgs/listing.js';
import { callerOf } from '../orgs/org-access.js';
import type { TeamView } from './teams.service.js';

const teamRole = z.enum(['viewer', 'member', 'maintainer']);
const visibility = z
  .enum(['org', 'private'])
  .describe('org: the whole org sees it; private: its members only');
const maxDescription = 2_000;

const teamSchema = z.object({
  id: z.uuid(),
  org_id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  visibility,
  my_role: teamRole.nullable().describe('Your role in this team, or null'),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

const memberSchema = memberSchemaOf(teamRole);

const orgParams = z.object({ orgId: z.uuid() });
const teamParams = orgParams.extend({ id: z.uuid() });
const memberParams = teamParams.extend({ userId: z.uuid() });

function teamDto(team: TeamView): z.infer<typeof teamSchema> {
  return {
    id: team.id,
    org_id: team.orgId,
    name: team.name,
    description: team.description,
    visibility: team.visibility,
    my_role: team.myRole,
    created_at: team.createdAt.toISOString(),
    updated_at: team.updatedAt.toISOString(),
  };
}

/**
 * `/orgs/:orgId/teams`: an org's teams and their members. An org you are not in, and a private
 * team you may not see, are 404s. Writes take the org's org_admin, checked in the database.
 */
export function teamsRoutes(services: IdentityServices): FastifyPluginAsyncZod {
  const { teams } = services;
  return async function teamsPlugin(app) {
    app.post(
      '/',
      {
        config: { action: 'teams.manage' },
        schema: {
          tags: ['teams'],
          summary: 'Create a team (names are unique per org, ignoring case)',
          params: orgParams,
          body: z
            .object({
              name: plainText(limits.name),
              description: plainText(maxDescription).nullable().optional(),
              visibility: visibility.default('org'),
            })
            .strict(),
          response: { 201: teamSchema },
        },
      },
      async (request, reply) => {
        const team = await teams.create(callerOf(principalOf(request)), request.params.orgId, request.body);
        return reply.code(201).send(teamDto(team));
      },
    );

    app.get(
      '/',
      {
        config: { action: 'teams.read' },
        schema: {
          tags: ['teams'],
          summary: "The org's teams you may see, oldest first",
          params: orgParams,
          querystring: pageQuery,
          response: { 200: z.object({ items: z.array(teamSchema), next_cursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const page = await teams.list(callerOf(principalOf(request)), request.params.orgId, request.query);
        return { items: page.items.map(teamDto), next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/:id',
      {
        config: { action: 'teams.read' },
        schema: { tags: ['teams'], summary: 'One team', params: teamParams, response: { 200: teamSchema } },
      },
      async (request) => {
        const { orgId, id } = request.params;
        return teamDto(await teams.get(callerOf(principalOf(request)), orgId, id));
      },
    );

    app.patch(
      '/:id',
      {
        config: { action: 'teams.manage' },
        schema: {
          tags: ['teams'],
          summary: 'Rename a team, change its description or visibility',
          params: teamParams,
          body: z
            .object({
              name: plainText(limits.name),
              description: plainText(maxDescription).nullable(),
              visibility,
            })
            .partial()
            .strict()
            .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one field' }),
          response: { 200: teamSchema },
        },
      },
      async (request) => {
        const { orgId, id } = request.params;
        return teamDto(await teams.update(callerOf(principalOf(request)), orgId, id, request.body));
      },
    );

    app.delete(
      '/:id',
      {
        config: { action: 'teams.manage' },
        schema: {
          tags: ['teams'],
          summary: 'Delete a team and its memberships',
          params: teamParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const { orgId, id } = request.params;
        await teams.remove(callerOf(principalOf(request)), orgId, id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/:id/members',
      {
        config: { action: 'teams.read' },
        schema: {
          tags: ['teams'],
          summary: "The team's members, in the order they joined",
          params: teamParams,
          querystring: pageQuery,
          response: { 200: z.object({ items: z.array(memberSchema), next_cursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        const { orgId, id } = request.params;
        const page = await teams.members(callerOf(principalOf(request)), orgId, id, request.query);
        return { items: page.items.map(memberDto), next_cursor: page.nextCursor };
      },
    );

    app.put(
      '/:id/members/:userId',
      {
        config: { action: 'teams.manage' },
        schema: {
          tags: ['teams'],
          summary: 'Add an org member to the team, or change their team role',
          description: 'A user who is not a member of the org is a 400 naming params.userId.',
          params: memberParams,
          body: z.object({ role: teamRole }).strict(),
          response: { 200: memberSchema },
        },
      },
      async (request) => {
        const { orgId, id, userId } = request.params;
        return memberDto(
          await teams.setMember(callerOf(principalOf(request)), orgId, id, userId, request.body.role),
        );
      },
    );

    app.delete(
      '/:id/members/:userId',
      {
        config: { action: 'teams.manage' },
        schema: {
          tags: ['teams'],
          summary: 'Remove a member from the team',
          params: memberParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const { orgId, id, userId } = request.params;
        await teams.removeMember(callerOf(principalOf(request)), orgId, id, userId);
        return reply.code(204).send(null);
      },
    );
  };
}
