/**
 * Wraps body lines that are wider than a width, breaking only between words. A URL or any
 * other word is never split; a code span (`` `a b` ``) is one word; fenced code, indented code
 * (four spaces or a tab) and table rows are left as written. A list item continues under its
 * text, a quote keeps its `>`. Lines within the width are not touched (paragraphs are not
 * reflowed), so wrapping twice gives what wrapping once gave.
 */

/** Length in characters (code points): a Korean syllable or an emoji counts as one. */
export const charLength = (text: string) => [...text].length;

interface Unit {
  /** The spaces before the word, kept when the word stays on the same line. */
  space: string;
  word: string;
}

function unitsOf(text: string): Unit[] {
  const units: Unit[] = [];
  let i = 0;
  while (i < text.length) {
    const spaceStart = i;
    while (text[i] === ' ') i++;
    if (i >= text.length) break;
    const wordStart = i;
    while (i < text.length && text[i] !== ' ') {
      if (text[i] !== '`') {
        i++;
        continue;
      }
      const ticks = /^`+/.exec(text.slice(i))?.[0] ?? '`';
      const close = text.indexOf(ticks, i + ticks.length);
      i = close >= 0 ? close + ticks.length : i + ticks.length;
    }
    const unit = { space: text.slice(spaceStart, wordStart), word: text.slice(wordStart, i) };
    const last = units[units.length - 1];
    // A row starting with `#` would be a comment line to git, and dropped: `#12` stays with the word before.
    if (last && unit.word.startsWith('#')) last.word += unit.space + unit.word;
    else units.push(unit);
  }
  return units;
}

/** The prefix of a line's first row and of its continuation rows. */
function prefixesOf(line: string): { first: string; next: string } {
  const item = /^( {0,3})([-*+]|\d{1,3}[.)]) +/.exec(line);
  if (item) return { first: item[0], next: ' '.repeat(item[0].length) };
  const quote = /^ {0,3}(?:> ?)+/.exec(line);
  if (quote) return { first: quote[0], next: quote[0] };
  const indent = /^ */.exec(line)?.[0] ?? '';
  return { first: indent, next: indent };
}

function wrapLine(line: string, width: number): string[] {
  const { first, next } = prefixesOf(line);
  const rows: string[] = [];
  let row = first;
  let empty = true;
  for (const { space, word } of unitsOf(line.slice(first.length))) {
    if (empty) row += word;
    else if (charLength(row + space + word) <= width) row += space + word;
    else {
      rows.push(row);
      row = next + word;
    }
    empty = false;
  }
  rows.push(row);
  return rows;
}

export function wrapLines(lines: string[], width: number): string[] {
  const wrapped: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker?.startsWith(fence)) fence = null;
      wrapped.push(line);
    } else if (marker) {
      fence = marker;
      wrapped.push(line);
    } else if (charLength(line) <= width || /^( {4}|\t)/.test(line) || /^\s*\|/.test(line)) {
      wrapped.push(line);
    } else wrapped.push(...wrapLine(line, width));
  }
  return wrapped;
}
