import { type BuiltPrompt, buildPrompt, type Scoping, scopeChange } from '../analysis/index.js';
import type { Change } from '../capture/index.js';
import type { RuleEntry } from '../rules/index.js';
import type { Convention, StyleProfile } from '../style/index.js';
import { type DraftCandidate, draftCandidates, type Generate } from './draft.js';
import { type FinishedDraft, finishDraft } from './finish.js';
import { partOf, proposeSplit } from './split.js';
import { unifiedDiffOf } from './unified-diff.js';

export interface PipelineOptions {
  generate: Generate;
  profile: StyleProfile;
  convention: Convention;
  rules: RuleEntry[];
  /** Null: the language of the team's history (English when it has none). */
  language: 'ko' | 'en' | null;
  count: number;
  tokenBudget?: number;
  branch?: string | null;
  /** Propose one commit per unrelated theme, each drafted (default true). */
  split?: boolean;
  /** Seed P-6: a draft adapted from an approved change, or null to call the model. */
  reuse?: (scoping: Scoping, prompt: BuiltPrompt) => Promise<DraftCandidate | null>;
}

export interface PipelineDraft extends FinishedDraft {
  origin: DraftCandidate['origin'];
  provider: string;
  model: string;
  llmRequestId: string | null;
  reuse: DraftCandidate['reuse'] | null;
}

export interface PipelineResult {
  scoping: Scoping;
  prompt: BuiltPrompt;
  language: 'ko' | 'en';
  drafts: PipelineDraft[];
  tokenBudget: number;
  /** When the themes are unrelated: one commit per theme, each with its own draft. */
  split: Array<{ label: string; files: string[]; message: string }> | null;
}

/** Tokens the prompt may use by default: room for a model's answer in an 8k context. */
export const DEFAULT_TOKEN_BUDGET = 6_000;

/**
 * From a captured change to finished drafts, the same on the server and in the CLI: scope the
 * change, build the prompt within the token budget, draft (model or offline), then write each
 * draft in the team's voice, convention and rules.
 */
export async function draftChange(change: Change, options: PipelineOptions): Promise<PipelineResult> {
  const tokenBudget = options.tokenBudget ?? DEFAULT_TOKEN_BUDGET;
  const scoping = await scopeChange(change);
  const prompt = buildPrompt(scoping, { tokenBudget });
  const language = options.language ?? (options.profile.language === 'ko' ? 'ko' : 'en');
  const reused = options.reuse ? await options.reuse(scoping, prompt) : null;
  const candidates = reused
    ? [reused]
    : await draftCandidates(options.generate, {
        prompt,
        scoping,
        diff: unifiedDiffOf(change),
        count: options.count,
        language,
        ...(styleHints(options.profile) ? { styleHints: styleHints(options.profile) } : {}),
      });
  const drafts = candidates.map((candidate) => ({
    ...finishDraft(candidate, {
      profile: options.profile,
      convention: options.convention,
      rules: options.rules,
      language,
      branch: options.branch ?? null,
    }),
    origin: candidate.origin,
    provider: candidate.provider,
    model: candidate.model,
    llmRequestId: candidate.llmRequestId,
    reuse: candidate.reuse ?? null,
  }));
  const parts = options.split === false ? null : proposeSplit(scoping);
  const split = parts
    ? await Promise.all(
        parts.map(async (part) => {
          const sub = await draftChange(partOf(change, part.files), {
            ...options,
            count: 1,
            split: false,
            reuse: undefined,
          });
          return { label: part.label, files: part.files, message: sub.drafts[0]?.message ?? '' };
        }),
      )
    : null;
  return { scoping, prompt, language, drafts, tokenBudget, split };
}

/** The history's habits in one line for a model's instructions (none without a history). */
function styleHints(profile: StyleProfile): string | undefined {
  if (profile.sample === 0) return undefined;
  const parts: string[] = [];
  if (profile.types.length > 0)
    parts.push(
      `types ${profile.types
        .slice(0, 6)
        .map((t) => t.value)
        .join(', ')}`,
    );
  if (profile.scopes.length > 0)
    parts.push(
      `scopes ${profile.scopes
        .slice(0, 8)
        .map((s) => s.value)
        .join(', ')}`,
    );
  if (profile.language) parts.push(`language ${profile.language}`);
  parts.push(`subjects about ${profile.subject.p50} characters`);
  parts.push(
    profile.body.share < 0.1 ? 'rarely a body' : `a body in ${Math.round(profile.body.share * 100)} %`,
  );
  return `${parts.join('; ')}.`;
}
