import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../../kernel/db/index.js';
import { invalidFields, KeelError } from '../../../kernel/errors/index.js';
import type { Log } from '../../../kernel/log/index.js';
import type { EmbedRequest, EmbedResult, LlmGateway } from '../../../shared/llm/index.js';
import type { Allowances } from '../../../shared/plans/index.js';
import type { Scoping } from '../analysis/index.js';
import { type Change, collectChange, isCaptureError } from '../capture/index.js';
import type { Caller } from '../commits.http.js';
import { describeChange } from '../drafting/describe.js';
import type { Generate } from '../drafting/draft.js';
import { rulesOf } from '../drafting/finish.js';
import { draftChange, type PipelineDraft } from '../drafting/pipeline.js';
import { adaptMessage, changeText, closest, reuseThreshold } from '../drafting/reuse.js';
import type { Repositories } from '../repositories/repositories.service.js';
import { evaluateRules, type Violation } from '../rules/index.js';
import { type Convention, learnStyle } from '../style/index.js';
import {
  approvedChanges,
  type DraftRow,
  draftsOf,
  type FinalizedRow,
  type FragmentRow,
  finalizedOf,
  findRequest,
  fragmentsOf,
  inputContextOf,
  insertDrafts,
  insertFinalized,
  insertRequest,
  listRequests,
  lockRequest,
  type NewRequest,
  nextDraftOrdinal,
  pendingApprovals,
  type RequestRow,
  type RequestStatus,
  recentMessages,
  recordCommits,
  recordOutcome,
  saveDescription,
  scopingOf,
  setStatus,
} from './requests.repository.js';
import type { ReviewLinks } from './review-links.js';

export type Trigger = 'hook' | 'watch' | 'cli' | 'api' | 'web';

export interface CreateRequestInput {
  repositoryId: string;
  /** The change as a unified diff (`git diff`). */
  diff: string;
  /** Full file contents before and after, by path: lets the analysis read declarations. */
  contents?: Record<string, { old?: string | null; new?: string | null }>;
  trigger: Trigger;
  branch?: string | null;
  headSha?: string | null;
  /** Drafts wanted (1–3). */
  count?: number;
  /** Overrides the repository's language and its history's. */
  language?: 'ko' | 'en';
}

export interface RequestDetail {
  request: RequestRow;
  /** On creation: the review link sent to the author (null without notify). */
  review?: { url: string; expiresAt: Date; notificationId: string | null } | null;
  drafts: DraftRow[];
  fragments: FragmentRow[];
  scoping: Record<string, unknown> | null;
  finalized: FinalizedRow | null;
}

export interface ApproveInput {
  draftId?: string | null;
  /** The message as edited on the review page; else the draft's. */
  message?: string | null;
}

/**
 * Generation requests (seed 000 `05_commit_gen`): a captured change → scoping → prompt within a
 * token budget → drafts through the gateway → the team's style, convention and rules → stored
 * with what was sent; then approve (once), reject or regenerate, and the local agent's report of
 * the commit and push.
 */
