import { headerParts, type ParsedCommitMessage } from './commit-message.js';
import type { RuleName, RuleOf } from './rules.schema.js';

/** What a rule may know besides the message. */
export interface RuleContext {
  /** The branch being committed to (a hook knows it): `ticket-pattern` can take the ticket from it. */
  branch?: string | null;
}

/**
 * One rule: `check` returns the sentence a developer reads when the message breaks the rule
 * (null when it does not); `fix`, when the rule has one, returns the message rewritten so that
 * it keeps the rule, or null when it cannot be rewritten without changing what it says.
 */
export interface RuleDefinition<N extends RuleName> {
  check(message: ParsedCommitMessage, entry: RuleOf<N>, context: RuleContext): string | null;
  fix?(message: ParsedCommitMessage, entry: RuleOf<N>, context: RuleContext): string | null;
}

export type RuleDefinitions<N extends RuleName> = { [K in N]: RuleDefinition<K> };

export const quote = (text: string) => `"${text}"`;

/** "a", "a and b", "a, b and c". */
export function listOf(items: readonly string[], last = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

export function withLines(message: ParsedCommitMessage, edit: (lines: string[]) => void): string {
  const lines = [...message.lines];
  edit(lines);
  return lines.join('\n');
}

export function withHeader(message: ParsedCommitMessage, header: string): string {
  return withLines(message, (lines) => {
    lines[0] = header;
  });
}

/** The message with the subject replaced and the rest of the header as written. */
export function withSubject(message: ParsedCommitMessage, subject: string): string {
  const { subjectStart } = headerParts(message.header);
  return withHeader(message, message.header.slice(0, subjectStart) + subject);
}

/** The message's footer lines, as written. */
export function footerLines(message: ParsedCommitMessage): string[] {
  return message.footerStart === null ? [] : message.lines.slice(message.footerStart);
}

/** Body lines with their 1-based line numbers in the message. */
export function bodyLines(message: ParsedCommitMessage): { line: number; text: string }[] {
  if (message.bodyStart === null) return [];
  const end = message.footerStart ?? message.lines.length;
  return message.lines
    .slice(message.bodyStart, end)
    .map((text, i) => ({ line: (message.bodyStart ?? 0) + i + 1, text }));
}

export const isBlank = (line: string | undefined) => (line ?? '').trim() === '';
