import { tokenSpans } from './tokenize/index.js';

/** About how many characters of the chunk a snippet shows. */
export const SNIPPET_LENGTH = 200;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** Escaped, with runs of whitespace (line breaks of the chunk) shown as one space. */
function show(text: string): string {
  return escapeHtml(text.replace(/\s+/g, ' '));
}

interface Mark {
  start: number;
  end: number;
  terms: Set<string>;
}

/**
 * The best window of about `length` characters of `text` for `queryTerms` (terms of
 * `tokenize(query)`), HTML-escaped, each match wrapped in `<mark>…</mark>`. Matching uses the same
 * tokenizer as the index, so "running" marks "runs" and a Korean query marks the syllables its
 * bigrams cover ("사용량" marks "사용량" in "사용량이"). The window holds the most distinct query
 * terms (then the most matches), centred on them, cut at spaces, with "…" where text was left out.
 * Without any match (a vector hit) the snippet is the start of the chunk.
 *
 * @example
 * highlight('Copy <SOURCE> files, recursively.', new Set(tokenize('copying files')));
 * // '<mark>Copy</mark> &lt;SOURCE&gt; <mark>files</mark>, recursively.'
 */
export function highlight(text: string, queryTerms: ReadonlySet<string>, length = SNIPPET_LENGTH): string {
  const marks = queryTerms.size === 0 ? [] : matches(text, queryTerms, length);
  if (marks.length === 0) {
    const end = text.length <= length ? text.length : cutBefore(text, length, 0);
    return `${show(text.slice(0, end)).trim()}${end < text.length ? '…' : ''}`;
  }

  // The window [first, last] of marks that fits and covers the most distinct terms.
  let best = { first: 0, last: 0, score: -1 };
  for (let first = 0; first < marks.length; first++) {
    const terms = new Set<string>();
    let last = first;
    for (let j = first; j < marks.length; j++) {
      if ((marks[j] as Mark).end - (marks[first] as Mark).start > length && j > first) break;
      for (const term of (marks[j] as Mark).terms) terms.add(term);
      last = j;
    }
    const score = terms.size * 10_000 + (last - first + 1);
    if (score > best.score) best = { first, last, score };
  }
  const from = (marks[best.first] as Mark).start;
  const to = (marks[best.last] as Mark).end;
  const slack = Math.max(0, length - (to - from));
  let start = Math.max(0, from - Math.floor(slack / 2));
  let end = Math.min(text.length, start + Math.max(length, to - from));
  start = Math.max(0, Math.min(start, end - length));
  if (start > 0) start = cutAfter(text, start, from);
  if (end < text.length) end = cutBefore(text, end, to);

  let html = '';
  let at = start;
  for (const mark of marks) {
    if (mark.end <= start || mark.start >= end) continue;
    const markStart = Math.max(mark.start, start);
    const markEnd = Math.min(mark.end, end);
    html += `${show(text.slice(at, markStart))}<mark>${show(text.slice(markStart, markEnd))}</mark>`;
    at = markEnd;
  }
  html += show(text.slice(at, end));
  return `${start > 0 ? '…' : ''}${html.trim()}${end < text.length ? '…' : ''}`;
}

/** Spans of query terms in `text`, overlapping or touching ones (Hangul bigrams) merged. */
function matches(text: string, queryTerms: ReadonlySet<string>, length: number): Mark[] {
  const marks: Mark[] = [];
  for (const [from, to] of regions(text, queryTerms, length)) {
    for (const span of tokenSpans(text.slice(from, to))) {
      if (!queryTerms.has(span.term)) continue;
      const start = span.start + from;
      const end = span.end + from;
      const previous = marks.at(-1);
      if (previous && start <= previous.end && start >= previous.start) {
        previous.end = Math.max(previous.end, end);
        previous.terms.add(span.term);
      } else marks.push({ start, end, terms: new Set([span.term]) });
    }
  }
  return marks;
}

/**
 * The parts of `text` worth tokenizing: a long chunk holds a few matches, and tokenizing (with
 * stemming) is the costly step. Each term's probe — the term without its last letter, since a
 * Porter stem differs from its word only at the end ("happi" ← "happy", "file" ← "filing") —
 * is found by plain substring search in the lowercased text, and only ±`length` around each
 * find, widened to whitespace, is tokenized. Text that NFKC or lowercasing would reshape is
 * tokenized whole, where a substring search could miss.
 */
function regions(text: string, queryTerms: ReadonlySet<string>, length: number): Array<[number, number]> {
  const lower = text.toLowerCase();
  if (lower.length !== text.length || text.normalize('NFKC') !== text) return [[0, text.length]];
  const found: Array<[number, number]> = [];
  for (const term of queryTerms) {
    const probe = term.length >= 3 && /^[a-z]+$/.test(term) ? term.slice(0, -1) : term;
    for (let at = lower.indexOf(probe); at !== -1; at = lower.indexOf(probe, at + 1)) {
      found.push([Math.max(0, at - length), Math.min(text.length, at + probe.length + length)]);
    }
  }
  found.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of found) {
    const start = widenStart(text, from);
    const end = widenEnd(text, to);
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function widenStart(text: string, at: number): number {
  let i = at;
  while (i > 0 && !/\s/.test(text[i - 1] as string)) i--;
  return i;
}

function widenEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && !/\s/.test(text[i] as string)) i++;
  return i;
}

/** Moves `start` forward to the beginning of a word, but never past `limit`. */
function cutAfter(text: string, start: number, limit: number): number {
  if (/\s/.test(text[start - 1] ?? ' ')) return start;
  for (let i = start; i < limit; i++) if (/\s/.test(text[i] as string)) return i + 1;
  return start;
}

/** Moves `end` back to the end of a word, but never before `limit`. */
function cutBefore(text: string, end: number, limit: number): number {
  if (/\s/.test(text[end] ?? ' ')) return end;
  for (let i = end; i > limit; i--) if (/\s/.test(text[i - 1] as string)) return i - 1;
  return end;
}
