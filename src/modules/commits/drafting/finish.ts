import { evaluateRules, parseRules, type RuleEntry, type Violation } from '../rules/index.js';
import {
  applyStyle,
  type Convention,
  localizeSubject,
  renderMessage,
  type StyleProfile,
} from '../style/index.js';
import type { DraftCandidate } from './draft.js';

export interface FinishOptions {
  profile: StyleProfile;
  convention: Convention;
  rules: RuleEntry[];
  language: 'en' | 'ko';
  branch?: string | null;
}

export interface FinishedDraft {
  type: string;
  scope: string | null;
  subject: string;
  body: string;
  breaking: boolean;
  /** The message to commit: styled, rendered in the convention, autofixed by the rules. */
  message: string;
  /** Violations the rules still report (a `block` one stops an approval as written). */
  violations: Violation[];
  notes: string[];
}

/**
 * A draft as the team would write it: offline subjects in Korean when the team writes Korean,
 * the team's habits (`applyStyle`), the repository's convention (`renderMessage`), then its rules
 * (`evaluateRules`), whose autofixes rewrite the message and are listed in the notes.
 */
export function finishDraft(candidate: DraftCandidate, options: FinishOptions): FinishedDraft {
  const notes = [...candidate.notes];
  let subject = candidate.subject;
  if (options.language === 'ko' && candidate.origin === 'offline') {
    const localized = localizeSubject(subject, 'ko');
    if (localized.localized) subject = localized.text;
    else notes.push(`the subject stays in English: the offline rules have no Korean for "${subject}"`);
  }
  const styled = applyStyle({ ...candidate, subject }, options.profile);
  notes.push(...styled.notes);
  const rendered = renderMessage(styled, options.convention);
  const evaluation = evaluateRules(rendered, options.rules, { branch: options.branch ?? null });
  for (const change of evaluation.changes) notes.push(`${change.rule}: ${change.before} → ${change.after}`);
  return {
    type: styled.type,
    scope: styled.scope,
    subject: styled.subject,
    body: styled.body,
    breaking: styled.breaking,
    message: (evaluation.fixedMessage ?? rendered).replace(/\s+$/, ''),
    violations: evaluation.violations.filter((v) => !v.fixed),
    notes,
  };
}

/** The stored rules of a repository (validated on the way in) as the rules library reads them. */
export function rulesOf(stored: unknown[]): RuleEntry[] {
  return parseRules(stored);
}
