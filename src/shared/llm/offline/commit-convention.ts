import type { FileFacts } from './commit-analysis.js';

/**
 * A team's commit convention as far as rules can honour it: allowed types and scopes, whether a
 * scope is required or forbidden, the subject length. A requested language is recorded but not
 * applied (the offline rules cannot translate).
 */

export interface CommitConvention {
  /** Allowed types, when the team restricts them. */
  types: string[] | null;
  /** Allowed scopes, when the team restricts them. */
  scopes: string[] | null;
  scopeRequired: boolean;
  noScope: boolean;
  /** Longest subject allowed (the header is also kept within 72 characters). */
  maxSubjectLength: number;
  /** A language other than English the team asked for (not applied: no translation offline). */
  language: string | null;
}

export const defaultConvention: CommitConvention = {
  types: null,
  scopes: null,
  scopeRequired: false,
  noScope: false,
  maxSubjectLength: 72,
  language: null,
};

const knownTypes = [
  'feat',
  'fix',
  'docs',
  'style',
  'refactor',
  'perf',
  'test',
  'build',
  'ci',
  'chore',
  'revert',
];

const listWords = new Set(
  'a an and any are as be e.g eg etc following for from is must of one only optional or required such the these this to use used when with allowed none'.split(
    ' ',
  ),
);

function listAfter(text: string, label: RegExp): string[] | null {
  for (const line of text.split('\n')) {
    const m = label.exec(line);
    if (!m) continue;
    const tokens = (m[1] ?? '')
      .split(/[\s,;|/`'"()[\]{}*]+/)
      .map((t) => t.trim().replace(/[.:]+$/, ''))
      .filter((t) => /^[a-z0-9][\w.-]*$/i.test(t) && t.length <= 30 && !listWords.has(t.toLowerCase()));
    if (tokens.length > 0) return tokens;
  }
  return null;
}

const languages: Record<string, string> = {
  korean: 'Korean',
  japanese: 'Japanese',
  chinese: 'Chinese',
  german: 'German',
  french: 'French',
  spanish: 'Spanish',
  portuguese: 'Portuguese',
  italian: 'Italian',
  russian: 'Russian',
  vietnamese: 'Vietnamese',
  한국어: 'Korean',
  한글: 'Korean',
  日本語: 'Japanese',
  中文: 'Chinese',
};

/**
 * Reads the rules a system prompt states about commit messages: allowed types (`Types: feat,
 * fix, docs`), allowed scopes (`Scopes: identity, plans`), `scope required` / `no scope`, a
 * subject length (`subject ≤ 50 characters`) and a language (`subject in Korean`, `한국어로`).
 */
export function parseConvention(system: string): CommitConvention {
  const convention: CommitConvention = { ...defaultConvention };
  const types = listAfter(
    system,
    /(?:\btypes?\b|타입|유형)[^:：\n]*?(?:[:：=]|\bone of\b|\bamong\b)\s*(.+)$/i,
  );
  if (types) {
    const lowered = types.map((t) => t.toLowerCase()).filter((t) => /^[a-z]+$/.test(t));
    if (lowered.some((t) => knownTypes.includes(t))) convention.types = [...new Set(lowered)];
  }
  const scopes = listAfter(
    system,
    /(?:\bscopes?\b|스코프)[^:：\n]*?(?:[:：=]|\bone of\b|\bamong\b)\s*(.+)$/i,
  );
  if (scopes) convention.scopes = [...new Set(scopes.map((s) => s.toLowerCase()))];
  if (/\bscope\b[^.\n]*\b(required|mandatory|must be (given|set|present))\b|스코프[^.\n]*필수/i.test(system))
    convention.scopeRequired = true;
  if (/\b(no|without|omit(ting)? the)\s+scopes?\b|스코프[^.\n]*(없이|생략)/i.test(system))
    convention.noScope = true;
  const length =
    /(?:subject|header|title|summary|first line|제목)[^\n\d]*?(?:≤|<=|at most|max(?:imum)?|no (?:longer|more) than|under|up to|within|최대)\s*(\d{2,3})/i.exec(
      system,
    ) ??
    /(?:subject|header|title|제목)[^\n\d]*?(\d{2,3})\s*(?:characters|chars|자)\s*(?:or less|max|이내|이하)?/i.exec(
      system,
    );
  if (length?.[1]) convention.maxSubjectLength = Math.max(10, Math.min(72, Number(length[1])));
  const language =
    /\b(?:in|use|using|write|written)\s+(korean|japanese|chinese|german|french|spanish|portuguese|italian|russian|vietnamese)\b/i.exec(
      system,
    ) ?? /(한국어|한글|日本語|中文)/.exec(system);
  if (language?.[1]) convention.language = languages[language[1].toLowerCase()] ?? language[1];
  return convention;
}

/** Closest allowed type when the inferred one is not allowed, by what each type means. */
const typeFallbacks: Record<string, string[]> = {
  feat: ['feature', 'add', 'chore'],
  fix: ['bugfix', 'hotfix', 'chore'],
  perf: ['refactor', 'fix', 'chore'],
  style: ['chore', 'refactor'],
  refactor: ['chore'],
  test: ['chore'],
  docs: ['chore'],
  build: ['chore', 'ci'],
  ci: ['build', 'chore'],
  chore: ['build', 'refactor'],
};

export function applyConvention(
  draft: { type: string; scope: string | null },
  facts: FileFacts[],
  convention: CommitConvention,
  notes: string[],
): { type: string; scope: string | null } {
  let { type, scope } = draft;
  if (convention.types && !convention.types.includes(type)) {
    const allowed = convention.types;
    const fallback = (typeFallbacks[type] ?? []).find((t) => allowed.includes(t)) ?? allowed[0] ?? type;
    notes.push(`type ${type} is not allowed by the convention: used ${fallback}`);
    type = fallback;
  }
  if (convention.noScope) scope = null;
  else if (convention.scopes) {
    const allowed = convention.scopes;
    if ((scope && !allowed.includes(scope)) || (!scope && convention.scopeRequired)) {
      // An allowed scope named by a path segment of the changed files (weighted by lines), or one
      // that is a prefix of the inferred scope (benchmarks → bench).
      const votes = new Map<string, number>();
      for (const f of facts)
        for (const segment of f.file.path.toLowerCase().split(/[/.]/))
          if (allowed.includes(segment))
            votes.set(segment, (votes.get(segment) ?? 0) + Math.max(1, f.addedCount + f.removedCount));
      const byPath = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      const byPrefix = scope
        ? allowed.find((s) => scope?.startsWith(s) || s.startsWith(scope ?? ''))
        : undefined;
      const chosen = byPrefix ?? byPath ?? null;
      if (scope !== chosen)
        notes.push(
          chosen
            ? `scope ${scope ?? '(none)'} is not in the allowed scopes: used ${chosen}`
            : `scope ${scope} is not in the allowed scopes: left out`,
        );
      scope = chosen;
    }
  }
  if (convention.scopeRequired && !scope)
    notes.push('the convention requires a scope, and no allowed scope matches the changed paths');
  return { type, scope };
}
