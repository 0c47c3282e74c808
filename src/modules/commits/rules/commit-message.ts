import { type Gitmoji, leadingGitmoji } from './gitmoji.js';

/** A footer (git trailer): `Refs: #12` is `{ token: 'Refs', value: '#12' }`. */
export interface CommitFooter {
  token: string;
  /** The text after `: `; after ` #` it keeps the `#` (`Refs #12` → `#12`). Continuation lines join with `\n`. */
  value: string;
}

/** A commit message read the way git records it and Conventional Commits splits it. */
export interface ParsedCommitMessage {
  /**
   * The message git would record: comment lines and everything from the scissors line on
   * removed, line ends as `\n`, no blank lines before or after, no final newline.
   */
  text: string;
  /** `text` split into lines (the header is `lines[0]`). */
  lines: string[];
  /** The first line, as written. */
  header: string;
  /** The Conventional Commits type, or null when the header does not follow the format. */
  type: string | null;
  scope: string | null;
  /** The header's `!` (`feat!: …`, `feat(api)!: …`). */
  breaking: boolean;
  /** The text after `type(scope): `, or the whole header (without its gitmoji) when there is no type. */
  subject: string;
  body: string | null;
  footers: CommitFooter[];
  /** A gitmoji before the type (`✨ feat: …`) or at the start of the subject (`:sparkles: add x`). */
  gitmoji: Gitmoji | null;
  /** Index in `lines` of the first body line, null without a body. */
  bodyStart: number | null;
  /** Index in `lines` of the first footer line, null without footers. */
  footerStart: number | null;
}

/** Where the parts of a header sit, so that a fix can rewrite one part and keep the rest as written. */
export interface HeaderParts {
  gitmoji: { start: number; end: number; value: Gitmoji } | null;
  type: { start: number; end: number } | null;
  scope: string | null;
  breaking: boolean;
  /** Where `!` is, or would go (after the type and scope). */
  bangAt: number | null;
  subjectStart: number;
}

export interface ParseOptions {
  /** git's `core.commentChar` (default `#`). */
  commentChar?: string;
}

const isBlank = (line: string) => line.trim() === '';
const conventionalHeader = /^([A-Za-z][\w-]*)(?:\(([^()\r\n]*)\))?(!)?: /;

/** Reads a header: gitmoji, type, scope, `!`, subject and where each one is. */
export function headerParts(header: string): HeaderParts {
  let at = header.length - header.trimStart().length;
  let gitmoji: HeaderParts['gitmoji'] = null;
  const leading = leadingGitmoji(header.slice(at));
  if (leading) {
    gitmoji = { start: at, end: at + leading.gitmoji.text.length, value: leading.gitmoji };
    at += leading.length;
  }
  const m = conventionalHeader.exec(header.slice(at));
  if (!m) return { gitmoji, type: null, scope: null, breaking: false, bangAt: null, subjectStart: at };
  const typeText = m[1] ?? '';
  const scopeText = m[2];
  const type = { start: at, end: at + typeText.length };
  const bangAt = type.end + (scopeText === undefined ? 0 : scopeText.length + 2);
  let subjectStart = at + m[0].length;
  if (!gitmoji) {
    const inSubject = leadingGitmoji(header.slice(subjectStart));
    if (inSubject) {
      gitmoji = {
        start: subjectStart,
        end: subjectStart + inSubject.gitmoji.text.length,
        value: inSubject.gitmoji,
      };
      subjectStart += inSubject.length;
    }
  }
  return { gitmoji, type, scope: scopeText ?? null, breaking: m[3] === '!', bangAt, subjectStart };
}

/** The message lines git keeps: comments and the scissors part dropped, outer blank lines trimmed. */
function cleanLines(text: string, commentChar: string): string[] {
  const kept: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    // `git commit -v` puts the diff below this line; git cuts the message there.
    if (line.startsWith(commentChar) && / -+ >8 -+\s*$/.test(line)) break;
    if (line.startsWith(commentChar)) continue;
    kept.push(line);
  }
  while (kept.length > 0 && isBlank(kept[0] ?? '')) kept.shift();
  while (kept.length > 0 && isBlank(kept[kept.length - 1] ?? '')) kept.pop();
  return kept;
}