export interface Requests {
  create(caller: Caller, input: CreateRequestInput): Promise<RequestDetail>;
  get(
    caller: Caller,
    id: string,
  ): Promise<RequestDetail & { inputContext: Awaited<ReturnType<typeof inputContextOf>> }>;
  list(
    caller: Caller,
    repositoryId: string,
    options: { limit: number; cursor?: string; status?: RequestStatus },
  ): Promise<{ items: RequestRow[]; nextCursor: string | null }>;
  approve(caller: Caller, id: string, input: ApproveInput): Promise<RequestDetail>;
  reject(caller: Caller, id: string): Promise<RequestDetail>;
  regenerate(caller: Caller, id: string, input: { count?: number }): Promise<RequestDetail>;
  /**
   * Seed 000 `05_gen_description`: a pull-request description from the analysis. Counts against
   * the plan's `describes`; kept when the plan has `save_describe_enabled`.
   */
  describe(caller: Caller, id: string): Promise<{ text: string; saved: boolean }>;
  /** Approved messages no agent has reported on, for the local agent to commit. */
  pending(caller: Caller, repositoryId: string): Promise<Array<RequestRow & { message: string }>>;
  /** The local agent's report: committed (sha), pushed, or why the commit or push failed. */
  report(
    caller: Caller,
    id: string,
    outcome: {
      status: 'committed' | 'pushed' | 'push_failed';
      commitSha?: string | null;
      error?: string | null;
    },
  ): Promise<RequestDetail>;
  /** Messages the repository really has (hooks, history import), for the team's voice. */
  recordHistory(
    caller: Caller,
    repositoryId: string,
    commits: ReadonlyArray<{ sha: string; message: string; committedAt: Date; origin: 'hook' | 'import' }>,
  ): Promise<number>;
  /**
   * The review link's side: no session, the link names the user and the request. Reading and
   * regenerating leave the link usable; a decision (approve, reject) uses it up, once made.
   */
  byLink: {
    get(token: string): Promise<RequestDetail & { linkExpiresAt: Date }>;
    approve(token: string, input: ApproveInput): Promise<RequestDetail>;
    reject(token: string): Promise<RequestDetail>;
    regenerate(token: string, input: { count?: number }): Promise<RequestDetail>;
    /** The request's status and commit, also after the link was used (until it expires). */
    status(token: string): Promise<{ detail: RequestDetail; expiresAt: Date; usedAt: Date | null }>;
  };
}

export interface RequestsDeps {
  db: Database;
  repositories: Repositories;
  gateway: LlmGateway;
  allowances: Allowances;
  /** Mints review links and notifies; without it no link is sent (tests of the bare service). */
  reviews?: ReviewLinks;
  /** Code-space embeddings (the gateway's embedder); without it nothing is reused. */
  embed?: (request: EmbedRequest) => Promise<EmbedResult>;
  log?: Log;
  /** Tokens the prompt may use (default 6 000). */
  tokenBudget?: number;
}

/** How many recent messages the team's voice is learned from. */
const HISTORY = 100;
/** How many of a repository's approved changes a new one is compared with (newest first). */
const REUSE_CANDIDATES = 2_000;

