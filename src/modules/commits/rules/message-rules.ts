import type { ParsedCommitMessage } from './commit-message.js';
import {
  bodyLines,
  footerLines,
  isBlank,
  listOf,
  quote,
  type RuleDefinitions,
  withLines,
} from './rule-definition.js';
import { whenOf } from './rules.schema.js';
import { charLength, wrapLines } from './wrap-body.js';

type MessageRule =
  | 'ticket-pattern'
  | 'body-leading-blank'
  | 'body-max-line-length'
  | 'footer-leading-blank'
  | 'footer-max-line-length'
  | 'references-empty'
  | 'message-pattern';

const lineNumbers = (lines: { line: number }[]) =>
  `${lines.length === 1 ? 'Line' : 'Lines'} ${listOf(lines.map((l) => String(l.line)))}`;

// Issue references as commitlint's default parser reads them: `#12`, `owner/repo#12`.
const reference = /(?:^|[\s(,;:])(?:[\w.-]+\/[\w.-]+)?#\d+\b/;

function regexOf(value: { pattern: string; flags?: string | undefined }): RegExp {
  return new RegExp(value.pattern, value.flags);
}

const describePattern = (value: { pattern: string; flags?: string | undefined }) =>
  `/${value.pattern}/${value.flags ?? ''}`;

function ticketText(message: ParsedCommitMessage, where: 'subject' | 'footer' | 'anywhere'): string {
  if (where === 'subject') return message.subject;
  if (where === 'footer') return footerLines(message).join('\n');
  return message.text;
}

/** The message with a footer line added at the end (after a blank line when it is the first). */
function withFooter(message: ParsedCommitMessage, line: string): string {
  return withLines(message, (lines) => {
    if (message.footerStart === null) lines.push('');
    lines.push(line);
  });
}

export const messageRules: RuleDefinitions<MessageRule> = {
  'ticket-pattern': {
    check(message, entry) {
      const where = entry.value.where ?? 'anywhere';
      if (regexOf(entry.value).test(ticketText(message, where))) return null;
      const pattern = describePattern(entry.value);
      if (where === 'subject') return `Name the ticket in the subject (a reference matching ${pattern}).`;
      const token = entry.value.footerToken ?? 'Refs';
      if (where === 'footer')
        return `Name the ticket in a footer, as in "${token}: <ticket>" (a reference matching ${pattern}).`;
      return `Name the ticket in the message, as in a "${token}: <ticket>" footer (a reference matching ${pattern}).`;
    },
    fix(message, entry, context) {
      const where = entry.value.where ?? 'anywhere';
      const ticket = context.branch ? regexOf(entry.value).exec(context.branch)?.[0] : undefined;
      if (where === 'subject' || !ticket) return null;
      return withFooter(message, `${entry.value.footerToken ?? 'Refs'}: ${ticket}`);
    },
  },

  'body-leading-blank': {
    check(message, entry) {
      if (message.bodyStart === null) return null;
      const blank = message.bodyStart > 1;
      if (whenOf(entry) === 'never')
        return blank ? 'Remove the blank line between the header and the body.' : null;
      return blank ? null : 'Put a blank line between the header and the body.';
    },
    fix(message, entry) {
      if (whenOf(entry) === 'never') return null;
      return withLines(message, (lines) => lines.splice(1, 0, ''));
    },
  },

  'body-max-line-length': {
    check(message, entry) {
      const body = bodyLines(message);
      const long = body.filter((l) => charLength(l.text) > entry.value);
      if (long.length === 0) return null;
      const texts = body.map((l) => l.text);
      const stuck = wrapLines(texts, entry.value).join('\n') === texts.join('\n');
      const verb = long.length === 1 ? 'is' : 'are';
      const hint = stuck ? ' (Keel does not break a URL, a code span or indented code)' : '';
      return `${lineNumbers(long)} of the message ${verb} longer than ${entry.value} characters; wrap the body at ${entry.value}${hint}.`;
    },
    fix(message, entry) {
      const body = bodyLines(message);
      const start = message.bodyStart;
      if (start === null) return null;
      const wrapped = wrapLines(
        body.map((l) => l.text),
        entry.value,
      );
      return withLines(message, (lines) => lines.splice(start, body.length, ...wrapped));
    },
  },

  'footer-leading-blank': {
    check(message, entry) {
      if (message.footerStart === null) return null;
      const blank = isBlank(message.lines[message.footerStart - 1]);
      const first = quote(message.lines[message.footerStart] ?? '');
      if (whenOf(entry) === 'never')
        return blank ? `Remove the blank line before the footer ${first}.` : null;
      return blank ? null : `Put a blank line before the footer ${first}.`;
    },
    fix(message, entry) {
      const start = message.footerStart;
      if (start === null || whenOf(entry) === 'never') return null;
      return withLines(message, (lines) => lines.splice(start, 0, ''));
    },
  },

  'footer-max-line-length': {
    check(message, entry) {
      const first = message.footerStart ?? 0;
      const long = footerLines(message)
        .map((text, i) => ({ line: first + i + 1, text }))
        .filter((l) => charLength(l.text) > entry.value);
      if (long.length === 0) return null;
      const verb = long.length === 1 ? 'is' : 'are';
      return `${lineNumbers(long)} of the message ${verb} longer than ${entry.value} characters; shorten the footer or continue it on an indented line.`;
    },
  },

  'references-empty': {
    check(message, entry) {
      const found = reference.test(message.text);
      if (whenOf(entry) === 'always')
        return found
          ? 'Remove the issue references (#123); this convention keeps them out of messages.'
          : null;
      return found ? null : 'Reference an issue, as in a "Refs: #123" footer.';
    },
  },

  'message-pattern': {
    check(message, entry) {
      const { name, explanation, target = 'message' } = entry.value;
      const text =
        target === 'header'
          ? message.header
          : target === 'subject'
            ? message.subject
            : target === 'body'
              ? (message.body ?? '')
              : target === 'footer'
                ? footerLines(message).join('\n')
                : message.text;
      const matches = regexOf(entry.value).test(text);
      const never = whenOf(entry) === 'never';
      if (matches !== never) return null;
      const sentence = /[.!?]$/.test(explanation) ? explanation : `${explanation}.`;
      return `${sentence} (${name}: the ${target} must ${never ? 'not ' : ''}match ${describePattern(entry.value)})`;
    },
  },
};
