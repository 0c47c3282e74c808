import type { TextCase } from './rules.schema.js';

/**
 * commitlint's case tests (`@commitlint/ensure` `case`): text is in a case when converting it
 * to that case leaves it unchanged. Quoted and back-ticked parts are left out first (they may
 * hold proper names); text that converts to nothing, or starts with a digit, is in every case.
 */

// Words as lodash splits them: an acronym before a capitalised word (`HTTPServer` → HTTP,
// Server), a capitalised or lower word, an acronym, a number, any other run of letters.
const wordPattern = /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lu}+|\p{N}+|[\p{L}\p{M}]+/gu;
const words = (text: string) => text.match(wordPattern) ?? [];
const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function camel(text: string): string {
  return words(text)
    .map((w, i) => (i === 0 ? w.toLowerCase() : upperFirst(w.toLowerCase())))
    .join('');
}

export function toCase(text: string, target: TextCase): string {
  switch (target) {
    case 'lower-case':
      return text.toLowerCase();
    case 'upper-case':
      return text.toUpperCase();
    case 'camel-case':
      return camel(text);
    case 'pascal-case':
      return upperFirst(camel(text));
    case 'kebab-case':
      return words(text)
        .map((w) => w.toLowerCase())
        .join('-');
    case 'snake-case':
      return words(text)
        .map((w) => w.toLowerCase())
        .join('_');
    case 'start-case':
      return words(text).map(upperFirst).join(' ');
    case 'sentence-case':
      return upperFirst(text);
  }
}

export function isInCase(raw: string, target: TextCase): boolean {
  const input = raw.replace(/`.*?`|".*?"|'.*?'/g, '').trim();
  const converted = toCase(input, target);
  return converted === '' || /^\d/.test(converted) || converted === input;
}

/**
 * commitlint's `subject-case` / `type-case` verdict: with `always`, the text must be in one of
 * the cases; with `never`, in none of them.
 */
export function casePasses(text: string, when: 'always' | 'never', value: TextCase | TextCase[]): boolean {
  const targets = Array.isArray(value) ? value : [value];
  const inAny = targets.some((target) => isInCase(text, target));
  return when === 'never' ? !inAny : inAny;
}

export function caseList(value: TextCase | TextCase[]): string {
  return (Array.isArray(value) ? value : [value]).join(', ');
}
