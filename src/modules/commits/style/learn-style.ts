import { isMerge, type MessageParts, parseMessage } from './message-parts.js';
import type { BreakingMarker, Count, Language, StyleProfile, TicketPlacement } from './style.types.js';
import { charLength, hangulSyllable, percentile, share } from './text.js';

/** Fewer cases than this and a habit is not judged (left `null`). */
export const MIN_CASES = 5;

function tally(values: Iterable<string>): Count[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

function top<T extends string>(values: T[]): T | null {
  return (tally(values)[0]?.value as T | undefined) ?? null;
}

/** `ko` when Hangul words are at least as many as plain English words, `en` when fewer. */
export function subjectLanguage(subject: string): Language | null {
  const tokens = subject.split(/\s+/).filter(Boolean);
  const hangul = tokens.filter((t) => hangulSyllable.test(t)).length;
  // Plain words only: identifiers (parseHeader, README, src/a.ts) are written the same in both.
  const english = tokens.filter((t) => /^[A-Z]?[a-z]+[,.:;!?]?$/.test(t)).length;
  if (hangul === 0 && english === 0) return null;
  return hangul >= english ? 'ko' : 'en';
}

function habit<T extends string>(
  count: number,
  shareOf: number,
  high: T,
  low: T,
  mixed: T,
  thresholds: [number, number] = [0.75, 0.25],
): T | null {
  if (count < MIN_CASES) return null;
  return shareOf >= thresholds[0] ? high : shareOf <= thresholds[1] ? low : mixed;
}

function subjectStats(parts: MessageParts[]): StyleProfile['subject'] {
  const measured = parts.filter((p) => !p.toolWritten && p.subject !== '');
  const lengths = measured.map((p) => charLength(p.subject));
  const firstWords = measured
    .map((p) => /^\S+/.exec(p.subject)?.[0] ?? '')
    .filter((w) => /^[A-Z]?[a-z]+$/.test(w.replace(/[,:;]$/, '')));
  const lower = firstWords.filter((w) => /^[a-z]/.test(w)).length;
  const periods = measured.filter((p) => /[^.]\.$/.test(p.subject)).length;
  const lowerShare = share(lower, firstWords.length);
  const periodShare = share(periods, measured.length);
  return {
    count: measured.length,
    p50: percentile(lengths, 0.5),
    p90: percentile(lengths, 0.9),
    case: habit(firstWords.length, lowerShare, 'lower', 'upper', 'mixed'),
    lowerShare,
    period: habit(measured.length, periodShare, 'always', 'never', 'mixed', [0.6, 0.2]),
    periodShare,
  };
}

const bulletLine = /^(?:[-*+•]|\d+[.)])\s/;

function bodyStats(parts: MessageParts[]): StyleProfile['body'] {
  const bodies = parts.map((p) => p.body).filter((b) => b !== '');
  // A body is a list when most of its lines that start at the margin are list items.
  const bulleted = bodies.filter((b) => {
    const items = b.split('\n').filter((l) => l.trim() !== '' && !/^\s/.test(l));
    return items.filter((l) => bulletLine.test(l)).length >= 0.6 * items.length;
  }).length;
  const bulletShare = share(bulleted, bodies.length);
  const widths = bodies.map((b) => Math.max(...b.split('\n').map(charLength)));
  return {
    share: share(bodies.length, parts.length),
    style: habit(bodies.length, bulletShare, 'bullets', 'prose', 'mixed', [0.6, 0.4]),
    bulletShare,
    lineWidth: bodies.length >= MIN_CASES ? percentile(widths, 0.5) : null,
  };
}

function ticketStats(parts: MessageParts[]): StyleProfile['tickets'] {
  const refs = parts.flatMap((p) => p.tickets);
  const pattern = top(refs.map((r) => r.pattern));
  const ofPattern = refs.filter((r) => r.pattern === pattern);
  const placement = top<TicketPlacement>(ofPattern.map((r) => r.placement));
  const inSubject = ofPattern.filter((r) => r.placement === placement && r.placement !== 'footer');
  const brackets = top(inSubject.map((r) => r.brackets ?? 'bare'));
  return {
    share: share(parts.filter((p) => p.tickets.length > 0).length, parts.length),
    pattern,
    project: top(ofPattern.flatMap((r) => (r.key ? [r.key] : []))),
    placement,
    brackets: brackets === 'square' || brackets === 'round' ? brackets : null,
    footerToken: top(ofPattern.flatMap((r) => (r.token ? [r.token] : []))),
  };
}

function breakingStats(parts: MessageParts[]): StyleProfile['breaking'] {
  const markers = parts.flatMap((p): BreakingMarker[] => {
    const footer = p.footers.some((f) => /^BREAKING[ -]CHANGE$/.test(f.token));
    if (p.bang && footer) return ['both'];
    if (p.bang) return ['bang'];
    return footer ? ['footer'] : [];
  });
  return { count: markers.length, marker: top(markers) };
}

/**
 * Learns how a team writes commit messages from its recent history (newest first; a couple of
 * hundred is plenty). Merge commits are left out; everything else counts. Deterministic: the
 * same messages give the same profile. See README.md for each field.
 *
 * @example
 * const profile = learnStyle(['feat(parser): add header guard', 'fix(parser): handle empty input']);
 * profile.types; // [{ value: 'feat', count: 1 }, { value: 'fix', count: 1 }]
 */
export function learnStyle(messages: string[]): StyleProfile {
  const kept = messages.filter((m) => m.trim() !== '');
  const parts = kept.filter((m) => !isMerge(m)).map(parseMessage);
  const structured = parts.filter((p) => p.conventional || p.gitmoji);
  const typed = parts.filter((p) => p.type !== null);
  const scopesByType: Record<string, Count[]> = {};
  for (const type of tally(typed.map((p) => p.type ?? ''))) {
    scopesByType[type.value] = tally(typed.filter((p) => p.type === type.value).flatMap((p) => p.scopes));
  }
  const languages = parts.filter((p) => !p.toolWritten).map((p) => subjectLanguage(p.subject));
  const judged = languages.filter((l) => l !== null).length;
  const ko = share(languages.filter((l) => l === 'ko').length, judged);
  const en = share(languages.filter((l) => l === 'en').length, judged);
  const emojis = parts.flatMap((p) => (p.gitmoji ? [p.gitmoji] : []));
  return {
    sample: parts.length,
    merges: kept.length - parts.length,
    conventional: share(parts.filter((p) => p.conventional).length, parts.length),
    gitmoji: share(emojis.length, parts.length),
    gitmojiStyle: top(emojis.map((e) => e.style)),
    emojis: tally(emojis.map((e) => e.code)),
    types: tally(typed.map((p) => p.type ?? '')),
    scopes: tally(structured.flatMap((p) => p.scopes)),
    scopesByType,
    scopeUsage: share(structured.filter((p) => p.scopes.length > 0).length, structured.length),
    language: judged < MIN_CASES ? null : ko >= 0.6 ? 'ko' : en >= 0.6 ? 'en' : 'mixed',
    languageShares: { ko, en },
    subject: subjectStats(parts),
    body: bodyStats(parts),
    tickets: ticketStats(parts),
    breaking: breakingStats(parts),
  };
}

/** A profile that changes nothing: what `learnStyle([])` returns. */
export const emptyProfile: StyleProfile = learnStyle([]);
