import type { FieldError } from '../../../kernel/errors/index.js';

/**
 * A draft as the drafters write it: the fields of the offline drafter's `CommitDraft`
 * (`shared/llm/offline/commit-message.ts`) that make up a message, plus an optional ticket.
 */
export interface StyleDraft {
  type: string;
  scope: string | null;
  subject: string;
  /** '' for none. */
  body: string;
  breaking: boolean;
  /** The text of the `BREAKING CHANGE:` footer, without the token. */
  breakingNote: string | null;
  /** A ticket the change belongs to, as the team writes it (`#123`, `ABC-123`); only rendered. */
  ticket?: string | null;
}

/** The draft after `applyStyle`, with one note per change it made (or could not make). */
export interface StyledDraft extends StyleDraft {
  notes: string[];
}

/** A value seen in the history and how often. Lists are most used first, then by name. */
export interface Count {
  value: string;
  count: number;
}

export type Language = 'ko' | 'en';
export type TicketPattern = '#123' | 'ABC-123';
export type TicketPlacement = 'subject-prefix' | 'subject-suffix' | 'footer';
export type BreakingMarker = 'bang' | 'footer' | 'both';

/**
 * How a team writes its commit messages, learned from its recent history by `learnStyle`.
 * Shares are 0–1 (three decimals). A habit is `null` when the history shows fewer than five
 * cases to judge it from: `applyStyle` then leaves that part of a draft alone.
 */
export interface StyleProfile {
  /** Messages read (merge commits are left out; reverts count). */
  sample: number;
  /** Merge commits left out. */
  merges: number;
  /** Share of headers written `type(scope)!: subject`. */
  conventional: number;
  /** Share of headers that start with a gitmoji, `:code:` or unicode. */
  gitmoji: number;
  gitmojiStyle: 'code' | 'unicode' | null;
  /** Gitmojis used, as `:code:`. */
  emojis: Count[];
  /** Types of conventional headers, and of gitmoji headers by their emoji (✨ → feat). */
  types: Count[];
  /** Scopes of those headers (`feat(a,b)` counts a and b). */
  scopes: Count[];
  scopesByType: Record<string, Count[]>;
  /** Share of conventional and gitmoji headers that name a scope. */
  scopeUsage: number;
  /** `ko` or `en` when at least 60 % of the subjects are in it, `mixed` otherwise. */
  language: Language | 'mixed' | null;
  languageShares: { ko: number; en: number };
  subject: {
    /** Subjects measured (tool-written `Revert "…"` headers are not). */
    count: number;
    /** Length in characters (a Hangul syllable is one), without ticket references. */
    p50: number;
    p90: number;
    /** Of subjects that start with a plain word (not an identifier or Hangul). */
    case: 'lower' | 'upper' | 'mixed' | null;
    lowerShare: number;
    /** `always` from 60 %, `never` up to 20 %. */
    period: 'always' | 'never' | 'mixed' | null;
    periodShare: number;
  };
  body: {
    /** Share of messages with a body (text between the header and the footers). */
    share: number;
    /** Bodies whose lines are mostly list items, or prose. */
    style: 'bullets' | 'prose' | 'mixed' | null;
    bulletShare: number;
    /** The median of each body's longest line, in characters. */
    lineWidth: number | null;
  };
  tickets: {
    /** Share of messages that reference a ticket. */
    share: number;
    pattern: TicketPattern | null;
    /** The most common project key of `ABC-123` references. */
    project: string | null;
    placement: TicketPlacement | null;
    /** How a subject reference is wrapped: `[ABC-1]`, `(#12)`, or bare. */
    brackets: 'square' | 'round' | null;
    /** The footer token, as written (`Refs`, `Closes`). */
    footerToken: string | null;
  };
  breaking: {
    /** Messages marked breaking (`!` or a `BREAKING CHANGE:` footer). */
    count: number;
    marker: BreakingMarker | null;
  };
}

/** Where and how a ticket reference is written in a rendered message. */
export interface TicketStyle {
  placement: TicketPlacement;
  brackets?: 'square' | 'round' | null;
  /** The footer token (default `Refs`). */
  token?: string;
}

export type Convention =
  | { kind: 'conventional'; breaking?: BreakingMarker; ticket?: TicketStyle }
  | { kind: 'gitmoji'; style: 'code' | 'unicode'; ticket?: TicketStyle }
  | { kind: 'custom'; template: string };

/** A reason a convention cannot be used, naming its field (`template`, `style`, `ticket.placement`). */
export type ConventionIssue = FieldError;

export interface LocalizedSubject {
  text: string;
  /** False when the subject stays as it was; `reason` says why. */
  localized: boolean;
  reason?: string;
}
