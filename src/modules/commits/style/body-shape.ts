import { charLength, wrapWords } from './text.js';

/** A body as paragraphs of prose and lists of items, whatever its line breaks. */
type Block = { kind: 'prose'; text: string } | { kind: 'bullets'; items: string[] };

const bullet = /^\s*(?:[-*+•]|\d+[.)])\s+/;

export function readBody(body: string): Block[] {
  return body
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== '')
    .map((paragraph): Block => {
      const lines = paragraph.split('\n');
      if (!bullet.test(lines[0] ?? '')) return { kind: 'prose', text: lines.map((l) => l.trim()).join(' ') };
      const items: string[] = [];
      for (const line of lines) {
        if (bullet.test(line)) items.push(line.replace(bullet, '').trim());
        else items[items.length - 1] = `${items.at(-1) ?? ''} ${line.trim()}`.trim();
      }
      return { kind: 'bullets', items };
    });
}

export function bodyStyle(blocks: Block[]): 'bullets' | 'prose' | 'mixed' | null {
  if (blocks.length === 0) return null;
  if (blocks.every((b) => b.kind === 'bullets')) return 'bullets';
  return blocks.every((b) => b.kind === 'prose') ? 'prose' : 'mixed';
}

const sentenceEnd = /[.!?:;]$/;

/** Every paragraph as a list: one item per sentence. */
export function asBullets(blocks: Block[]): Block[] {
  return blocks.map((b) =>
    b.kind === 'bullets' ? b : { kind: 'bullets', items: b.text.split(/(?<=[.!?])\s+(?=\S)/) },
  );
}

/** Every list as a paragraph: its items as sentences. */
export function asProse(blocks: Block[]): Block[] {
  return blocks.map((b) =>
    b.kind === 'prose'
      ? b
      : { kind: 'prose', text: b.items.map((i) => (sentenceEnd.test(i) ? i : `${i}.`)).join(' ') },
  );
}

/** Writes blocks back, wrapped at `width` (items with a two-space hanging indent). */
export function writeBody(blocks: Block[], width: number): string {
  return blocks
    .map((b) =>
      b.kind === 'prose'
        ? wrapWords(b.text, width)
        : b.items.map((item) => wrapWords(item, width, '- ', '  ')).join('\n'),
    )
    .join('\n\n');
}

export function longestLine(text: string): number {
  return Math.max(0, ...text.split('\n').map(charLength));
}
