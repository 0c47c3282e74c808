import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PUBLIC } from '../../kernel/http/index.js';
import type { Commits } from './commits.context.js';
import { actions, callerOf } from './commits.http.js';
import {
  accessBody,
  approveBody,
  createRequestBody,
  historyBody,
  idParams,
  listRequestsQuery,
  MAX_REQUEST_BYTES,
  regenerateBody,
  reportBody,
  repositoryBody,
  repositoryDto,
  repositoryPatch,
  repositorySchema,
  requestDetailDto,
  requestDetailSchema,
  requestDto,
  requestSummarySchema,
  reviewDetailSchema,
  reviewStatusSchema,
  teamParams,
  tokenParams,
} from './commits.schemas.js';

const tags = ['commits'];

/** `/commits`: repositories and their access, generation requests, approval and the agent's reports. */
export function commitsRoutes(commits: Commits): FastifyPluginAsyncZod {
  const { repositories, requests } = commits;
  return async function commitsPlugin(app) {
    app.post(
      '/repositories',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Register a repository (in the org you act in, else a personal one)',
          body: repositoryBody,
          response: { 201: repositorySchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const created = await repositories.create(callerOf(request), {
          name: b.name,
          remoteUrl: b.remote_url ?? null,
          defaultBranch: b.default_branch ?? null,
          ...(b.convention ? { convention: b.convention } : {}),
          language: b.language ?? null,
          ...(b.rules ? { rules: b.rules } : {}),
          ...(b.ignore_patterns ? { ignorePatterns: b.ignore_patterns } : {}),
        });
        return reply.code(201).send(repositoryDto(created));
      },
    );

    app.get(
      '/repositories',
      {
        config: { action: actions.read },
        schema: {
          tags,
          summary: 'The repositories you can reach',
          response: { 200: z.object({ items: z.array(repositorySchema) }) },
        },
      },
      async (request) => ({ items: (await repositories.list(callerOf(request))).map(repositoryDto) }),
    );

    app.get(
      '/repositories/:id',
      {
        config: { action: actions.read },
        schema: { tags, summary: 'One repository', params: idParams, response: { 200: repositorySchema } },
      },
      async (request) => repositoryDto(await repositories.get(callerOf(request), request.params.id)),
    );

    app.patch(
      '/repositories/:id',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Change its name, convention, language, rules or ignore patterns (admin access)',
          params: idParams,
          body: repositoryPatch,
          response: { 200: repositorySchema },
        },
      },
      async (request) => {
        const b = request.body;
        return repositoryDto(
          await repositories.update(callerOf(request), request.params.id, {
            ...(b.name !== undefined ? { name: b.name } : {}),
            ...(b.remote_url !== undefined ? { remoteUrl: b.remote_url } : {}),
            ...(b.default_branch !== undefined ? { defaultBranch: b.default_branch } : {}),
            ...(b.convention !== undefined ? { convention: b.convention } : {}),
            ...(b.language !== undefined ? { language: b.language } : {}),
            ...(b.rules !== undefined ? { rules: b.rules } : {}),
            ...(b.ignore_patterns !== undefined ? { ignorePatterns: b.ignore_patterns } : {}),
          }),
        );
      },
    );

    app.delete(
      '/repositories/:id',
      {
        config: { action: actions.write },
        schema: { tags, summary: 'Delete it with its requests and drafts (admin access)', params: idParams },
      },
      async (request, reply) => {
        await repositories.remove(callerOf(request), request.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      '/repositories/:id/access',
      {
        config: { action: actions.read },
        schema: {
          tags,
          summary: 'Teams with access and their level',
          params: idParams,
          response: {
            200: z.object({
              items: z.array(z.object({ team_id: z.uuid(), level: z.enum(['R', 'W', 'A']) })),
            }),
          },
        },
      },
      async (request) => ({
        items: (await repositories.access(callerOf(request), request.params.id)).map((a) => ({
          team_id: a.teamId,
          level: a.level,
        })),
      }),
    );

    app.put(
      '/repositories/:id/access/:teamId',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: "Give a team of the repository's org access",
          params: teamParams,
          body: accessBody,
        },
      },
      async (request, reply) => {
        await repositories.grant(
          callerOf(request),
          request.params.id,
          request.params.teamId,
          request.body.level,
        );
        return reply.code(204).send();
      },
    );

    app.delete(
      '/repositories/:id/access/:teamId',
      {
        config: { action: actions.write },
        schema: { tags, summary: "Remove a team's access", params: teamParams },
      },
      async (request, reply) => {
        await repositories.revoke(callerOf(request), request.params.id, request.params.teamId);
        return reply.code(204).send();
      },
    );

    app.post(
      '/repositories/:id/history',
      {
        config: { action: actions.write },
        bodyLimit: 8 * 1024 * 1024,
        schema: {
          tags,
          summary: "Record commits the repository has (hooks, history import): drafts learn the team's voice",
          params: idParams,
          body: historyBody,
          response: { 200: z.object({ recorded: z.number() }) },
        },
      },
      async (request) => ({
        recorded: await requests.recordHistory(
          callerOf(request),
          request.params.id,
          request.body.commits.map((c) => ({
            sha: c.sha,
            message: c.message,
            committedAt: new Date(c.committed_at),
            origin: request.body.origin,
          })),
        ),
      }),
    );

    app.get(
      '/repositories/:id/approved',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Approved messages waiting for the local agent to commit and push',
          params: idParams,
          response: {
            200: z.object({ items: z.array(requestSummarySchema.extend({ message: z.string() })) }),
          },
        },
      },
      async (request) => ({
        items: (await requests.pending(callerOf(request), request.params.id)).map((r) => ({
          ...requestDto(r),
          message: r.message,
        })),
      }),
    );

    app.post(
      '/requests',
      {
        config: { action: actions.write },
        bodyLimit: MAX_REQUEST_BYTES,
        schema: {
          tags,
          summary: 'Draft commit messages for a change (scoped, drafted, styled, checked against the rules)',
          body: createRequestBody,
          response: { 201: requestDetailSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const detail = await requests.create(callerOf(request), {
          repositoryId: b.repository_id,
          diff: b.diff,
          ...(b.contents ? { contents: b.contents } : {}),
          trigger: b.trigger,
          branch: b.branch ?? null,
          headSha: b.head_sha ?? null,
          count: b.count,
          ...(b.language ? { language: b.language } : {}),
        });
        return reply.code(201).send(requestDetailDto(detail));
      },
    );

    app.get(
      '/requests',
      {
        config: { action: actions.read },
        schema: {
          tags,
          summary: "A repository's requests, newest first",
          querystring: listRequestsQuery,
          response: {
            200: z.object({ items: z.array(requestSummarySchema), next_cursor: z.string().nullable() }),
          },
        },
      },
      async (request) => {
        const q = request.query;
        const page = await requests.list(callerOf(request), q.repository_id, {
          limit: q.limit,
          ...(q.cursor ? { cursor: q.cursor } : {}),
          ...(q.status ? { status: q.status } : {}),
        });
        return { items: page.items.map(requestDto), next_cursor: page.nextCursor };
      },
    );

    app.get(
      '/requests/:id',
      {
        config: { action: actions.read },
        schema: {
          tags,
          summary: 'A request with its drafts, changed files and scoping',
          params: idParams,
          response: { 200: requestDetailSchema },
        },
      },
      async (request) => requestDetailDto(await requests.get(callerOf(request), request.params.id)),
    );

    app.post(
      '/requests/:id/approve',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Approve a draft (as edited); once per request',
          params: idParams,
          body: approveBody,
          response: { 200: requestDetailSchema },
        },
      },
      async (request) =>
        requestDetailDto(
          await requests.approve(callerOf(request), request.params.id, {
            draftId: request.body.draft_id ?? null,
            message: request.body.message ?? null,
          }),
        ),
    );

    app.post(
      '/requests/:id/reject',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Reject the drafts',
          params: idParams,
          response: { 200: requestDetailSchema },
        },
      },
      async (request) => requestDetailDto(await requests.reject(callerOf(request), request.params.id)),
    );

    app.post(
      '/requests/:id/regenerate',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'Draft again (new drafts are added)',
          params: idParams,
          body: regenerateBody,
          response: { 200: requestDetailSchema },
        },
      },
      async (request) =>
        requestDetailDto(
          await requests.regenerate(callerOf(request), request.params.id, { count: request.body.count }),
        ),
    );

    app.post(
      '/requests/:id/describe',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: 'A pull-request description of the change (Markdown); counts against the plan’s describes',
          params: idParams,
          response: { 200: z.object({ description: z.string(), saved: z.boolean() }) },
        },
      },
      async (request) => {
        const { text, saved } = await requests.describe(callerOf(request), request.params.id);
        return { description: text, saved };
      },
    );

    app.post(
      '/requests/:id/report',
      {
        config: { action: actions.write },
        schema: {
          tags,
          summary: "The local agent's report: committed, pushed, or why the push failed",
          params: idParams,
          body: reportBody,
          response: { 200: requestDetailSchema },
        },
      },
      async (request) =>
        requestDetailDto(
          await requests.report(callerOf(request), request.params.id, {
            status: request.body.status,
            commitSha: request.body.commit_sha ?? null,
            error: request.body.error ?? null,
          }),
        ),
    );

    // The review link (Slack DM, e-mail, Web Push, Kakao): no session; the token is the credential.
    app.get(
      '/review/:token',
      {
        config: { action: PUBLIC },
        schema: {
          tags,
          summary: 'The request a review link is for (the link stays usable); 410 when expired or used',
          params: tokenParams,
          response: { 200: reviewDetailSchema },
        },
      },
      async (request) => {
        const found = await requests.byLink.get(request.params.token);
        return { ...requestDetailDto(found), link: { expires_at: found.linkExpiresAt.toISOString() } };
      },
    );

    app.get(
      '/review/:token/status',
      {
        config: { action: PUBLIC },
        schema: {
          tags,
          summary:
            "The request's status and commit through its review link, also once used (until it expires)",
          params: tokenParams,
          response: { 200: reviewStatusSchema },
        },
      },
      async (request) => {
        const { detail, expiresAt, usedAt } = await requests.byLink.status(request.params.token);
        const dto = requestDetailDto(detail);
        return {
          id: dto.id,
          status: dto.status,
          finalized: dto.finalized,
          link: { expires_at: expiresAt.toISOString(), used_at: usedAt?.toISOString() ?? null },
        };
      },
    );

    app.post(
      '/review/:token/approve',
      {
        config: { action: PUBLIC },
        schema: {
          tags,
          summary: 'Approve through the review link (uses it up)',
          params: tokenParams,
          body: approveBody,
          response: { 200: requestDetailSchema },
        },
      },
      async (request) =>
        requestDetailDto(
          await requests.byLink.approve(request.params.token, {
            draftId: request.body.draft_id ?? null,
            message: request.body.message ?? null,
          }),
        ),
    );

    app.post(
      '/review/:token/reject',
      {
        config: { action: PUBLIC },
        schema: {
          tags,
          summary: 'Reject through the review link (uses it up)',
          params: tokenParams,
          response: { 200: requestDetailSchema },
        },
      },
      async (request) => requestDetailDto(await requests.byLink.reject(request.params.token)),
    );

    app.post(
      '/review/:token/regenerate',
      {
        config: { action: PUBLIC },
        schema: {
          tags,
          summary: 'New drafts through the review link (the link stays usable)',
          params: tokenParams,
          body: regenerateBody,
          response: { 200: requestDetailSchema },
        },
      },
      async (request) =>
        requestDetailDto(
          await requests.byLink.regenerate(request.params.token, { count: request.body.count }),
        ),
    );
  };
}
