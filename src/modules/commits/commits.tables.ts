import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, updatedAtColumn } from '../../kernel/db/columns.js';

/**
 * The Commits product (seed 000 `04_repo`, `05_customization_and_rules`; seed 001): repositories
 * and which teams reach them, generation requests with what was analysed and sent to the model,
 * the drafts, and the finalized commit. User, org and team ids are plain columns: identity owns
 * those rows.
 */
export const commitsSchema = pgSchema('commits');

const created = createdAtColumn;
const updated = updatedAtColumn;

export const repositories = commitsSchema.table(
  'repositories',
  {
    id: uuid('id').primaryKey(),
    /** The org that owns it, or null for a personal repository. */
    orgId: uuid('org_id'),
    ownerUserId: uuid('owner_user_id').notNull(),
    name: varchar('name', { length: 200 }).notNull(),
    /** Where it is pushed (informational; Keel never clones it). */
    remoteUrl: text('remote_url'),
    defaultBranch: varchar('default_branch', { length: 255 }),
    /** How messages are written: `{ kind: 'conventional' | 'gitmoji' | 'custom', … }`. */
    convention: jsonb('convention').$type<Record<string, unknown>>().notNull(),
    /** `ko` or `en`; null follows the repository's own history. */
    language: varchar('language', { length: 8 }),
    /** Commit-message rules (the rules library's schema), team level. */
    rules: jsonb('rules').$type<unknown[]>().notNull(),
    /** Extra ignore patterns (gitignore syntax) for the analysis. */
    ignorePatterns: text('ignore_patterns').array().notNull(),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('repositories_org_name_idx').on(t.orgId, t.name).where(sql`${t.orgId} is not null`),
    uniqueIndex('repositories_personal_name_idx').on(t.ownerUserId, t.name).where(sql`${t.orgId} is null`),
    check('repositories_language_check', sql`${t.language} is null or ${t.language} in ('ko', 'en')`),
  ],
);

/** Seed 000 `04_team_repository_access`: R read, W write (request drafts, approve), A admin. */
export const repositoryAccess = commitsSchema.table(
  'repository_access',
  {
    repositoryId: uuid('repository_id')
      .notNull()
      .references(() => repositories.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id').notNull(),
    level: varchar('level', { length: 1 }).notNull(),
    createdAt: created(),
  },
  (t) => [
    primaryKey({ columns: [t.repositoryId, t.teamId] }),
    index('repository_access_team_idx').on(t.teamId),
    check('repository_access_level_check', sql`${t.level} in ('R', 'W', 'A')`),
  ],
);

/** Seed 000 `05_commit_gen/01_gen_requests`: one captured change asking for drafts. */
export const generationRequests = commitsSchema.table(
  'generation_requests',
  {
    id: uuid('id').primaryKey(),
    repositoryId: uuid('repository_id')
      .notNull()
      .references(() => repositories.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    orgId: uuid('org_id'),
    /** hook | watch | cli | api | web */
    trigger: varchar('trigger', { length: 16 }).notNull(),
    /** working-tree | staged | range | diff-text */
    source: varchar('source', { length: 16 }).notNull(),
    branch: varchar('branch', { length: 255 }),
    headSha: varchar('head_sha', { length: 64 }),
    /** ready → approved | rejected; approved → committed → pushed | push_failed */
    status: varchar('status', { length: 16 }).notNull(),
    files: integer('files').notNull(),
    addedLines: integer('added_lines').notNull(),
    removedLines: integer('removed_lines').notNull(),
    truncated: boolean('truncated').notNull(),
    /** Files left out of the analysis and why. */
    skipped: jsonb('skipped').$type<Array<{ path: string; reason: string }>>().notNull(),
    language: varchar('language', { length: 8 }).notNull(),
    /** The time from receiving the change to the drafts being stored. */
    elapsedMs: integer('elapsed_ms').notNull(),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    index('generation_requests_repository_idx').on(t.repositoryId, t.createdAt),
    index('generation_requests_user_idx').on(t.userId, t.createdAt),
    check(
      'generation_requests_status_check',
      sql`${t.status} in ('ready', 'approved', 'rejected', 'committed', 'pushed', 'push_failed')`,
    ),
  ],
);

/** Seed 000 `04_scoping_results`: the Top-10, Top-3 themes and the type/scope candidates. */
export const scopingResults = commitsSchema.table('scoping_results', {
  requestId: uuid('request_id')
    .primaryKey()
    .references(() => generationRequests.id, { onDelete: 'cascade' }),
  result: jsonb('result').$type<Record<string, unknown>>().notNull(),
  createdAt: created(),
});

/** Seed 000 `06_input_context_details`: the prompt actually built, with its token counts. */
export const inputContexts = commitsSchema.table('input_contexts', {
  requestId: uuid('request_id')
    .primaryKey()
    .references(() => generationRequests.id, { onDelete: 'cascade' }),
  tokenBudget: integer('token_budget').notNull(),
  totalTokens: integer('total_tokens').notNull(),
  sections: jsonb('sections').$type<unknown[]>().notNull(),
  prompt: text('prompt').notNull(),
  createdAt: created(),
});

/** Seed 000 `03_file_diff_fragmt`: each changed file's hunks, for the review page's diff viewer. */
export const diffFragments = commitsSchema.table(
  'diff_fragments',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => generationRequests.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    path: text('path').notNull(),
    oldPath: text('old_path'),
    status: varchar('status', { length: 16 }).notNull(),
    language: varchar('language', { length: 32 }),
    addedLines: integer('added_lines').notNull(),
    removedLines: integer('removed_lines').notNull(),
    hunks: jsonb('hunks').$type<unknown[]>().notNull(),
    /** Changed elements in this file: `{ id, name, kind, startLine, endLine, top }`. */
    elements: jsonb('elements').$type<unknown[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.ordinal] })],
);

