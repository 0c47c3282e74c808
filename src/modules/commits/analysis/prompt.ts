import { countTokens as cl100k, type Hunk } from '../../../shared/llm/index.js';
import type { ChangedElement, ScopedFile, Scoping } from './scoping.types.js';

/**
 * The model's input for a scoped change, built within a token budget by priority: a summary
 * (always), the changed elements from the highest score down (signature and changed lines), the
 * hunks those did not show, then the file list. What does not fit is left out and counted, and
 * the prompt says so: a change of any size yields a prompt, never an error.
 */

export interface PromptOptions {
  tokenBudget: number;
  /** Token counter; cl100k (js-tiktoken) by default. */
  countTokens?: (text: string) => number;
  /** Changed lines shown per element before "… N more". Default 30. */
  maxLinesPerElement?: number;
  /** Lines shown per hunk. Default 60. */
  maxLinesPerHunk?: number;
  /** Characters kept of one line (minified code). Default 240. */
  maxLineChars?: number;
}

export type PromptSectionName = 'elements' | 'hunks' | 'files';

export interface PromptSection {
  name: PromptSectionName;
  tokens: number;
  /** Items included. */
  items: number;
  /** Items left out for the budget. */
  omitted: number;
  /** Something of this section was left out or cut short. */
  truncated: boolean;
}

export interface BuiltPrompt {
  prompt: string;
  sections: PromptSection[];
  totalTokens: number;
}

const HEADINGS: Record<PromptSectionName, string> = {
  elements: '## Changed code elements (most significant first)',
  hunks: '## Other changed hunks',
  files: '## Files',
};

const STATUS_LETTER: Record<string, string> = {
  added: 'A',
  deleted: 'D',
  modified: 'M',
  renamed: 'R',
  copied: 'C',
  'type-changed': 'T',
};

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

function summary(s: Scoping): string[] {
  const added = s.files.reduce((n, f) => n + f.addedLines, 0);
  const removed = s.files.reduce((n, f) => n + f.removedLines, 0);
  const lines = [
    '# Change',
    `${s.files.length} files changed (+${added} -${removed})${s.skipped.length > 0 ? `, ${s.skipped.length} skipped` : ''}${s.truncated ? ' (the capture was truncated)' : ''}`,
  ];
  const candidates = (list: Scoping['typeCandidates']) =>
    list
      .slice(0, 3)
      .map((c) => `${c.value} (${c.confidence.toFixed(2)})`)
      .join(', ');
  if (s.typeCandidates.length > 0) lines.push(`Type candidates: ${candidates(s.typeCandidates)}`);
  if (s.scopeCandidates.length > 0) lines.push(`Scope candidates: ${candidates(s.scopeCandidates)}`);
  if (s.themes.length > 0) {
    lines.push(
      `Themes${s.relatedThemes ? '' : ' (unrelated: consider separate commits)'}: ${s.themes
        .map((t) => `${t.id}) ${t.label} [${t.type.value}${t.scope ? `, ${t.scope}` : ''}]`)
        .join('; ')}`,
    );
  }
  return lines;
}

function elementTitle(e: ChangedElement): string {
  const notes = [`+${e.addedLines} -${e.removedLines}`];
  if (e.guardAdded) notes.push('guard added');
  if (e.element.exported && e.granularity === 'element') notes.push('exported');
  if (e.calls.length > 0) notes.push(`calls ${e.calls.slice(0, 6).join(', ')}`);
  if (e.granularity === 'file')
    return `### ${e.file} — lines outside declarations (${e.kind}, ${notes.join(', ')})`;
  const renamed = e.previousName ? ` (was ${e.previousName})` : '';
  return `### ${e.file} — ${e.element.kind} ${e.element.qualifiedName}${renamed} (${e.kind}, ${notes.join(', ')})`;
}

interface Item {
  lines: string[];
  /** Changed lines this item shows (`path:add:12`), so hunks do not repeat them. */
  shows?: string[];
}

