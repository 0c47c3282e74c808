import type { Count } from './style.types.js';

/** How a drafted scope was matched to one the team writes, strongest first. */
export type ScopeMatchRule = 'same word' | 'singular/plural' | 'path segment' | 'prefix' | 'edit distance';

function singular(word: string): string {
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) return word.slice(0, -1);
  return word;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

const segments = (scope: string) => scope.split(/[/.:]/).filter(Boolean);

const rules: { rule: ScopeMatchRule; test: (draft: string, team: string) => boolean }[] = [
  { rule: 'same word', test: (d, t) => d === t },
  { rule: 'singular/plural', test: (d, t) => singular(d) === singular(t) },
  {
    rule: 'path segment',
    test: (d, t) => segments(d).includes(t) || segments(t).includes(d),
  },
  // A short form of the other (bench / benchmarks, db / dbs); three letters at least.
  {
    rule: 'prefix',
    test: (d, t) => Math.min(d.length, t.length) >= 3 && (d.startsWith(t) || t.startsWith(d)),
  },
  // Typos and spellings (notify / notifs, identity / identiy); short words are too close to judge.
  {
    rule: 'edit distance',
    test: (d, t) => {
      const shortest = Math.min(d.length, t.length);
      return shortest >= 4 && editDistance(d, t) <= (shortest >= 6 ? 2 : 1);
    },
  },
];

/**
 * The team scope a drafted scope stands for, by the first rule that finds one (case ignored);
 * several at one rule: the one used most with the draft's type, then overall.
 */
export function matchScope(
  scope: string,
  teamScopes: Count[],
  withType: Count[],
): { scope: string; rule: ScopeMatchRule } | null {
  const draft = scope.toLowerCase();
  const usedWithType = (value: string) => withType.find((c) => c.value === value)?.count ?? 0;
  for (const { rule, test } of rules) {
    const found = teamScopes
      .filter((c) => test(draft, c.value.toLowerCase()))
      .sort((a, b) => usedWithType(b.value) - usedWithType(a.value) || b.count - a.count);
    const best = found[0];
    if (best) return { scope: best.value, rule };
  }
  return null;
}
