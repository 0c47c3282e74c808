import { cosine } from '../../../shared/llm/index.js';
import type { Scoping } from '../analysis/index.js';
import { parseCommitMessage } from '../rules/index.js';
import type { DraftCandidate } from './draft.js';

/**
 * Seed P-6 / §8 "re-use intelligence": a change close enough to one the team approved before is
 * drafted by adapting that message, and the model is not called.
 */

/** Seed 001 §8: cos ≥ 0.85 on Free/Basic, ≥ 0.90 on Premium/Org. */
export function reuseThreshold(planKey: string | null): number {
  return planKey === 'premium' || planKey === 'org' || planKey === 'enterprise' ? 0.9 : 0.85;
}

/**
 * The scoped change as the code space embeds it: each Top element's kind and changed lines,
 * highest score first. Paths and element names are left out: the same guard added to
 * `parseFooter` as to `parseHeader` is the same change (measured with the offline code model:
 * 1.0 without the names, 0.81 with them), and `adaptMessage` puts the new names in.
 */
export function changeText(scoping: Scoping, maxChars = 6_000): string {
  const parts: string[] = [];
  let size = 0;
  for (const e of scoping.top) {
    const lines = e.changes
      .map((c) => `${c.kind === 'add' ? '+' : '-'}${c.text.trim()}`)
      .filter((l) => l.length > 1);
    const part = [`${e.kind} ${e.element.kind}`, ...lines].join('\n');
    if (size + part.length > maxChars) break;
    parts.push(part);
    size += part.length;
  }
  return parts.join('\n\n');
}

export interface ApprovedChange {
  requestId: string;
  message: string;
  /** The Top element names of that change, highest score first. */
  topNames: string[];
  vector: ArrayLike<number>;
}

/** The closest approved change at or above `threshold`, if any. */
export function closest(
  vector: ArrayLike<number>,
  approved: readonly ApprovedChange[],
  threshold: number,
): { change: ApprovedChange; similarity: number } | null {
  let best: { change: ApprovedChange; similarity: number } | null = null;
  for (const change of approved) {
    if (change.vector.length !== vector.length) continue;
    const similarity = cosine(vector, change.vector);
    if (similarity >= threshold && (!best || similarity > best.similarity)) best = { change, similarity };
  }
  return best;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The approved message for this change: its type, scope, subject and body, with the names of the
 * old change's elements replaced by the new change's, rank for rank (`parseHeader` → `parseFooter`).
 */
export function adaptMessage(
  approved: ApprovedChange,
  currentNames: readonly string[],
  similarity: number,
  savedInputTokens: number,
): DraftCandidate {
  const parsed = parseCommitMessage(approved.message);
  const renames: Array<[string, string]> = [];
  approved.topNames.forEach((old, i) => {
    const now = currentNames[i];
    const shortOld = old.split('.').at(-1) ?? old;
    const shortNow = now?.split('.').at(-1);
    if (shortNow && shortOld !== shortNow) renames.push([shortOld, shortNow]);
  });
  const rename = (text: string) =>
    renames.reduce((t, [from, to]) => t.replace(new RegExp(`\\b${escapeRegExp(from)}\\b`, 'g'), to), text);
  const footer = parsed.footers.find((f) => /^BREAKING[ -]CHANGE$/.test(f.token))?.value;
  const breakingNote = footer ? rename(footer) : null;
  return {
    type: parsed.type ?? 'chore',
    scope: parsed.scope,
    subject: rename(parsed.subject ?? parsed.header),
    body: rename(parsed.body ?? ''),
    breaking: parsed.breaking || breakingNote !== null,
    breakingNote,
    origin: 'reuse',
    provider: 'keel-reuse',
    model: 'approved-change',
    llmRequestId: null,
    notes: [
      `adapted from an approved change (cosine ${similarity.toFixed(3)})${renames.length ? `, ${renames.map(([a, b]) => `${a} → ${b}`).join(', ')}` : ''}; no model was called`,
    ],
    reuse: { requestId: approved.requestId, similarity, savedInputTokens },
  };
}
