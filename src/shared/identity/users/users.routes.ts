import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../access/principal.js';
import type { IdentityServices } from '../identity.context.js';
import { idParams, limits, userDto, userSchema, userStatus } from '../identity.schemas.js';

const roleName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a role name such as admin');

/** `/users`: the admin's view of every account. */
export function usersRoutes(services: IdentityServices): FastifyPluginAsyncZod {
  const { users, passwords } = services;
  return async function usersPlugin(app) {
    app.get(
      '/',
      {
        config: { action: 'users.read' },
        schema: {
          tags: ['users'],
          summary: 'List users, newest first, with filters and search',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(100).default(25),
            cursor: z.string().max(200).optional(),
            status: userStatus.optional(),
            role: roleName.optional(),
            q: z.string().min(1).max(100).optional().describe('Substring of username, email or full name'),
          }),
          response: {
            200: z.object({
              items: z.array(userSchema),
              next_cursor: z.string().nullable(),
              total: z.number().int(),
            }),
          },
        },
      },
      async (request) => {
        const page = await users.list(request.query);
        return { items: page.items.map(userDto), next_cursor: page.nextCursor, total: page.total };
      },
    );

    app.post(
      '/',
      {
        config: { action: 'users.manage' },
        schema: {
          tags: ['users'],
          summary: 'Create a user (with a password, for admin and service accounts)',
          body: z
            .object({
              username: z
                .string()
                .regex(/^[A-Za-z0-9_.-]{3,64}$/, 'must be 3-64 letters, digits, dots, dashes or underscores'),
              email: z.email().max(limits.email).optional(),
              email_type: z.enum(['personal', 'work']).optional(),
              full_name: z.string().trim().min(1).max(limits.name).optional(),
              password: z.string().min(12).max(256).optional(),
              roles: z.array(roleName).max(10).default([]),
            })
            .strict(),
          response: { 201: userSchema },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const user = await users.create(
          {
            username: body.username,
            email: body.email,
            emailType: body.email_type,
            fullName: body.full_name,
            roles: body.roles,
          },
          principalOf(request).userId,
        );
        if (body.password) await passwords.set(user.id, body.password);
        return reply.code(201).send(userDto(user));
      },
    );

    app.get(
      '/:id',
      {
        config: { action: 'users.read' },
        schema: { tags: ['users'], summary: 'One user', params: idParams, response: { 200: userSchema } },
      },
      async (request) => userDto(await users.get(request.params.id)),
    );

    app.patch(
      '/:id',
      {
        config: { action: 'users.manage' },
        schema: {
          tags: ['users'],
          summary: 'Activate, deactivate or ban a user (deactivating ends their sessions)',
          params: idParams,
          body: z.object({ status: userStatus }).strict(),
          response: { 200: userSchema },
        },
      },
      async (request) => userDto(await users.setStatus(request.params.id, request.body.status)),
    );

    app.put(
      '/:id/roles/:role',
      {
        config: { action: 'roles.manage' },
        schema: {
          tags: ['users'],
          summary: 'Grant a global role',
          params: idParams.extend({ role: roleName }),
          response: { 200: userSchema },
        },
      },
      async (request) =>
        userDto(await users.grantRole(request.params.id, request.params.role, principalOf(request).userId)),
    );

    app.delete(
      '/:id/roles/:role',
      {
        config: { action: 'roles.manage' },
        schema: {
          tags: ['users'],
          summary: 'Revoke a global role',
          params: idParams.extend({ role: roleName }),
          response: { 200: userSchema },
        },
      },
      async (request) => userDto(await users.revokeRole(request.params.id, request.params.role)),
    );
  };
}
