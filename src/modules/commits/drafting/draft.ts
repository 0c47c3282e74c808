import { z } from 'zod';
import type { LlmRequest, LlmResult } from '../../../shared/llm/index.js';
import type { BuiltPrompt, ChangedElement, Scoping } from '../analysis/index.js';
import { guardPhrase } from './guard-phrase.js';

/** One draft before the team's style, convention and rules are applied. */
export interface DraftCandidate {
  type: string;
  scope: string | null;
  subject: string;
  body: string;
  breaking: boolean;
  breakingNote: string | null;
  /** `model`: a language model wrote it; `offline`: Keel's rules and the analysis did; `reuse`: an approved message, adapted. */
  origin: 'model' | 'offline' | 'reuse';
  provider: string;
  model: string;
  llmRequestId: string | null;
  /** Why it reads as it does (analysis overrides, variants). */
  notes: string[];
  /** Set when adapted from an approved change: which, how close, the prompt tokens not sent. */
  reuse?: { requestId: string; similarity: number; savedInputTokens: number };
}

export interface DraftRequest {
  /** The prompt built from the scoping within the token budget (what a model is sent). */
  prompt: BuiltPrompt;
  scoping: Scoping;
  /** The change as a unified diff (the offline provider reads it). */
  diff: string;
  /** How many distinct drafts to return (1–3); fewer when the change allows fewer. */
  count: number;
  language: 'en' | 'ko';
  /** What the team's history says (types, scopes, habits), for the model's instructions. */
  styleHints?: string;
  signal?: AbortSignal;
}

/**
 * One model call: the server passes the LLM gateway (routing, budgets, metering, feature
 * `commits.draft`); the CLI without a server passes Keel's offline model directly.
 */
export type Generate = (
  request: Pick<
    LlmRequest,
    'system' | 'prompt' | 'schema' | 'maxOutputTokens' | 'temperature' | 'providerOptions' | 'signal'
  >,
) => Promise<Pick<LlmResult, 'object' | 'offline' | 'provider' | 'model' | 'requestId'>>;

const draftSchema = z.object({
  type: z.string().min(1).max(32),
  scope: z.string().max(64).nullable().optional(),
  subject: z.string().min(1).max(200),
  body: z.string().max(4000).optional(),
  breaking: z.boolean().optional(),
  breakingChange: z.string().max(1000).nullable().optional(),
  alternatives: z
    .array(
      z.object({
        type: z.string().min(1).max(32),
        scope: z.string().max(64).nullable().optional(),
        subject: z.string().min(1).max(200),
      }),
    )
    .max(2)
    .optional(),
});
type ModelDraft = z.infer<typeof draftSchema>;

