import type { ChangedElement } from '../analysis/index.js';

/**
 * What a new guard handles, in a few words, from its condition: `if (!header) return` →
 * `empty header`; `if (user == null) throw` → `missing user`; `if (n < 0)` → `negative n`.
 * Null when the condition says nothing a subject could use (a call, a long expression).
 *
 * The words name the guarded value (`opts.maxSize` → `max size`), so `handle empty header` reads
 * like what a developer writes for such a fix.
 */
export function guardPhrase(element: Pick<ChangedElement, 'changes'>): string | null {
  for (const change of element.changes) {
    if (change.kind !== 'add') continue;
    const condition = conditionOf(change.text);
    if (!condition) continue;
    const phrase = phraseOf(condition);
    if (phrase) return phrase;
  }
  return null;
}

/** The condition of an `if`/`guard`/`unless` line in the languages the analysis reads. */
function conditionOf(line: string): string | null {
  const text = line.trim();
  const m =
    /^(?:}\s*else\s+)?if\s*\((.*)\)\s*(?:\{|return\b|throw\b|continue\b|break\b|$)/.exec(text) ?? // C family, JS
    /^(?:el)?if\s+(.*?):\s*(?:return\b|raise\b|continue\b|break\b|$)/.exec(text) ?? // Python
    /^if\s+(.*?)\s*\{\s*(?:return\b|$)/.exec(text) ?? // Go, Rust
    /^guard\s+(.*?)\s+else\b/.exec(text);
  return m?.[1]?.trim() ?? null;
}

/** `opts.maxSize` → `max size`; `raw_header` → `raw header`; `this.header` → `header`. */
function wordsOf(expression: string): string | null {
  const name = expression
    .replace(/^(?:this|self|&|\*)\.?/, '')
    .split(/\.|->|::/)
    .at(-1);
  if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return null;
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_+/g, ' ')
    .toLowerCase()
    .trim();
}

const SUBJECT = String.raw`([A-Za-z_][\w.]*(?:->\w+)*)`;
const PATTERNS: Array<[RegExp, (name: string, rest?: string) => string]> = [
  // Emptiness: !x, x.length === 0, x === '', len(x) == 0, x.is_empty(), x.isEmpty(), not x
  [new RegExp(`^!\\s*${SUBJECT}$`), (n) => `empty ${n}`],
  [new RegExp(`^not\\s+${SUBJECT}$`), (n) => `empty ${n}`],
  [new RegExp(`^${SUBJECT}\\.(?:length|size)\\s*(?:===?|<=?)\\s*0$`), (n) => `empty ${n}`],
  [new RegExp(`^${SUBJECT}\\.(?:is_?[eE]mpty)\\(\\)$`), (n) => `empty ${n}`],
  [new RegExp(`^len\\(${SUBJECT}\\)\\s*(?:==|<=?)\\s*0$`), (n) => `empty ${n}`],
  [new RegExp(`^${SUBJECT}\\s*===?\\s*(?:''|"")$`), (n) => `empty ${n}`],
  // Absence: x == null, x === undefined, x is None, x == nil, x == NULL, !x.has(...)
  [
    new RegExp(`^${SUBJECT}\\s*(?:===?|is)\\s*(?:null|undefined|None|nil|NULL|nullptr)$`),
    (n) => `missing ${n}`,
  ],
  [new RegExp(`^(?:null|undefined|None|nil|NULL|nullptr)\\s*===?\\s*${SUBJECT}$`), (n) => `missing ${n}`],
  // Range: x < 0, x <= 0, x > max
  [new RegExp(`^${SUBJECT}\\s*<=?\\s*0$`), (n) => `negative ${n}`],
  [new RegExp(`^${SUBJECT}\\s*>=?\\s*${SUBJECT}$`), (n, limit) => `${n} above ${limit}`],
];

function phraseOf(condition: string): string | null {
  const cond = condition.replace(/^\((.*)\)$/, '$1').trim();
  for (const [pattern, phrase] of PATTERNS) {
    const m = pattern.exec(cond);
    if (!m?.[1]) continue;
    const name = wordsOf(m[1]);
    if (!name) continue;
    const limit = m[2] ? wordsOf(m[2]) : undefined;
    if (m[2] && !limit) continue;
    return phrase(name, limit ?? undefined);
  }
  return null;
}
