import { z } from 'zod';
import { iso } from './commits.http.js';
import type { RepositoryWithLevel } from './repositories/repositories.service.js';
import type { DraftRow, FinalizedRow, FragmentRow, RequestRow } from './requests/requests.repository.js';

/** The JSON shapes of `/commits` (snake_case, like every Keel API). */

export const idParams = z.object({ id: z.uuid() });

const name = z.string().trim().min(1, 'must not be empty').max(200);

export const repositoryBody = z.object({
  name,
  remote_url: z.string().trim().max(2000).nullable().optional(),
  default_branch: z.string().trim().min(1).max(255).nullable().optional(),
  convention: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      '{ kind: "conventional" } | { kind: "gitmoji", style: "code" | "unicode" } | { kind: "custom", template }',
    ),
  language: z.enum(['ko', 'en']).nullable().optional().describe('null: follow the repository history'),
  rules: z.array(z.unknown()).max(100).optional().describe('commit-message rules; see docs/commits.md'),
  ignore_patterns: z.array(z.string().min(1).max(500)).max(200).optional(),
});

export const repositoryPatch = repositoryBody.partial();

export const repositorySchema = z.object({
  id: z.uuid(),
  org_id: z.uuid().nullable(),
  owner_user_id: z.uuid(),
  name: z.string(),
  remote_url: z.string().nullable(),
  default_branch: z.string().nullable(),
  convention: z.record(z.string(), z.unknown()),
  language: z.enum(['ko', 'en']).nullable(),
  rules: z.array(z.unknown()),
  ignore_patterns: z.array(z.string()),
  access: z.enum(['R', 'W', 'A']).describe('your level: read, write (draft, approve), admin'),
  created_at: z.string(),
  updated_at: z.string(),
});

export function repositoryDto({
  repository: r,
  level,
}: RepositoryWithLevel): z.infer<typeof repositorySchema> {
  return {
    id: r.id,
    org_id: r.orgId,
    owner_user_id: r.ownerUserId,
    name: r.name,
    remote_url: r.remoteUrl,
    default_branch: r.defaultBranch,
    convention: r.convention,
    language: r.language,
    rules: r.rules,
    ignore_patterns: r.ignorePatterns,
    access: level,
    created_at: iso(r.createdAt) as string,
    updated_at: iso(r.updatedAt) as string,
  };
}

export const accessBody = z.object({ level: z.enum(['R', 'W', 'A']) });
export const teamParams = z.object({ id: z.uuid(), teamId: z.uuid() });