function instructions(request: DraftRequest): string {
  const language = request.language === 'ko' ? 'Korean (identifiers stay as written)' : 'English';
  return [
    'You write git commit messages following Conventional Commits 1.0.0.',
    'Answer with JSON: type (feat, fix, docs, style, refactor, perf, test, build, ci, chore, revert), scope (one short',
    'word naming the area, or null), subject (imperative, lower case, no trailing period, at most 60 characters),',
    'body (what changed and why, wrapped at 72 columns; empty for a small change), breaking and breakingChange when',
    `public behaviour breaks, and up to ${Math.max(0, request.count - 1)} alternatives (type, scope, subject).`,
    `Write the subject and body in ${language}.`,
    'The change is described by its most significant code elements first; the themes and candidates come from a',
    'static analysis and are usually right about the type and scope.',
    request.styleHints ? `The repository's own habits: ${request.styleHints}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Drafts for a scoped change through `generate` (on the server, the LLM gateway). When Keel's
 * offline provider answers, its diff rules are refined with what only the element analysis sees
 * (`refineWithAnalysis`): the type and scope candidates, and a subject from a new guard
 * (`fix(parser): handle empty header`).
 */
export async function draftCandidates(generate: Generate, request: DraftRequest): Promise<DraftCandidate[]> {
  const result = await generate({
    system: instructions(request),
    prompt: request.prompt.prompt,
    schema: draftSchema,
    maxOutputTokens: 800,
    providerOptions: { 'keel-offline': { task: 'commit-message', diff: request.diff } },
    ...(request.signal ? { signal: request.signal } : {}),
  });
  const answer = draftSchema.parse(result.object);
  const source = {
    origin: result.offline ? ('offline' as const) : ('model' as const),
    provider: result.provider,
    model: result.model,
    llmRequestId: result.requestId || null,
  };
  const first = fromModel(answer, source);
  const drafts = result.offline
    ? offlineVariants(first, request.scoping)
    : [
        first,
        ...(answer.alternatives ?? []).map((alt) => ({
          ...first,
          type: alt.type,
          scope: alt.scope ?? null,
          subject: alt.subject,
          notes: ['an alternative the model proposed'],
        })),
      ];
  return distinct(drafts).slice(0, Math.max(1, Math.min(3, request.count)));
}

function fromModel(
  answer: ModelDraft,
  source: Pick<DraftCandidate, 'origin' | 'provider' | 'model' | 'llmRequestId'>,
): DraftCandidate {
  const breakingNote = answer.breakingChange?.trim() || null;
  return {
    type: answer.type.trim().toLowerCase(),
    scope: answer.scope?.trim() || null,
    subject: answer.subject.trim(),
    body: (answer.body ?? '').trim(),
    breaking: Boolean(answer.breaking) || breakingNote !== null,
    breakingNote,
    ...source,
    notes: [],
  };
}

/** The analysis' first choice, then the diff rules' own draft, then the next scope candidate. */
function offlineVariants(rules: DraftCandidate, scoping: Scoping): DraftCandidate[] {
  const refined = refineWithAnalysis(rules, scoping);
  const out = [refined, { ...rules, notes: ['the diff rules alone, without the element analysis'] }];
  const nextScope = scoping.scopeCandidates.find((c) => c.value !== refined.scope && c.confidence >= 0.2);
  if (nextScope) {
    out.push({
      ...refined,
      scope: nextScope.value,
      notes: [`the next scope candidate (${nextScope.reasons.join('; ')})`],
    });
  }
  return out;
}

/** Candidates the analysis is sure enough of to overrule the diff rules. */
const TYPE_CONFIDENCE = 0.4;
const SCOPE_CONFIDENCE = 0.3;
const SUBJECT_MAX = 60;
/** A one-file change up to this many changed lines gets no body from the offline rules. */
const SMALL_CHANGE_LINES = 10;

/**
 * The diff rules' draft, with the type and scope the element analysis prefers when it is
 * confident, and for a fix made by a new guard a subject saying what the guard handles.
 */
export function refineWithAnalysis(rules: DraftCandidate, scoping: Scoping): DraftCandidate {
  const notes: string[] = [];
  let { type, scope, subject } = rules;
  const topType = scoping.typeCandidates[0];
  if (topType && topType.value !== type && topType.confidence >= TYPE_CONFIDENCE) {
    notes.push(`type ${topType.value} from the analysis (${topType.reasons.join('; ')}) instead of ${type}`);
    type = topType.value;
  }
  const topScope = scoping.scopeCandidates[0];
  if (topScope && topScope.value !== scope && topScope.confidence >= SCOPE_CONFIDENCE) {
    notes.push(`scope ${topScope.value} from the analysis instead of ${scope ?? 'none'}`);
    scope = topScope.value;
  }
  if (type === 'fix') {
    const guarded = scoping.top.find((e) => e.guardAdded && !e.test);
    const phrase = guarded ? guardPhrase(guarded) : null;
    if (guarded && phrase) {
      subject = guardSubject(phrase, guarded, scope);
      notes.push(`subject from the guard added to ${guarded.element.qualifiedName}`);
    }
  }
  let body = rules.body;
  if (body !== '' && scoping.files.length === 1 && scoping.stats.changedLines <= SMALL_CHANGE_LINES) {
    notes.push('no body: the header says all of a one-file change this small');
    body = '';
  }
  return { ...rules, type, scope, subject, body, notes: [...rules.notes, ...notes] };
}

/** `handle empty header in parseHeader`, without the element when it would repeat the scope or not fit. */
function guardSubject(phrase: string, element: ChangedElement, scope: string | null): string {
  const base = `handle ${phrase}`;
  const name = element.element.name;
  const redundant = scope !== null && name.toLowerCase() === scope.toLowerCase();
  const full = `${base} in ${name}`;
  return redundant || full.length > SUBJECT_MAX ? base : full;
}

function distinct(drafts: DraftCandidate[]): DraftCandidate[] {
  const seen = new Set<string>();
  return drafts.filter((d) => {
    const key = `${d.type}\u0000${d.scope ?? ''}\u0000${d.subject}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