const footerLine = /^(BREAKING CHANGE|BREAKING-CHANGE|[A-Za-z][\w-]*)(: | #)(.*)$/;
// Trailer tokens common enough to start a footer block without a blank line before it.
const trailerWords = new Set(
  'refs ref references closes close closed fixes fix fixed resolves resolve resolved see issue issues ticket task jira'.split(
    ' ',
  ),
);

export const isBreakingToken = (token: string) => token === 'BREAKING CHANGE' || token === 'BREAKING-CHANGE';

function trailerLike(line: string): boolean {
  const m = footerLine.exec(line);
  if (!m) return false;
  const token = m[1] ?? '';
  return (
    isBreakingToken(token) || token.includes('-') || m[2] === ' #' || trailerWords.has(token.toLowerCase())
  );
}

/**
 * Whether lines[from..] is a footer block: footer lines, each followed by continuation lines
 * (indented, as git folds trailers; or any text after a BREAKING CHANGE footer, whose
 * description may run on).
 */
function isFooterBlock(lines: string[], from: number): boolean {
  if (!footerLine.test(lines[from] ?? '')) return false;
  let breaking = isBreakingToken(footerLine.exec(lines[from] ?? '')?.[1] ?? '');
  for (let i = from + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = footerLine.exec(line);
    if (m) breaking = isBreakingToken(m[1] ?? '');
    else if (isBlank(line) || !(/^\s/.test(line) || breaking)) return false;
  }
  return true;
}

/**
 * Where the footers start: in the last paragraph, at its first line, or further down when the
 * rest of the paragraph is trailers that start with a common trailer (`Refs:`, `Signed-off-by:`,
 * `BREAKING CHANGE:`) — then the blank line before them is missing.
 */
function footerStartOf(lines: string[]): number | null {
  let paragraph = 1;
  for (let i = lines.length - 1; i >= 1; i--)
    if (isBlank(lines[i] ?? '')) {
      paragraph = i + 1;
      break;
    }
  for (let i = paragraph; i < lines.length; i++)
    if ((i === paragraph || trailerLike(lines[i] ?? '')) && isFooterBlock(lines, i)) return i;
  return null;
}

function footersOf(lines: string[]): CommitFooter[] {
  const footers: CommitFooter[] = [];
  for (const line of lines) {
    const m = footerLine.exec(line);
    const last = footers[footers.length - 1];
    if (m) footers.push({ token: m[1] ?? '', value: m[2] === ' #' ? `#${m[3] ?? ''}` : (m[3] ?? '') });
    else if (last) last.value += `\n${line.trim()}`;
  }
  return footers;
}

/**
 * Splits a commit message into header, type, scope, `!`, subject, body and footers.
 *
 * @example
 * parseCommitMessage('feat(api)!: drop v1\n\nBREAKING CHANGE: v1 is gone\nRefs: #12\n')
 * // → { type: 'feat', scope: 'api', breaking: true, subject: 'drop v1', body: null,
 * //     footers: [{ token: 'BREAKING CHANGE', value: 'v1 is gone' }, { token: 'Refs', value: '#12' }], … }
 */
export function parseCommitMessage(text: string, options: ParseOptions = {}): ParsedCommitMessage {
  const lines = cleanLines(text, options.commentChar ?? '#');
  const header = lines[0] ?? '';
  const parts = headerParts(header);
  const footerStart = footerStartOf(lines);
  const bodyEnd = footerStart ?? lines.length;
  let bodyStart: number | null = null;
  let bodyLast = -1;
  for (let i = 1; i < bodyEnd; i++)
    if (!isBlank(lines[i] ?? '')) {
      bodyStart ??= i;
      bodyLast = i;
    }
  return {
    text: lines.join('\n'),
    lines,
    header,
    type: parts.type ? header.slice(parts.type.start, parts.type.end) : null,
    scope: parts.scope,
    breaking: parts.breaking,
    subject: header.slice(parts.subjectStart).trim(),
    body: bodyStart === null ? null : lines.slice(bodyStart, bodyLast + 1).join('\n'),
    footers: footerStart === null ? [] : footersOf(lines.slice(footerStart)),
    gitmoji: parts.gitmoji?.value ?? null,
    bodyStart,
    footerStart,
  };
}
