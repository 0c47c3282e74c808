import type { AnalysisLanguage } from './languages.js';

/**
 * The parts of a file worth parsing for a change: the top-level blocks (declarations) that hold
 * changed lines, and inside a large block (a class, an impl, a namespace) only its opening
 * lines, the members that changed and its closing lines — `class A {` + `  changed() {…}` + `}`
 * is still valid code. Tree-sitter parses just these ranges (`includedRanges`) with positions
 * in the whole file, so a 2 000-line file with one edited method costs a method's parse.
 *
 * Blocks are found from indentation and closing brackets, not from a parse; where that reading
 * is wrong (a multi-line string at column 0) the partial parse has errors and the caller parses
 * the whole file instead.
 */

/** 1-based, inclusive. */
export interface LineRegion {
  start: number;
  end: number;
}

interface Block {
  start: number;
  end: number;
}

const CLOSER = /^[}\])>]/;
const PY_CONTINUATION = /^(?:else|elif|except|finally)\b|^[)\]}]/;
/** A line that cannot end a statement: the next line continues it. */
const OPEN_END = /(?:[{([,=+\-*/&|\\:?.]|=>|\b(?:and|or|not))\s*$/;
const ANNOTATION =
  /^(?:@|#\[|#!\[|\/\/|\/\*|\*|#(?!\s*(?:include|define|if|ifdef|ifndef|endif|else|elif|pragma|undef)\b))/;

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

/**
 * Splits lines [from, to] into blocks that start at indentation `level`: a block starts at a line
 * at that indentation that does not continue the previous statement; comment, decorator and
 * attribute lines join the block they precede. Returns null when the lines do not split cleanly.
 */
function splitBlocks(
  lines: readonly string[],
  from: number,
  to: number,
  level: number,
  python: boolean,
): Block[] | null {
  const starts: number[] = [];
  let previous: string | null = null; // the previous non-blank line
  let previousIndent = 0;
  for (let n = from; n <= to; n++) {
    const line = lines[n - 1] ?? '';
    if (line.trim() === '') continue;
    const indent = indentOf(line);
    const text = line.slice(indent);
    if (indent === level) {
      const continues = python
        ? PY_CONTINUATION.test(text)
        : CLOSER.test(text) || /^(?:else|catch|finally)\b/.test(text);
      const previousEnded =
        previous === null ||
        (python
          ? !OPEN_END.test(previous) || ANNOTATION.test(previous.trimStart())
          : previousIndent === level
            ? !OPEN_END.test(previous) || ANNOTATION.test(previous.trimStart()) || /[{}]\s*$/.test(previous)
            : false);
      if (!continues && previousEnded) starts.push(n);
    } else if (indent < level) return null;
    previous = line;
    previousIndent = indent;
  }
  if (starts.length === 0) return null;
  const blocks: Block[] = [];
  for (const [i, start] of starts.entries()) blocks.push({ start, end: (starts[i + 1] ?? to + 1) - 1 });
  // Comments, decorators and attributes belong to what follows them.
  const merged: Block[] = [];
  let pending: number | null = null;
  for (const block of blocks) {
    const annotationOnly = lines
      .slice(block.start - 1, block.end)
      .every((l) => l.trim() === '' || ANNOTATION.test(l.trimStart()) || indentOf(l) > level);
    const first = lines[block.start - 1]?.trimStart() ?? '';
    if (annotationOnly && ANNOTATION.test(first)) {
      pending ??= block.start;
      continue;
    }
    merged.push({ start: pending ?? block.start, end: block.end });
    pending = null;
  }
  if (pending !== null) {
    const last = merged.at(-1);
    if (last) last.end = to;
    else merged.push({ start: pending, end: to });
  }
  // Leading lines before the first block (blank) join it.
  const head = merged[0];
  if (head && head.start > from) head.start = from;
  return merged;
}

function touches(block: Block, lines: readonly number[]): boolean {
  // `lines` is sorted: binary search for the first line ≥ block.start.
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((lines[mid] as number) < block.start) lo = mid + 1;
    else hi = mid;
  }
  return lo < lines.length && (lines[lo] as number) <= block.end;
}

/** Blocks this long are opened to parse only their changed members. */
const OPEN_BLOCKS_FROM = 30;
/** Above this share of the file, parsing it all is as cheap. */
const MAX_SHARE = 0.6;

/**
 * Regions to parse for changes on `changed` lines (sorted, 1-based), or null to parse the whole
 * file (the regions would be most of it, or the file does not split into blocks).
 */
export function regionsFor(
  lines: readonly string[],
  changed: readonly number[],
  language: AnalysisLanguage,
): LineRegion[] | null {
  if (changed.length === 0 || lines.length < 40) return null;
  const python = language === 'python';
  const blocks = splitBlocks(lines, 1, lines.length, 0, python);
  if (!blocks) return null;
  const regions: LineRegion[] = [];
  for (const block of blocks) {
    if (!touches(block, changed)) continue;
    const length = block.end - block.start + 1;
    const members = length >= OPEN_BLOCKS_FROM ? openBlock(lines, block, python) : null;
    if (!members) {
      regions.push({ start: block.start, end: block.end });
      continue;
    }
    const touched = members.inner.filter((m) => touches(m, changed));
    // A change in the opening or closing lines: parse the whole block.
    if (
      touches({ start: block.start, end: members.headEnd }, changed) ||
      touches({ start: members.tailStart, end: block.end }, changed)
    ) {
      regions.push({ start: block.start, end: block.end });
      continue;
    }
    regions.push({ start: block.start, end: members.headEnd });
    for (const m of touched) regions.push({ start: m.start, end: m.end });
    if (members.tailStart <= block.end) regions.push({ start: members.tailStart, end: block.end });
  }
  const merged: LineRegion[] = [];
  for (const r of regions) {
    const last = merged.at(-1);
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  const covered = merged.reduce((n, r) => n + r.end - r.start + 1, 0);
  return covered > MAX_SHARE * lines.length ? null : merged;
}

/** The members of a block: its opening lines end at `headEnd`, its closing lines start at `tailStart`. */
function openBlock(
  lines: readonly string[],
  block: Block,
  python: boolean,
): { headEnd: number; tailStart: number; inner: Block[] } | null {
  // The opening: past the comments and decorators before it, up to the line that opens the body
  // (`{` or, in Python, `:`).
  let opener = block.start;
  while (
    opener <= block.end &&
    (lines[opener - 1]?.trim() === '' ||
      indentOf(lines[opener - 1] ?? '') > 0 ||
      ANNOTATION.test(lines[opener - 1] ?? ''))
  )
    opener++;
  const opens = python ? /:\s*(?:#.*)?$/ : /\{\s*$/;
  let bodyStart = opener;
  while (bodyStart <= Math.min(block.end, opener + 10) && !opens.test(lines[bodyStart - 1] ?? ''))
    bodyStart++;
  if (bodyStart > Math.min(block.end, opener + 10)) return null;
  // The members' indentation: the first non-blank line after the opening.
  let first = bodyStart + 1;
  while (first <= block.end && (lines[first - 1] ?? '').trim() === '') first++;
  if (first > block.end) return null;
  const level = indentOf(lines[first - 1] ?? '');
  if (level === 0) return null;
  // The closing lines: from the end, back over blank lines and closers at the block's level.
  let tailStart = block.end + 1;
  for (let n = block.end; n > first; n--) {
    const line = lines[n - 1] ?? '';
    if (line.trim() === '') continue;
    if (indentOf(line) < level && CLOSER.test(line.trimStart())) tailStart = n;
    else break;
  }
  if (!python && tailStart > block.end) return null;
  const inner = splitBlocks(lines, first, tailStart - 1, level, python);
  if (!inner || inner.length < 2) return null;
  return { headEnd: (inner[0] as Block).start - 1, tailStart, inner };
}