export function createRequests(deps: RequestsDeps): Requests {
  const { db, repositories } = deps;
  const tokenBudget = deps.tokenBudget ?? 6_000;
  // A diff given as text needs no repository; git still looks for one from this directory.
  let scratch: string | null = null;
  const scratchDir = () => {
    scratch ??= mkdtempSync(join(tmpdir(), 'keel-commits-'));
    return scratch;
  };

  async function detail(id: string): Promise<RequestDetail> {
    const request = await findRequest(db, id);
    if (!request) throw new KeelError('not_found', 'No such generation request.');
    const [drafts, fragments, scoping, finalized] = await Promise.all([
      draftsOf(db, id),
      fragmentsOf(db, id),
      scopingOf(db, id),
      finalizedOf(db, id),
    ]);
    return { request, drafts, fragments, scoping, finalized };
  }

  /** The request, if the caller may see it (404 otherwise) and act on it at `needed`. */
  async function reach(caller: Caller, id: string, needed: 'R' | 'W'): Promise<RequestRow> {
    const request = await findRequest(db, id);
    if (!request) throw new KeelError('not_found', 'No such generation request.');
    try {
      await repositories.get(caller, request.repositoryId, needed);
    } catch (error) {
      if (error instanceof KeelError && error.code === 'not_found')
        throw new KeelError('not_found', 'No such generation request.');
      throw error;
    }
    return request;
  }

  async function capture(input: CreateRequestInput, ignore: string[]): Promise<Change> {
    let change: Change;
    try {
      change = await collectChange(scratchDir(), { kind: 'diff-text', text: input.diff }, { ignore });
    } catch (error) {
      if (isCaptureError(error) && error.code === 'empty')
        throw invalidFields([{ field: 'diff', message: 'holds no change (an empty or unreadable diff)' }]);
      if (isCaptureError(error)) throw error.toKeelError();
      throw error;
    }
    if (input.contents) {
      for (const file of change.files) {
        const given = input.contents[file.path] ?? (file.oldPath ? input.contents[file.oldPath] : undefined);
        if (!given || file.binary || file.submodule) continue;
        if (typeof given.new === 'string' && file.status !== 'deleted') file.newText = given.new;
        if (typeof given.old === 'string' && file.status !== 'added') file.oldText = given.old;
      }
    }
    return change;
  }

  /** What the drafts are finished with: the team's voice, the convention and the rules. */
  async function voiceOf(repositoryId: string, convention: Record<string, unknown>, rules: unknown[]) {
    const profile = learnStyle(await recentMessages(db, repositoryId, HISTORY));
    return { profile, convention: convention as Convention, rules: rulesOf(rules) };
  }

  /** Model calls on the caller's behalf, through the gateway (routing by plan, budgets, metering). */
  function generateFor(caller: Caller): Generate {
    return async (request) => {
      const plan = await deps.allowances.effectivePlan({ userId: caller.userId, orgId: caller.orgId });
      return deps.gateway.generate({
        ...request,
        feature: 'commits.draft',
        caller: { userId: caller.userId, orgId: caller.orgId, planKey: plan.plan.plan_key },
      });
    };
  }

  function rowsOf(drafts: PipelineDraft[], firstOrdinal: number): NewRequest['drafts'] {
    return drafts.map((d, i) => ({
      id: randomUUID(),
      ordinal: firstOrdinal + i,
      type: d.type,
      scope: d.scope,
      subject: d.subject,
      body: d.body,
      breaking: d.breaking,
      message: d.message,
      origin: d.origin,
      provider: d.provider,
      model: d.model,
      llmRequestId: d.llmRequestId,
      violations: d.violations as unknown[],
      notes: d.notes,
      reusedFrom: d.reuse?.requestId ?? null,
      similarity: d.reuse ? Math.round(d.reuse.similarity * 10_000) / 10_000 : null,
      savedInputTokens: d.reuse?.savedInputTokens ?? null,
    }));
  }

  /**
   * Seed P-6: embeds the scoped change (code space) and, when an approved change of the same
   * repository is at or above the plan's threshold, adapts its message instead of calling a model.
   * `embedding` receives the vector, stored with the request so later changes can match it.
   */
  function reuseFor(caller: Caller, repositoryId: string, embedding: { value: NewRequest['embedding'] }) {
    return async (scoping: Scoping, prompt: { totalTokens: number }) => {
      if (!deps.embed || scoping.top.length === 0) return null;
      const plan = await deps.allowances.effectivePlan({ userId: caller.userId, orgId: caller.orgId });
      const planKey = plan.plan.plan_key;
      let result: EmbedResult;
      try {
        result = await deps.embed({
          texts: [changeText(scoping)],
          space: 'code',
          caller: { userId: caller.userId, orgId: caller.orgId, planKey },
        });
      } catch (error) {
        // No code-space model routed, or it failed: draft as usual.
        deps.log?.warn({ err: error }, 'could not embed the change; drafting without reuse');
        return null;
      }
      const vector = result.vectors[0];
      if (!vector) return null;
      embedding.value = { model: result.model, vector: [...vector] };
      const approved = await approvedChanges(db, repositoryId, result.model, REUSE_CANDIDATES);
      const hit = closest(vector, approved, reuseThreshold(planKey));
      if (!hit) return null;
      return adaptMessage(
        hit.change,
        scoping.top.map((e) => e.element.qualifiedName),
        hit.similarity,
        prompt.totalTokens,
      );
    };
  }

  function reviews(): ReviewLinks {
    if (!deps.reviews) throw new KeelError('unavailable', 'Review links need the notify module.');
    return deps.reviews;
  }

  /** The link's user acting on the link's request (in the request's org). */
  async function linkCaller(token: string): Promise<{ caller: Caller; requestId: string; expiresAt: Date }> {
    const link = await reviews().open(token);
    const request = await findRequest(db, link.requestId);
    if (!request || request.userId !== link.userId) throw new KeelError('not_found', 'No such review link.');
    return {
      caller: { userId: link.userId, orgId: request.orgId, orgAdmin: false },
      requestId: request.id,
      expiresAt: link.expiresAt,
    };
  }

  const service: Requests = {
    async create(caller, input) {
      const started = performance.now();
      const { repository } = await repositories.get(caller, input.repositoryId, 'W');
      const change = await capture(input, repository.ignorePatterns);
      const voice = await voiceOf(repository.id, repository.convention, repository.rules);
      // Counted before the model is called: a plan with nothing left costs no tokens.
      await deps.allowances.consume({ userId: caller.userId, orgId: caller.orgId }, 'commits');
      const embedding: { value: NewRequest['embedding'] } = { value: null };
      const { scoping, prompt, language, drafts, split } = await draftChange(change, {
        ...voice,
        generate: generateFor(caller),
        language: input.language ?? repository.language,
        count: input.count ?? 2,
        tokenBudget,
        branch: input.branch ?? null,
        reuse: reuseFor(caller, repository.id, embedding),
      });
      const id = randomUUID();
      await db.transaction((tx) =>
        insertRequest(tx, {
          request: {
            id,
            repositoryId: repository.id,
            userId: caller.userId,
            orgId: repository.orgId,
            trigger: input.trigger,
            source: change.source,
            branch: input.branch ?? null,
            headSha: input.headSha ?? null,
            files: change.files.length,
            addedLines: scoping.files.reduce((n, f) => n + f.addedLines, 0),
            removedLines: scoping.files.reduce((n, f) => n + f.removedLines, 0),
            truncated: change.truncated || scoping.truncated,
            skipped: change.skipped.map((s) => ({ path: s.path, reason: s.reason })),
            language,
            elapsedMs: Math.round(performance.now() - started),
          },
          scoping: { ...scopingSummary(scoping), split },
          input: {
            tokenBudget,
            totalTokens: prompt.totalTokens,
            sections: prompt.sections as unknown[],
            prompt: prompt.prompt,
          },
          fragments: fragmentsFrom(scoping),
          drafts: rowsOf(drafts, 1),
          embedding: embedding.value,
        }),
      );
      const stored = await detail(id);
      const first = stored.drafts[0];
      const review = deps.reviews
        ? await deps.reviews.announce({
            requestId: id,
            userId: caller.userId,
            orgId: repository.orgId,
            repository: repository.name,
            header: first?.message.split('\n')[0] ?? '',
            files: stored.request.files,
            added: stored.request.addedLines,
            removed: stored.request.removedLines,
          })
        : null;
      return { ...stored, review };
    },

    async get(caller, id) {
      await reach(caller, id, 'R');
      return { ...(await detail(id)), inputContext: await inputContextOf(db, id) };
    },

    async list(caller, repositoryId, options) {
      await repositories.get(caller, repositoryId, 'R');
      const before = options.cursor ? decodeCursor(options.cursor) : undefined;
      const rows = await listRequests(db, repositoryId, {
        limit: options.limit + 1,
        ...(before ? { before } : {}),
        ...(options.status ? { status: options.status } : {}),
      });
      const items = rows.slice(0, options.limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null };
    },

    async approve(caller, id, input) {
      const request = await reach(caller, id, 'W');
      const { repository } = await repositories.get(caller, request.repositoryId, 'W');
      const rules = rulesOf(repository.rules);
      await db.transaction(async (tx) => {
        // Two approvals at once: the second waits here, then finds the request approved.
        const locked = await lockRequest(tx, id);
        if (!locked) throw new KeelError('not_found', 'No such generation request.');
        if (locked.status !== 'ready') {
          throw new KeelError(
            'conflict',
            `This request is already ${locked.status}; it cannot be approved again.`,
            {
              details: { status: locked.status },
            },
          );
        }
        const drafts = await draftsOf(tx, id);
        const draft = input.draftId ? drafts.find((d) => d.id === input.draftId) : drafts[0];
        if (input.draftId && !draft)
          throw invalidFields([{ field: 'draft_id', message: 'is not a draft of this request' }]);
        const message = (input.message ?? draft?.message ?? '').replace(/\r\n/g, '\n').trim();
        if (message === '') throw invalidFields([{ field: 'message', message: 'must not be empty' }]);
        const evaluation = evaluateRules(message, rules, { branch: locked.branch });
        const blocking = evaluation.violations.filter((v: Violation) => v.level === 'block' && !v.fixed);
        if (!evaluation.ok && blocking.length > 0) {
          throw new KeelError(
            'validation_failed',
            `The message breaks the repository's rules: ${blocking[0]?.message}`,
            {
              details: {
                errors: blocking.map((v) => ({ field: 'message', message: `${v.rule}: ${v.message}` })),
                fixed_message: evaluation.fixedMessage,
              },
            },
          );
        }
        await insertFinalized(tx, {
          requestId: id,
          draftId: draft?.id ?? null,
          message,
          approvedBy: caller.userId,
        });
        await setStatus(tx, id, 'approved');
      });
      return detail(id);
    },

    async reject(caller, id) {
      await reach(caller, id, 'W');
      await db.transaction(async (tx) => {
        const locked = await lockRequest(tx, id);
        if (locked?.status !== 'ready') {
          throw new KeelError(
            'conflict',
            `This request is already ${locked?.status}; it cannot be rejected.`,
          );
        }
        await setStatus(tx, id, 'rejected');
      });
      return detail(id);
    },

    async regenerate(caller, id, input) {
      const request = await reach(caller, id, 'W');
      if (request.status !== 'ready')
        throw new KeelError('conflict', `This request is already ${request.status}; start a new one.`);
      const { repository } = await repositories.get(caller, request.repositoryId, 'W');
      const fragments = await fragmentsOf(db, id);
      // The stored hunks are the change as it was analysed (full contents are not kept).
      const change = changeFromFragments(fragments);
      const voice = await voiceOf(repository.id, repository.convention, repository.rules);
      await deps.allowances.consume({ userId: caller.userId, orgId: caller.orgId }, 'commits');
      const { drafts } = await draftChange(change, {
        ...voice,
        split: false,
        generate: generateFor(caller),
        language: request.language === 'ko' ? 'ko' : 'en',
        count: input.count ?? 2,
        tokenBudget,
        branch: request.branch,
      });
      await db.transaction(async (tx) => {
        await insertDrafts(tx, id, rowsOf(drafts, await nextDraftOrdinal(tx, id)));
      });
      return detail(id);
    },

    async describe(caller, id) {
      await reach(caller, id, 'W');
      const member = { userId: caller.userId, orgId: caller.orgId };
      await deps.allowances.consume(member, 'describes');
      const found = await detail(id);
      const text = describeChange({
        message: found.finalized?.message ?? found.drafts[0]?.message ?? '',
        scoping: found.scoping as Parameters<typeof describeChange>[0]['scoping'],
        files: found.fragments,
        skipped: found.request.skipped,
      });
      const { plan } = await deps.allowances.effectivePlan(member);
      if (plan.save_describe_enabled) await saveDescription(db, id, text, caller.userId);
      return { text, saved: plan.save_describe_enabled };
    },

    async pending(caller, repositoryId) {
      await repositories.get(caller, repositoryId, 'W');
      return pendingApprovals(db, repositoryId);
    },

    async report(caller, id, outcome) {
      await reach(caller, id, 'W');
      await db.transaction(async (tx) => {
        const locked = await lockRequest(tx, id);
        const allowed: Record<string, RequestStatus[]> = {
          committed: ['approved'],
          pushed: ['approved', 'committed', 'push_failed'],
          push_failed: ['approved', 'committed', 'push_failed'],
        };
        if (!locked || !allowed[outcome.status]?.includes(locked.status)) {
          throw new KeelError(
            'conflict',
            `A request that is ${locked?.status} cannot become ${outcome.status}.`,
          );
        }
        await recordOutcome(tx, id, {
          commitSha: outcome.commitSha ?? null,
          pushError: outcome.status === 'push_failed' ? (outcome.error ?? 'the push failed') : null,
        });
        await setStatus(tx, id, outcome.status);
        const finalized = await finalizedOf(tx, id);
        if (outcome.commitSha && finalized) {
          await recordCommits(tx, locked.repositoryId, [
            { sha: outcome.commitSha, message: finalized.message, committedAt: new Date(), origin: 'keel' },
          ]);
        }
      });
      return detail(id);
    },

    async recordHistory(caller, repositoryId, commits) {
      await repositories.get(caller, repositoryId, 'W');
      return recordCommits(db, repositoryId, commits);
    },

    byLink: {
      async get(token) {
        const { caller, requestId, expiresAt } = await linkCaller(token);
        await reach(caller, requestId, 'R');
        return { ...(await detail(requestId)), linkExpiresAt: expiresAt };
      },
      async approve(token, input) {
        const { caller, requestId } = await linkCaller(token);
        const approved = await service.approve(caller, requestId, input);
        await reviews().use(token);
        return approved;
      },
      async reject(token) {
        const { caller, requestId } = await linkCaller(token);
        const rejected = await service.reject(caller, requestId);
        await reviews().use(token);
        return rejected;
      },
      async regenerate(token, input) {
        const { caller, requestId } = await linkCaller(token);
        return service.regenerate(caller, requestId, input);
      },
      async status(token) {
        const link = await reviews().inspect(token);
        const request = await findRequest(db, link.requestId);
        if (!request || request.userId !== link.userId)
          throw new KeelError('not_found', 'No such review link.');
        return { detail: await detail(request.id), expiresAt: link.expiresAt, usedAt: link.usedAt };
      },
    },
  };
  return service;
}

