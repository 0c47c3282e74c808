/** Characters as a reader counts them: code points after NFC, so a Hangul syllable is one. */
export function charLength(text: string): number {
  return [...text.normalize('NFC')].length;
}

/** Nearest-rank percentile (`p` in 0–1) of numbers; 0 for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

/** `part / whole`, rounded to three decimals; 0 when there is no whole. */
export function share(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000;
}

/** A Hangul syllable (가–힣), the unit Korean text is written in. */
export const hangulSyllable = /[\uAC00-\uD7A3]/;

/**
 * Identifiers, paths, versions and acronyms: anything that is not a plain lowercase or
 * capitalized word (`parseHeader`, `src/a.ts`, `4.6.7`, `README`, `Parser`, `api-gateway`).
 */
export function isIdentifier(word: string): boolean {
  return !/^[a-z]+$/.test(word);
}

/** Greedy word wrap at `width` columns; `indent` starts every line after the first. */
export function wrapWords(text: string, width: number, first = '', indent = ''): string {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const bare = line === first || line === indent;
    if (!bare && charLength(line) + 1 + charLength(word) > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = bare ? `${line}${word}` : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}
