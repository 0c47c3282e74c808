import type Parser from 'web-tree-sitter';
import type { AnalysisLanguage } from './languages.js';
import { type ChangeRun, type LineMap, lineStarts, positionOfLine } from './line-map.js';
import type { CodeElement, LineChange } from './scoping.types.js';

/**
 * Lines onto elements: which element owns a line (documentation included), how old and new
 * elements pair, whether a removal declares something, and the edit that turns the new tree
 * back into the old text's shape.
 */

/** Innermost element of each line (index into `elements`, -1 for none); index 0 is unused. */
export function owners(elements: readonly CodeElement[], lineCount: number): Int32Array {
  const owner = new Int32Array(lineCount + 2).fill(-1);
  // Outer elements come first (by start, then by length), so inner ones overwrite them.
  const order = elements
    .map((_, i) => i)
    .sort(
      (a, b) =>
        (elements[a] as CodeElement).startLine - (elements[b] as CodeElement).startLine ||
        (elements[b] as CodeElement).endLine - (elements[a] as CodeElement).endLine,
    );
  for (const i of order) {
    const e = elements[i] as CodeElement;
    owner.fill(i, Math.max(1, e.startLine), Math.min(lineCount, e.endLine) + 1);
  }
  return owner;
}

/** A line a declaration's documentation can be made of: blank, or a comment. */
const COMMENT_OR_BLANK =
  /^\s*(?:$|\/\/|\/\*|\*|#(?!\s*(?:include|define|if|ifdef|ifndef|endif|else|elif|pragma|undef)\b)|"""|'''|--)/;

const contains = (outer: CodeElement, inner: CodeElement) =>
  outer.startLine <= inner.startLine && inner.endLine <= outer.endLine;

/**
 * Comment and blank lines right above a declaration (its documentation) belong to it: tree-sitter
 * leaves them outside the declaration's node.
 */
export function attachLeadingComments(
  owner: Int32Array,
  lines: readonly string[],
  elements: readonly CodeElement[],
): void {
  elements.forEach((element, i) => {
    for (let line = element.startLine - 1; line >= 1; line--) {
      if (!COMMENT_OR_BLANK.test(lines[line - 1] ?? '')) break;
      const current = owner[line] ?? -1;
      if (current === i) break;
      if (current >= 0 && !contains(elements[current] as CodeElement, element)) break;
      owner[line] = i;
    }
  });
}

/** Functions and methods pair with each other (a function moved into a class is the same code). */
const kindGroup = (kind: string) => (kind === 'function' || kind === 'method' ? 'fn' : kind);

/** Pairs old and new elements: same name first, then by where their unchanged lines went. */
export function pairElements(
  oldElements: readonly CodeElement[],
  newElements: readonly CodeElement[],
  map: LineMap,
  oldOwner: Int32Array | null,
  newChanged: ReadonlySet<number>,
): Map<number, number> {
  const pairs = new Map<number, number>(); // new index → old index
  const byKey = new Map<string, number[]>();
  oldElements.forEach((e, i) => {
    const key = `${kindGroup(e.kind)}:${e.qualifiedName}`;
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  const pairedOld = new Set<number>();
  newElements.forEach((e, i) => {
    const list = byKey.get(`${kindGroup(e.kind)}:${e.qualifiedName}`);
    const old = list?.shift();
    if (old !== undefined) {
      pairs.set(i, old);
      pairedOld.add(old);
    }
  });
  if (!oldOwner || pairedOld.size === oldElements.length) return pairs;
  // Renamed (or moved under a renamed parent): most of the unchanged lines came from one old element.
  newElements.forEach((e, i) => {
    if (pairs.has(i) || !newChanged.has(i)) return;
    const votes = new Map<number, number>();
    let unchanged = 0;
    for (let line = e.startLine; line <= e.endLine; line++) {
      const old = map.oldLineOf(line);
      if (old === null) continue;
      unchanged++;
      const owner = oldOwner[old] ?? -1;
      if (owner < 0 || pairedOld.has(owner)) continue;
      if (kindGroup((oldElements[owner] as CodeElement).kind) !== kindGroup(e.kind)) continue;
      votes.set(owner, (votes.get(owner) ?? 0) + 1);
    }
    const [best] = [...votes.entries()].sort((a, b) => b[1] - a[1]);
    if (best && best[1] >= Math.max(1, unchanged / 2)) {
      pairs.set(i, best[0]);
      pairedOld.add(best[0]);
    }
  });
  return pairs;
}

/** The text's lines agree with the diff (a file read while it changed does not). */
export function agrees(lines: readonly string[], changes: readonly LineChange[]): boolean {
  return changes.every((c) => (lines[c.line - 1] ?? '').replace(/\r$/, '') === c.text.replace(/\r$/, ''));
}

/** Edits the new tree back into the old text's shape, so the old text reparses incrementally. */
export function editBack(
  tree: Parser.Tree,
  newText: string,
  oldText: string,
  runs: readonly ChangeRun[],
): void {
  const newStarts = lineStarts(newText);
  const oldStarts = lineStarts(oldText);
  for (const run of [...runs].reverse()) {
    const start = positionOfLine(newStarts, newText, run.newStart);
    const oldEnd = positionOfLine(newStarts, newText, run.newStart + run.newCount);
    const from = positionOfLine(oldStarts, oldText, run.oldStart);
    const to = positionOfLine(oldStarts, oldText, run.oldStart + run.oldCount);
    const length = to.index - from.index;
    // The replaced region's end, in the old text's rows, is where the old run ends.
    const rows = to.row - from.row;
    tree.edit({
      startIndex: start.index,
      oldEndIndex: oldEnd.index,
      newEndIndex: start.index + length,
      startPosition: { row: start.row, column: start.column },
      oldEndPosition: { row: oldEnd.row, column: oldEnd.column },
      newEndPosition: {
        row: start.row + rows,
        column: rows === 0 ? start.column + to.column - from.column : to.column,
      },
    });
  }
}

export function whollyAdded(element: CodeElement, map: LineMap): boolean {
  for (let line = element.startLine; line <= element.endLine; line++)
    if (map.oldLineOf(line) !== null) return false;
  return true;
}

/**
 * Lines that declare something, by language: a removal with one of these is read in the old
 * version (a function or method removed or renamed), not attributed to the enclosing function.
 * Erring towards a match only costs a parse.
 */
const TS_DECLARATION =
  /^\s*(?:(?:export|default|declare|abstract|async|public|private|protected|static|readonly|override|get|set)\s+)*(?:function\b|class\b|interface\b|enum\b|namespace\b|module\b|type\s+\w|(?:const|let|var)\s+[\w$]+\s*(?::[^=]+)?=\s*(?:async\s*)?(?:\(|function\b|[\w$]+\s*=>)|(?!(?:if|for|while|switch|catch|with|return|else|do|try|await|new|typeof)\b)[#\w$]+\s*(?:<[^>]*>)?\s*\([^;]*\)\s*(?::[^;{]+)?\{\s*$|[#\w$]+\s*=\s*(?:async\s*)?\([^)]*\)\s*(?::[^=]+)?=>)/;
const C_DECLARATION =
  /^\s*(?:template\b|typedef\b|namespace\b|(?:class|struct|union|enum)\b|#\s*define\b|(?!(?:if|for|while|switch|return|else|do|case|sizeof)\b)[\w:*&<>,~ ]+[\s*&]+[\w:~]+\s*\([^;]*\)?\s*(?:const\s*)?(?:noexcept\s*)?(?:override\s*)?\{?\s*$)/;
export const DECLARATION_LINE: Record<AnalysisLanguage, RegExp> = {
  typescript: TS_DECLARATION,
  tsx: TS_DECLARATION,
  javascript: TS_DECLARATION,
  python: /^\s*(?:async\s+)?def\s|^\s*class\s|^\s*@/,
  go: /^\s*func\b|^\s*type\b/,
  java: /^\s*@\w|\b(?:class|interface|enum|record)\s+\w|^\s*(?:(?:public|private|protected|static|final|abstract|synchronized|native|default)\s+)*[\w<>[\],.? ]+\s+\w+\s*\([^;]*\)\s*(?:throws[^{;]*)?\{?\s*$/,
  rust: /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:(?:async|const|unsafe|extern\s+"[^"]*")\s+)*(?:fn|struct|enum|trait|impl|mod|type|union|macro_rules!)\b|^\s*#!?\[/,
  c: C_DECLARATION,
  cpp: C_DECLARATION,
};

const NOT_CALLS = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'return',
  'function',
  'typeof',
  'sizeof',
  'with',
  'elif',
  'and',
  'or',
  'not',
  'in',
  'match',
  'fn',
  'func',
  'def',
]);

/** Called names in a line, read without a parse (removals the old version was not read for). */
export function callsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)) {
    const name = m[1] as string;
    if (!NOT_CALLS.has(name) && !out.includes(name)) out.push(name);
  }
  return out;
}
