import type Parser from 'web-tree-sitter';
import { type LoadedLanguage, parseSource } from './grammars.js';
import { lineStarts } from './line-map.js';
import { type LineRegion, regionsFor } from './regions.js';

/** Reading a parsed file where it changed: the regions to parse, calls and guards on changed rows. */

type Node = Parser.SyntaxNode;

/**
 * Rows (0-based, sorted) grouped into ranges, each reaching `below` rows further; ranges less
 * than 8 rows apart are joined (one query over a few extra rows costs less than two queries).
 */
export function rowRanges(rows: readonly number[], below = 0): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const row of rows) {
    const last = ranges.at(-1);
    if (last && row <= last[1] + 8) last[1] = Math.max(last[1], row + below);
    else ranges.push([row, row + below]);
  }
  return ranges;
}

/**
 * What the changed lines (1-based) say: the names they call, and where a guard was added — a new
 * condition whose branch exits (return, throw, raise, break, continue), or a new exit that is
 * early (statements follow it, or it sits in a condition). One query pass over the changed rows.
 */
export function scanChanged(
  language: LoadedLanguage,
  tree: Parser.Tree,
  lines: readonly number[],
  withGuards: boolean,
): { calls: Map<number, string[]>; guards: Set<number> } {
  const rows = new Set(lines.map((l) => l - 1));
  const calls = new Map<number, string[]>();
  const guards = new Set<number>();
  const { conditions, exits } = language.spec;
  for (const [start, end] of rowRanges([...rows].sort((a, b) => a - b))) {
    const captures = language.changed.captures(tree.rootNode, {
      startPosition: { row: start, column: 0 },
      endPosition: { row: end + 1, column: 0 },
    });
    for (const capture of captures) {
      const node = capture.node;
      const row = node.startPosition.row;
      if (!rows.has(row)) continue;
      if (capture.name === 'callee') {
        const list = calls.get(row + 1) ?? [];
        list.push(node.text);
        calls.set(row + 1, list);
      } else if (withGuards && capture.name === 'guard') {
        if (conditions.includes(node.type)) {
          const branch = node.childForFieldName('consequence');
          if (branch && (exits.includes(branch.type) || branch.descendantsOfType([...exits]).length > 0))
            guards.add(row + 1);
        } else if (isEarlyExit(node, conditions)) guards.add(row + 1);
      }
    }
  }
  return { calls, guards };
}

function isEarlyExit(node: Node, conditions: readonly string[]): boolean {
  for (let sibling = node.nextNamedSibling; sibling; sibling = sibling.nextNamedSibling)
    if (!sibling.type.includes('comment')) return true;
  let n: Node | null = node.parent;
  for (let depth = 0; n && depth < 4; depth++, n = n.parent) if (conditions.includes(n.type)) return true;
  return false;
}

/**
 * Parses the regions of `text` around `touched` lines when that is a small part of the file (see
 * regions.ts), else the whole text; a partial parse with syntax errors is redone in full.
 */
export function parseTouched(
  language: LoadedLanguage,
  text: string,
  lines: readonly string[],
  touched: readonly number[],
): { tree: Parser.Tree | null; regions: LineRegion[] | null } {
  const regions = regionsFor(lines, touched, language.name);
  if (regions) {
    const tree = parseSource(language, text, { regions, lineStarts: lineStarts(text) });
    if (tree && !tree.rootNode.hasError) return { tree, regions };
    tree?.delete();
  }
  return { tree: parseSource(language, text), regions: null };
}