/** What the review page and the evaluation read of a scoping (elements without their lines). */
function scopingSummary(s: Scoping): Record<string, unknown> {
  return {
    top: s.top.map((e) => ({
      id: e.id,
      file: e.file,
      name: e.element.qualifiedName,
      kind: e.element.kind,
      change: e.kind,
      added: e.addedLines,
      removed: e.removedLines,
      guard_added: e.guardAdded,
      score: Math.round(e.score * 100) / 100,
    })),
    themes: s.themes.map((t) => ({
      label: t.label,
      elements: t.elements,
      files: t.files,
      share: t.share,
      type: t.type.value,
      scope: t.scope,
    })),
    related_themes: s.relatedThemes,
    type_candidates: s.typeCandidates,
    scope_candidates: s.scopeCandidates,
    stats: s.stats,
    truncated: s.truncated,
  };
}

function fragmentsFrom(s: Scoping): FragmentRow[] {
  const top = new Set(s.top.map((e) => e.id));
  const byId = new Map(s.elements.map((e) => [e.id, e]));
  return s.files.map((f, ordinal) => ({
    ordinal,
    path: f.path,
    oldPath: f.oldPath,
    status: f.status,
    language: f.language,
    addedLines: f.addedLines,
    removedLines: f.removedLines,
    hunks: f.hunks as unknown[],
    elements: f.elements.flatMap((id) => {
      const e = byId.get(id);
      return e
        ? [
            {
              id,
              name: e.element.qualifiedName,
              kind: e.element.kind,
              change: e.kind,
              start_line: e.element.startLine,
              end_line: e.element.endLine,
              top: top.has(id),
            },
          ]
        : [];
    }),
  }));
}

