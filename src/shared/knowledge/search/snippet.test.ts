import { describe, expect, it } from 'vitest';
import { escapeHtml, highlight } from './snippet.js';
import { tokenize } from './tokenize/index.js';

const terms = (query: string) => new Set(tokenize(query));

describe('highlight', () => {
  it('marks words by their stems, as the index matches them', () => {
    expect(highlight('The runner runs; running is what it ran.', terms('running'))).toBe(
      'The runner <mark>runs</mark>; <mark>running</mark> is what it ran.',
    );
  });

  it('escapes HTML around and inside marks', () => {
    expect(highlight('a <script>alert("1 & 2")</script> tag', terms('script'))).toBe(
      'a &lt;<mark>script</mark>&gt;alert(&quot;1 &amp; 2&quot;)&lt;/<mark>script</mark>&gt; tag',
    );
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('marks the Hangul syllables covered by matching bigrams as one run', () => {
    expect(highlight('디스크 사용량이 높습니다', terms('사용량'))).toBe(
      '디스크 <mark>사용량</mark>이 높습니다',
    );
    expect(highlight('ＣＰＵ 사용량', terms('cpu'))).toBe('<mark>ＣＰＵ</mark> 사용량');
  });

  it('picks the window with the most distinct query terms, cut at spaces, with ellipses', () => {
    const filler = (word: string, n: number) => Array(n).fill(word).join(' ');
    const text = `${filler('alpha', 60)} backup once here ${filler('beta', 60)} backup and restore together ${filler('gamma', 60)}`;
    const snippet = highlight(text, terms('backup restore'));
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('<mark>backup</mark> and <mark>restore</mark> together');
    expect(snippet).not.toContain('once here');
    const visible = snippet.replace(/<\/?mark>/g, '').replace(/…/g, '');
    expect(visible.length).toBeLessThanOrEqual(200);
    expect(visible).toMatch(/^\S/);
    expect(
      visible.split(' ').every((w) => ['beta', 'backup', 'and', 'restore', 'together', 'gamma'].includes(w)),
    ).toBe(true);
  });

  it('shows the start of the chunk when nothing matches (a vector hit), collapsing line breaks', () => {
    const text = `First line\n\nsecond line ${'word '.repeat(80)}`;
    const snippet = highlight(text, terms('unrelated'));
    expect(snippet.startsWith('First line second line word')).toBe(true);
    expect(snippet.endsWith('word…')).toBe(true);
    expect(highlight('short text', new Set())).toBe('short text');
  });

  it('finds matches in text NFKC reshapes (ligatures, full-width), pointing at the original characters', () => {
    expect(highlight('the ﬁle is here', terms('files'))).toBe('the <mark>ﬁle</mark> is here');
  });
});