export function buildPrompt(scoping: Scoping, options: PromptOptions): BuiltPrompt {
  const count = options.countTokens ?? cl100k;
  const budget = Math.max(0, Math.floor(options.tokenBudget));
  const perElement = options.maxLinesPerElement ?? 30;
  const perHunk = options.maxLinesPerHunk ?? 60;
  const width = options.maxLineChars ?? 240;
  const tokensOf = (lines: readonly string[]) => count(`${lines.join('\n')}\n`);

  const elementItem = (e: ChangedElement): Item => {
    const lines = [elementTitle(e)];
    // The declaration's line, for context, when the changed lines do not already show it.
    const signature = e.element.signature;
    if (
      signature &&
      e.granularity === 'element' &&
      (e.kind === 'modified' || e.kind === 'renamed') &&
      !e.changes.some((c) => c.text.trim() === signature)
    )
      lines.push(`  ${clip(signature, width)}`);
    const shown = e.changes.slice(0, perElement);
    for (const c of shown) lines.push(`${c.kind === 'add' ? '+' : '-'}${clip(c.text, width)}`);
    if (e.changes.length > shown.length)
      lines.push(`… ${e.changes.length - shown.length} more changed lines`);
    return { lines, shows: shown.map((c) => `${e.file}:${c.kind}:${c.line}`) };
  };
  const shown = new Set<string>();
  const hunkItems = (file: ScopedFile): Item[] => {
    const items: Item[] = [];
    for (const hunk of file.hunks) {
      if (coveredHunk(file.path, hunk, shown)) continue;
      const lines = [
        `### ${file.path}`,
        `@@ -${hunk.oldStart} +${hunk.newStart} @@ ${clip(hunk.section, width)}`.trimEnd(),
      ];
      const body = hunk.lines.slice(0, perHunk);
      for (const l of body)
        lines.push(`${l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' '}${clip(l.text, width)}`);
      if (hunk.lines.length > body.length) lines.push(`… ${hunk.lines.length - body.length} more lines`);
      items.push({ lines });
    }
    return items;
  };
  const fileLines = [
    ...scoping.files.map(
      (f) =>
        `${STATUS_LETTER[f.status] ?? 'M'} ${f.oldPath && f.oldPath !== f.path ? `${f.oldPath} → ` : ''}${f.path} (+${f.addedLines} -${f.removedLines}${f.analysis === 'binary' ? ', binary' : f.analysis === 'submodule' ? ', submodule' : ''})`,
    ),
    ...scoping.skipped.map((s) => `skipped ${s.path} (${s.reason})`),
  ];

  // The summary always goes in (cut to the budget if even it does not fit).
  let head = summary(scoping);
  while (head.length > 1 && tokensOf(head) > budget) head = head.slice(0, -1);
  let remaining = budget - Math.min(tokensOf(head), budget);
  const NOTE_RESERVE = Math.min(remaining, 60);
  remaining -= NOTE_RESERVE;
  // The file list keeps up to a tenth of the budget even when elements would take it all.
  const filesReserve = Math.min(remaining, Math.floor(budget / 10), tokensOf([HEADINGS.files, ...fileLines]));
  remaining -= filesReserve;

  const sections: Record<PromptSectionName, { lines: string[]; section: PromptSection }> = {
    elements: { lines: [], section: { name: 'elements', tokens: 0, items: 0, omitted: 0, truncated: false } },
    hunks: { lines: [], section: { name: 'hunks', tokens: 0, items: 0, omitted: 0, truncated: false } },
    files: { lines: [], section: { name: 'files', tokens: 0, items: 0, omitted: 0, truncated: false } },
  };

  /** Adds items while they fit; the first that does not is cut to fit (by lines), the rest omitted. */
  const fill = (name: PromptSectionName, items: Iterable<Item>, total: number) => {
    const { lines, section } = sections[name];
    let full = false;
    let seen = 0;
    for (const item of items) {
      seen++;
      if (full) continue;
      const headingCost = section.items === 0 ? tokensOf([HEADINGS[name]]) + 1 : 0;
      const cost = tokensOf(item.lines) + headingCost;
      if (cost <= remaining) {
        if (headingCost > 0) lines.push('', HEADINGS[name]);
        lines.push(...item.lines);
        section.items++;
        section.tokens += cost;
        remaining -= cost;
        for (const key of item.shows ?? []) shown.add(key);
        continue;
      }
      full = true;
      // Cut the item to the lines that fit, when that leaves something worth reading.
      let keep = item.lines.length - 1;
      const cutCost = (k: number) =>
        tokensOf([...item.lines.slice(0, k), '… (cut for the token budget)']) + headingCost;
      let lo = 2;
      let hi = keep;
      keep = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (cutCost(mid) <= remaining) {
          keep = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (keep >= 2) {
        const cost = cutCost(keep);
        if (headingCost > 0) lines.push('', HEADINGS[name]);
        lines.push(...item.lines.slice(0, keep), '… (cut for the token budget)');
        section.items++;
        section.tokens += cost;
        remaining -= cost;
        section.truncated = true;
      }
    }
    section.omitted = Math.max(0, (total || seen) - section.items);
    if (section.omitted > 0) section.truncated = true;
  };

  fill(
    'elements',
    (function* () {
      for (const e of scoping.elements) yield elementItem(e);
    })(),
    scoping.elements.length,
  );
  // Files in the order of their best element, so the hunks of what matters come first.
  const fileOrder = [
    ...new Set([...scoping.elements.map((e) => e.file), ...scoping.files.map((f) => f.path)]),
  ];
  const byPath = new Map(scoping.files.map((f) => [f.path, f]));
  fill(
    'hunks',
    (function* () {
      for (const path of fileOrder) {
        const file = byPath.get(path);
        if (file) yield* hunkItems(file);
      }
    })(),
    0,
  );
  remaining += filesReserve;
  fill(
    'files',
    (function* () {
      for (const line of fileLines) yield { lines: [line] };
    })(),
    fileLines.length,
  );
  remaining += NOTE_RESERVE;

  const left = (['elements', 'hunks', 'files'] as const).filter((n) => sections[n].section.omitted > 0);
  let withNote = true;
  const build = () => {
    const parts = [...head];
    for (const name of ['elements', 'hunks', 'files'] as const) parts.push(...sections[name].lines);
    if (left.length > 0 && withNote)
      parts.push(
        '',
        `Left out for the ${budget}-token budget: ${left.map((n) => `${sections[n].section.omitted} ${n === 'elements' ? 'elements' : n === 'hunks' ? 'hunks' : 'files'}`).join(', ')}.`,
      );
    return parts.join('\n');
  };
  let prompt = build();
  let totalTokens = count(prompt);
  // Joined text can tokenize a little differently from its parts: trim the tail until it fits.
  for (const name of ['files', 'hunks', 'elements'] as const) {
    while (totalTokens > budget && sections[name].lines.length > 0) {
      sections[name].lines.pop();
      sections[name].section.truncated = true;
      prompt = build();
      totalTokens = count(prompt);
    }
  }
  if (totalTokens > budget) {
    withNote = false;
    prompt = build();
    totalTokens = count(prompt);
  }
  while (totalTokens > budget && head.length > 0) {
    head = head.slice(0, -1);
    prompt = build();
    totalTokens = count(prompt);
  }
  return {
    prompt,
    sections: (['elements', 'hunks', 'files'] as const).map((n) => sections[n].section),
    totalTokens,
  };
}

/** Every changed line of the hunk was already shown with its element. */
function coveredHunk(path: string, hunk: Hunk, shown: ReadonlySet<string>): boolean {
  let oldLine = hunk.oldStart;
  let newLine = hunk.newStart;
  if (hunk.lines.every((l) => l.kind !== 'del' && l.kind !== 'context')) oldLine++;
  if (hunk.lines.every((l) => l.kind !== 'add' && l.kind !== 'context')) newLine++;
  for (const line of hunk.lines) {
    if (line.kind === 'add' && !shown.has(`${path}:add:${newLine}`)) return false;
    if (line.kind === 'del' && !shown.has(`${path}:del:${oldLine}`)) return false;
    if (line.kind !== 'add') oldLine++;
    if (line.kind !== 'del') newLine++;
  }
  return true;
}
