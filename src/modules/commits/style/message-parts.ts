import { leadingGitmoji, typeOfGitmoji } from './gitmoji.js';
import type { TicketPattern, TicketPlacement } from './style.types.js';

/** One commit message taken apart the way `learnStyle` reads it. */
export interface MessageParts {
  header: string;
  /** `type(scope)!: subject`, possibly after a gitmoji. */
  conventional: boolean;
  gitmoji: { code: string; style: 'code' | 'unicode' } | null;
  /** From the conventional header, else from the gitmoji (null when it names none). */
  type: string | null;
  scopes: string[];
  /** The description, without the type, gitmoji and ticket references. */
  subject: string;
  /** Written by git itself (`Revert "…"`): counts as a revert, not as the team's subject style. */
  toolWritten: boolean;
  /** The text between the header and the footers ('' for none). */
  body: string;
  footers: { token: string; value: string }[];
  bang: boolean;
  tickets: {
    pattern: TicketPattern;
    key: string | null;
    placement: TicketPlacement;
    brackets: 'square' | 'round' | null;
    token: string | null;
  }[];
}

const merge =
  /^Merge (?:(?:remote-tracking )?branch|branches|pull request|tag|commit|changes|remote-tracking) |^Merge '[^']*' into |^Merged in /;

/** `Merge branch…`, `Merge pull request…` and the like: written by git or a forge, not the team. */
export function isMerge(message: string): boolean {
  return merge.test(message.trimStart());
}

// A type is a word or hyphenated words (`feat`, `release-notes`); `XY-1:` is a ticket, not a type.
const conventionalHeader =
  /^(?<type>[A-Za-z]{1,20}(?:-[A-Za-z]+)*)(?:\((?<scope>[^()\r\n]*)\))?(?<bang>!)?: (?<subject>.*)$/;
const gitmojiScope = /^\((?<scope>[^()\r\n]+)\):?\s+(?<subject>.*)$/;
const trailer = /^(?<token>BREAKING[ -]CHANGE|[A-Za-z][\w-]*)(?:: | #)(?<value>.*)$/;

// Jira-style keys, not the standards and encodings written the same way (UTF-8, ISO-8601…).
const notProjects = new Set(['UTF', 'ISO', 'SHA', 'CVE', 'RFC', 'TLS', 'SSL', 'HTTP', 'ES', 'IE', 'P']);
const ticketRef = '(?:#\\d+|[A-Z][A-Z0-9]{0,9}-\\d+)';
const ticketPrefix = new RegExp(`^(?:\\[(${ticketRef})\\]|\\((${ticketRef})\\)|(${ticketRef}))[:\\s]\\s*`);
const ticketSuffix = new RegExp(`\\s+(?:\\[(${ticketRef})\\]|\\((${ticketRef})\\)|(${ticketRef}))\\.?$`);
const ticketTokens =
  /^(?:refs?|references|closes|close|closed|fixes|fix|fixed|resolves|resolve|resolved|related|relates-to|issue|issues|see|ticket|jira|task)$/i;

function ticketOf(ref: string): { pattern: TicketPattern; key: string | null } | null {
  if (ref.startsWith('#')) return { pattern: '#123', key: null };
  const key = ref.slice(0, ref.lastIndexOf('-'));
  return notProjects.has(key) ? null : { pattern: 'ABC-123', key };
}

function bracketsOf(m: RegExpExecArray): 'square' | 'round' | null {
  return m[1] ? 'square' : m[2] ? 'round' : null;
}

/** Splits a message into header, body and trailing footers (the last paragraph, if all trailers). */
function splitMessage(message: string): {
  header: string;
  body: string;
  footers: { token: string; value: string }[];
} {
  const lines = message.replace(/\r\n?/g, '\n').trim().split('\n');
  const header = (lines.shift() ?? '').trim();
  const paragraphs = lines
    .join('\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+$/, '').replace(/^\n+/, ''))
    .filter((p) => p.trim() !== '');
  const last = paragraphs.at(-1);
  const lastLines = last?.split('\n') ?? [];
  // Trailer values may continue on indented lines.
  const isFooter =
    lastLines.length > 0 &&
    trailer.test(lastLines[0] ?? '') &&
    lastLines.every((l) => trailer.test(l) || /^\s/.test(l));
  const footers: { token: string; value: string }[] = [];
  if (isFooter) {
    paragraphs.pop();
    for (const line of lastLines) {
      const m = trailer.exec(line);
      if (m?.groups) footers.push({ token: m.groups.token ?? '', value: (m.groups.value ?? '').trim() });
      else if (footers.length > 0) {
        const previous = footers[footers.length - 1];
        if (previous) previous.value = `${previous.value} ${line.trim()}`;
      }
    }
  }
  return { header, body: paragraphs.join('\n\n'), footers };
}

export function parseMessage(message: string): MessageParts {
  const { header, body, footers } = splitMessage(message);
  const tickets: MessageParts['tickets'] = [];
  for (const footer of footers) {
    if (!ticketTokens.test(footer.token)) continue;
    for (const ref of footer.value.match(new RegExp(ticketRef, 'g')) ?? []) {
      const ticket = ticketOf(ref);
      if (ticket) tickets.push({ ...ticket, placement: 'footer', brackets: null, token: footer.token });
    }
  }

  const revert = /^Revert "(.*)"$/.exec(header);
  const emoji = leadingGitmoji(header);
  let rest = revert ? (revert[1] ?? '') : emoji ? header.slice(emoji.written.length).trimStart() : header;
  let type: string | null = null;
  let scopes: string[] = [];
  let bang = false;
  // A revert git wrote names the reverted header: its type and scope are not this commit's.
  const conventional = revert ? null : conventionalHeader.exec(rest);
  if (conventional?.groups) {
    type = (conventional.groups.type ?? '').toLowerCase();
    scopes = (conventional.groups.scope ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    bang = Boolean(conventional.groups.bang);
    rest = conventional.groups.subject ?? '';
  } else if (emoji) {
    type = typeOfGitmoji(emoji.code);
    const scoped = gitmojiScope.exec(rest);
    if (scoped?.groups) {
      scopes = [(scoped.groups.scope ?? '').trim()];
      rest = scoped.groups.subject ?? '';
    }
  }
  if (revert) type = 'revert';

  let subject = rest.trim();
  const prefix = ticketPrefix.exec(subject);
  const prefixTicket = prefix ? ticketOf(prefix[1] ?? prefix[2] ?? prefix[3] ?? '') : null;
  if (prefix && prefixTicket) {
    tickets.push({ ...prefixTicket, placement: 'subject-prefix', brackets: bracketsOf(prefix), token: null });
    subject = subject.slice(prefix[0].length);
  }
  const suffix = ticketSuffix.exec(subject);
  const suffixTicket = suffix ? ticketOf(suffix[1] ?? suffix[2] ?? suffix[3] ?? '') : null;
  if (suffix && suffixTicket) {
    tickets.push({ ...suffixTicket, placement: 'subject-suffix', brackets: bracketsOf(suffix), token: null });
    subject = subject.slice(0, suffix.index);
  }

  return {
    header,
    conventional: Boolean(conventional),
    gitmoji: emoji ? { code: emoji.code, style: emoji.style } : null,
    type,
    scopes,
    subject,
    toolWritten: Boolean(revert),
    body,
    footers,
    bang,
    tickets,
  };
}