export const historyBody = z.object({
  commits: z
    .array(
      z.object({
        sha: z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a commit hash'),
        message: z.string().min(1).max(20_000),
        committed_at: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1)
    .max(500),
  origin: z.enum(['hook', 'import']).default('import'),
});

/** The most a diff (with contents) may weigh; capture caps what a client sends far below this. */
export const MAX_REQUEST_BYTES = 24 * 1024 * 1024;

export const createRequestBody = z.object({
  repository_id: z.uuid(),
  diff: z.string().min(1, 'must not be empty').describe('the change as a unified diff (git diff)'),
  contents: z
    .record(
      z.string(),
      z.object({ old: z.string().nullable().optional(), new: z.string().nullable().optional() }),
    )
    .optional()
    .describe('full contents before/after by path, so declarations can be read'),
  trigger: z.enum(['hook', 'watch', 'cli', 'api', 'web']).default('api'),
  branch: z.string().max(255).nullable().optional(),
  head_sha: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/, 'must be a commit hash')
    .nullable()
    .optional(),
  count: z.number().int().min(1).max(3).default(2).describe('drafts wanted'),
  language: z.enum(['ko', 'en']).optional(),
});

export const listRequestsQuery = z.object({
  repository_id: z.uuid(),
  status: z.enum(['ready', 'approved', 'rejected', 'committed', 'pushed', 'push_failed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});

export const approveBody = z.object({
  draft_id: z.uuid().nullable().optional(),
  message: z.string().max(20_000).nullable().optional().describe('the message as edited; else the draft'),
});

export const regenerateBody = z.object({ count: z.number().int().min(1).max(3).default(2) });

export const reportBody = z.object({
  status: z.enum(['committed', 'pushed', 'push_failed']),
  commit_sha: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/, 'must be a commit hash')
    .nullable()
    .optional(),
  error: z.string().max(4000).nullable().optional(),
});

const requestSchema = z.object({
  id: z.uuid(),
  repository_id: z.uuid(),
  repository_name: z.string().nullable(),
  message_header: z
    .string()
    .nullable()
    .describe('the approved message, else the first draft: its first line'),
  user_id: z.uuid(),
  trigger: z.string(),
  source: z.string(),
  branch: z.string().nullable(),
  head_sha: z.string().nullable(),
  status: z.string(),
  files: z.number(),
  added_lines: z.number(),
  removed_lines: z.number(),
  truncated: z.boolean(),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  language: z.string(),
  elapsed_ms: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
});

const draftSchema = z.object({
  id: z.uuid(),
  ordinal: z.number(),
  type: z.string(),
  scope: z.string().nullable(),
  subject: z.string(),
  body: z.string(),
  breaking: z.boolean(),
  message: z.string(),
  origin: z.string(),
  provider: z.string(),
  model: z.string(),
  violations: z.array(z.unknown()),
  notes: z.array(z.string()),
  reuse: z
    .object({ request_id: z.uuid(), similarity: z.number(), saved_input_tokens: z.number().nullable() })
    .nullable()
    .describe('set when adapted from an approved change instead of calling a model'),
  created_at: z.string(),
});

const fragmentSchema = z.object({
  path: z.string(),
  old_path: z.string().nullable(),
  status: z.string(),
  language: z.string().nullable(),
  added_lines: z.number(),
  removed_lines: z.number(),
  hunks: z.array(z.unknown()),
  elements: z.array(z.unknown()),
});

const finalizedSchema = z.object({
  draft_id: z.uuid().nullable(),
  message: z.string(),
  approved_by: z.uuid(),
  approved_at: z.string(),
  commit_sha: z.string().nullable(),
  push_error: z.string().nullable(),
});

export const requestSummarySchema = requestSchema;

export const requestDetailSchema = requestSchema.extend({
  drafts: z.array(draftSchema),
  files_changed: z.array(fragmentSchema),
  scoping: z.record(z.string(), z.unknown()).nullable(),
  finalized: finalizedSchema.nullable(),
  review: z
    .object({ url: z.string(), expires_at: z.string(), notification_id: z.uuid().nullable() })
    .nullable()
    .optional()
    .describe('on creation: the single-use review link sent to you (10 minutes)'),
});

export const tokenParams = z.object({ token: z.string().min(1).max(200) });

export const reviewDetailSchema = requestDetailSchema.extend({
  link: z.object({ expires_at: z.string() }),
});

export const reviewStatusSchema = z.object({
  id: z.uuid(),
  status: z.string(),
  finalized: finalizedSchema.nullable(),
  link: z.object({ expires_at: z.string(), used_at: z.string().nullable() }),
});

export function requestDto(r: RequestRow): z.infer<typeof requestSchema> {
  return {
    id: r.id,
    repository_id: r.repositoryId,
    repository_name: r.repositoryName ?? null,
    message_header: r.messageHeader || null,
    user_id: r.userId,
    trigger: r.trigger,
    source: r.source,
    branch: r.branch,
    head_sha: r.headSha,
    status: r.status,
    files: r.files,
    added_lines: r.addedLines,
    removed_lines: r.removedLines,
    truncated: r.truncated,
    skipped: r.skipped,
    language: r.language,
    elapsed_ms: r.elapsedMs,
    created_at: iso(r.createdAt) as string,
    updated_at: iso(r.updatedAt) as string,
  };
}

function draftDto(d: DraftRow): z.infer<typeof draftSchema> {
  return {
    id: d.id,
    ordinal: d.ordinal,
    type: d.type,
    scope: d.scope,
    subject: d.subject,
    body: d.body,
    breaking: d.breaking,
    message: d.message,
    origin: d.origin,
    provider: d.provider,
    model: d.model,
    violations: d.violations,
    notes: d.notes,
    reuse: d.reusedFrom
      ? { request_id: d.reusedFrom, similarity: d.similarity ?? 0, saved_input_tokens: d.savedInputTokens }
      : null,
    created_at: iso(d.createdAt) as string,
  };
}

export function requestDetailDto(detail: {
  request: RequestRow;
  drafts: DraftRow[];
  fragments: FragmentRow[];
  scoping: Record<string, unknown> | null;
  finalized: FinalizedRow | null;
  review?: { url: string; expiresAt: Date; notificationId: string | null } | null;
}): z.infer<typeof requestDetailSchema> {
  const f = detail.finalized;
  const review = detail.review
    ? {
        review: {
          url: detail.review.url,
          expires_at: detail.review.expiresAt.toISOString(),
          notification_id: detail.review.notificationId,
        },
      }
    : {};
  return {
    ...review,
    ...requestDto(detail.request),
    drafts: detail.drafts.map(draftDto),
    files_changed: detail.fragments.map((x) => ({
      path: x.path,
      old_path: x.oldPath,
      status: x.status,
      language: x.language,
      added_lines: x.addedLines,
      removed_lines: x.removedLines,
      hunks: x.hunks,
      elements: x.elements,
    })),
    scoping: detail.scoping,
    finalized: f
      ? {
          draft_id: f.draftId,
          message: f.message,
          approved_by: f.approvedBy,
          approved_at: iso(f.approvedAt) as string,
          commit_sha: f.commitSha,
          push_error: f.pushError,
        }
      : null,
  };
}