/** Seed 000 `02_gen_contents`: the drafts of a request, several per request. */
export const drafts = commitsSchema.table(
  'drafts',
  {
    id: uuid('id').primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => generationRequests.id, { onDelete: 'cascade' }),
    ordinal: smallint('ordinal').notNull(),
    type: varchar('type', { length: 32 }).notNull(),
    scope: varchar('scope', { length: 64 }),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    breaking: boolean('breaking').notNull(),
    message: text('message').notNull(),
    /** model | offline | edit */
    origin: varchar('origin', { length: 16 }).notNull(),
    provider: varchar('provider', { length: 64 }).notNull(),
    model: varchar('model', { length: 128 }).notNull(),
    llmRequestId: uuid('llm_request_id'),
    /** Rule violations left after autofix, and the notes of styling and fixing. */
    violations: jsonb('violations').$type<unknown[]>().notNull(),
    notes: jsonb('notes').$type<string[]>().notNull(),
    /** Seed P-6: the approved change this draft was adapted from instead of calling a model. */
    reusedFrom: uuid('reused_from'),
    similarity: real('similarity'),
    /** Prompt tokens the reuse did not send. */
    savedInputTokens: integer('saved_input_tokens'),
    createdAt: created(),
  },
  (t) => [uniqueIndex('drafts_request_ordinal_idx').on(t.requestId, t.ordinal)],
);

/**
 * Seed 000 `04_elements_embeddings`, seed 001 §8: each request's scoped change in the code space
 * (512 dims). Plain `real[]` so it works on a server without pgvector; a repository's approved
 * changes are compared in memory (hundreds, not millions).
 */
export const changeEmbeddings = commitsSchema.table(
  'change_embeddings',
  {
    requestId: uuid('request_id')
      .primaryKey()
      .references(() => generationRequests.id, { onDelete: 'cascade' }),
    repositoryId: uuid('repository_id').notNull(),
    model: varchar('model', { length: 200 }).notNull(),
    vector: real('vector').array().notNull(),
    createdAt: created(),
  },
  (t) => [index('change_embeddings_repository_idx').on(t.repositoryId, t.createdAt)],
);

/** Seed 000 `03_finalized_commits`: the approved message and what became of it. */
export const finalizedCommits = commitsSchema.table(
  'finalized_commits',
  {
    requestId: uuid('request_id')
      .primaryKey()
      .references(() => generationRequests.id, { onDelete: 'cascade' }),
    draftId: uuid('draft_id'),
    message: text('message').notNull(),
    approvedBy: uuid('approved_by').notNull(),
    approvedAt: timestamp('approved_at', { withTimezone: true }).notNull(),
    commitSha: varchar('commit_sha', { length: 64 }),
    /** The local agent's report: pushed, or why the commit or push failed. */
    pushError: text('push_error'),
    updatedAt: updated(),
  },
  (t) => [index('finalized_commits_pending_idx').on(t.approvedAt).where(sql`${t.commitSha} is null`)],
);

/**
 * Messages the repository really has (the post-commit hook, `keel hook install` importing recent
 * history, and commits Keel made): the team's voice is learned from them.
 */
export const recordedCommits = commitsSchema.table(
  'recorded_commits',
  {
    repositoryId: uuid('repository_id')
      .notNull()
      .references(() => repositories.id, { onDelete: 'cascade' }),
    sha: varchar('sha', { length: 64 }).notNull(),
    message: text('message').notNull(),
    /** hook | import | keel */
    origin: varchar('origin', { length: 16 }).notNull(),
    committedAt: timestamp('committed_at', { withTimezone: true }).notNull(),
    createdAt: created(),
  },
  (t) => [
    primaryKey({ columns: [t.repositoryId, t.sha] }),
    index('recorded_commits_recent_idx').on(t.repositoryId, t.committedAt),
  ],
);

/** Seed 000 `05_gen_description`: the pull-request description of a request (kept when the plan saves them). */
export const descriptions = commitsSchema.table('descriptions', {
  requestId: uuid('request_id')
    .primaryKey()
    .references(() => generationRequests.id, { onDelete: 'cascade' }),
  text: text('text').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: created(),
});