/** A change rebuilt from stored fragments (no full contents: the analysis reads hunks). */
function changeFromFragments(fragments: FragmentRow[]): Change {
  return {
    repo: { root: '', head: null, branch: null, detached: false },
    source: 'diff-text',
    truncated: false,
    skipped: [],
    files: fragments.map((f) => {
      const hunks = f.hunks as Change['files'][number]['diff']['hunks'];
      const lines = hunks.flatMap((h) => h.lines);
      return {
        path: f.path,
        oldPath: f.oldPath,
        status: f.status as Change['files'][number]['status'],
        binary: false,
        encoding: 'utf8' as const,
        sizeBytes: 0,
        diff: {
          oldPath: f.oldPath,
          newPath: f.path,
          path: f.path,
          status: (f.status === 'added' || f.status === 'deleted' || f.status === 'renamed'
            ? f.status
            : 'modified') as Change['files'][number]['diff']['status'],
          similarity: null,
          binary: false,
          hunks,
          added: lines.filter((l) => l.kind === 'add').map((l) => l.text),
          removed: lines.filter((l) => l.kind === 'del').map((l) => l.text),
        },
      };
    }),
  };
}

function encodeCursor(row: RequestRow): string {
  return Buffer.from(`${new Date(row.createdAt).toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id))
    throw invalidFields([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
  return { createdAt, id };
}
