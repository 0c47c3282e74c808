/**
 * Seed 000 `05_gen_description`: a technical description of a change for a pull request, written
 * from what the analysis stored (no model needed): the approved (or first drafted) message, the
 * themes, the most significant elements and the files, with what was left out.
 */

interface StoredScoping {
  top?: Array<{
    name: string;
    file: string;
    kind: string;
    change: string;
    added: number;
    removed: number;
    guard_added?: boolean;
  }>;
  themes?: Array<{ label: string; files: string[]; type: string; scope: string | null }>;
  related_themes?: boolean;
  truncated?: boolean;
}

export interface DescribeInput {
  message: string;
  scoping: StoredScoping | null;
  files: Array<{ path: string; status: string; addedLines: number; removedLines: number }>;
  skipped: Array<{ path: string; reason: string }>;
}

const CHANGE_WORDS: Record<string, string> = {
  added: 'added',
  removed: 'removed',
  modified: 'changed',
  renamed: 'renamed',
};

export function describeChange(input: DescribeInput): string {
  const [header = '', ...rest] = input.message.trim().split('\n');
  const body = rest.join('\n').trim();
  const out: string[] = [`## ${header}`, ''];
  if (body) out.push(body, '');
  const themes = input.scoping?.themes ?? [];
  if (themes.length > 0) {
    out.push('### What changed', '');
    for (const theme of themes)
      out.push(
        `- **${theme.label}** (${theme.type}${theme.scope ? `, ${theme.scope}` : ''}): ${theme.files.map((f) => `\`${f}\``).join(', ')}`,
      );
    if (input.scoping?.related_themes === false)
      out.push(
        '',
        '_These parts have nothing in common: consider reviewing (or committing) them separately._',
      );
    out.push('');
  }
  const top = input.scoping?.top ?? [];
  if (top.length > 0) {
    out.push('### Most significant code', '');
    for (const e of top)
      out.push(
        `- \`${e.name}\` (${e.kind} in \`${e.file}\`): ${CHANGE_WORDS[e.change] ?? e.change}, +${e.added}/−${e.removed}${e.guard_added ? '; a new guard' : ''}`,
      );
    out.push('');
  }
  if (input.files.length > 0) {
    const added = input.files.reduce((n, f) => n + f.addedLines, 0);
    const removed = input.files.reduce((n, f) => n + f.removedLines, 0);
    out.push(`### Files (${input.files.length}, +${added}/−${removed})`, '');
    for (const f of input.files) out.push(`- \`${f.path}\` ${f.status}, +${f.addedLines}/−${f.removedLines}`);
    out.push('');
  }
  if (input.skipped.length > 0 || input.scoping?.truncated) {
    out.push('### Not analysed', '');
    for (const s of input.skipped) out.push(`- \`${s.path}\`: ${s.reason}`);
    if (input.scoping?.truncated) out.push('- the change was larger than the analysis reads in full');
    out.push('');
  }
  return `${out.join('\n').trim()}\n`;
}
