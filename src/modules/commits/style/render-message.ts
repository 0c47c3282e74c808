import Mustache from 'mustache';
import { KeelError } from '../../../kernel/errors/index.js';
import { templateProblem } from './convention.js';
import { gitmojiOf } from './gitmoji.js';
import type { Convention, StyleDraft, TicketStyle } from './style.types.js';

/** Commit text is not HTML: values are written as they are. */
const plain = { escape: (value: unknown) => String(value) };

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function ticketRef(ticket: string, style: TicketStyle): string {
  if (style.brackets === 'square') return `[${ticket}]`;
  return style.brackets === 'round' ? `(${ticket})` : ticket;
}

/** The subject with a ticket placed in it, and the footers the message ends with. */
function subjectAndFooters(
  draft: StyleDraft,
  ticketStyle: TicketStyle | undefined,
  breakingFooter: boolean,
): { subject: string; footers: string[] } {
  let subject = oneLine(draft.subject);
  const footers: string[] = [];
  const note = draft.breakingNote?.trim();
  if (breakingFooter && note) footers.push(`BREAKING CHANGE: ${oneLine(note)}`);
  const ticket = draft.ticket?.trim();
  if (ticket) {
    const style = ticketStyle ?? { placement: 'footer' };
    if (style.placement === 'subject-prefix') subject = `${ticketRef(ticket, style)} ${subject}`;
    else if (style.placement === 'subject-suffix') subject = `${subject} ${ticketRef(ticket, style)}`;
    else footers.push(`${style.token ?? 'Refs'}: ${ticket}`);
  }
  return { subject, footers };
}

function assemble(header: string, body: string, footers: string[]): string {
  return [header, body.trim(), footers.join('\n')].filter((part) => part !== '').join('\n\n');
}

/** Trailing spaces and the blank lines empty variables leave behind. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Writes a draft as a commit message in a convention:
 * - `conventional`: `type(scope)!: subject`, a blank line, the body, then the footers
 *   (`BREAKING CHANGE: …`, a ticket as `Refs: …`). `breaking: 'bang'` writes only the `!`
 *   (the note ends the body), `'footer'` only the footer; the default writes both.
 * - `gitmoji`: `<intention> [(scope): ]<subject>` as gitmoji.dev specifies, the type's gitmoji
 *   as `:code:` or unicode (💥 for a breaking change), then body and footers.
 * - `custom`: a Mustache template without HTML escaping; unknown variables render empty.
 *   A template that does not parse throws `validation_failed` naming the field `template`.
 *
 * @example
 * renderMessage({ type: 'feat', scope: 'parser', subject: 'add header guard', body: '', breaking: false, breakingNote: null }, { kind: 'gitmoji', style: 'code' });
 * // ':sparkles: (parser): add header guard'
 */
export function renderMessage(draft: StyleDraft, convention: Convention): string {
  const note = draft.breakingNote?.trim() || null;
  const breaking = draft.breaking || note !== null;
  const type = draft.type.trim();
  const scope = draft.scope?.trim() || null;

  if (convention.kind === 'custom') {
    const problem = templateProblem(convention.template);
    if (problem)
      throw new KeelError('validation_failed', `template: ${problem}`, {
        details: { errors: [{ field: 'template', message: problem }] },
      });
    const emoji = gitmojiOf(type, breaking);
    const view = {
      type,
      scope: scope ?? '',
      subject: oneLine(draft.subject),
      body: draft.body.trim(),
      breaking,
      breakingNote: note ?? '',
      emoji: emoji.unicode,
      emojiCode: emoji.code,
      ticket: draft.ticket?.trim() ?? '',
    };
    return tidy(Mustache.render(convention.template, view, {}, plain));
  }

  if (convention.kind === 'gitmoji') {
    const { subject, footers } = subjectAndFooters(draft, convention.ticket, true);
    const emoji = gitmojiOf(type, breaking)[convention.style];
    return assemble(`${emoji} ${scope ? `(${scope}): ` : ''}${subject}`, draft.body, footers);
  }

  const marker = convention.breaking ?? 'both';
  // A footer needs a note: without one, the `!` marks the change whatever the habit.
  const bang = breaking && (marker !== 'footer' || note === null);
  const footer = breaking && marker !== 'bang';
  const { subject, footers } = subjectAndFooters(draft, convention.ticket, footer);
  const body =
    breaking && marker === 'bang' && note
      ? [draft.body.trim(), note].filter(Boolean).join('\n\n')
      : draft.body;
  const header = type ? `${type}${scope ? `(${scope})` : ''}${bang ? '!' : ''}: ${subject}` : subject;
  return assemble(header, body, footers);
}
