import { describe, expect, it } from 'vitest';
import { type PatchPiece, PatchSplitter } from './patch-split.js';

const patch = [
  'commit 123',
  '',
  'diff --git a/a.ts b/a.ts',
  'index 1..2 100644',
  '--- a/a.ts',
  '+++ b/a.ts',
  '@@ -1 +1 @@',
  '-a',
  '+b',
  'diff --git a/big.txt b/big.txt',
  'index 3..4 100644',
  '--- a/big.txt',
  '+++ b/big.txt',
  '@@ -1 +1,3 @@',
  `+${'x'.repeat(300)}`,
  `+${'y'.repeat(300)}`,
  'diff --git a/c.ts b/c.ts',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/c.ts',
  '@@ -0,0 +1 @@',
  '+c',
  '',
].join('\n');

function split(chunkSize: number, maxFileBytes = 200): PatchPiece[] {
  const pieces: PatchPiece[] = [];
  const splitter = new PatchSplitter(maxFileBytes, (p) => pieces.push(p));
  const bytes = Buffer.from(patch);
  for (let i = 0; i < bytes.length; i += chunkSize) splitter.push(bytes.subarray(i, i + chunkSize));
  splitter.end();
  return pieces;
}

describe('PatchSplitter', () => {
  it('cuts a streamed diff into one piece per file, wherever the chunks break', () => {
    for (const chunk of [1, 7, 11, 64, 100_000]) {
      const pieces = split(chunk);
      expect(pieces, `chunks of ${chunk}`).toHaveLength(3);
      expect(pieces[0]?.bytes?.toString()).toBe(
        patch.slice(patch.indexOf('diff --git a/a.ts'), patch.indexOf('diff --git a/big')),
      );
      expect(pieces[2]?.bytes?.toString().startsWith('diff --git a/c.ts b/c.ts\nnew file mode')).toBe(true);
    }
  });

  it('keeps only the header of a file past the cap, and its full size', () => {
    const [, big] = split(13);
    expect(big?.bytes).toBeNull();
    expect(big?.size).toBeGreaterThan(600);
    expect(big?.header.toString()).toBe(
      'diff --git a/big.txt b/big.txt\nindex 3..4 100644\n--- a/big.txt\n+++ b/big.txt\n',
    );
  });
});
