import { type GitRunOptions, gitWithInput } from './git.js';

/**
 * Reads blobs through one `git cat-file` process per batch: sizes first (`--batch-check`), then
 * the contents of the blobs the caller keeps (`--batch`), so an oversized blob is never read.
 */

export interface BlobInfo {
  /** The full object id git resolved (the request may be an abbreviated id). */
  sha: string;
  type: string;
  size: number;
}

/** Size and type of each object named in `names` (null when git does not know it), in order. */
export async function blobInfo(
  names: readonly string[],
  options: GitRunOptions,
): Promise<Array<BlobInfo | null>> {
  if (names.length === 0) return [];
  const out = await gitWithInput(['cat-file', '--batch-check'], `${names.join('\n')}\n`, options);
  const lines = out.toString('utf8').split('\n');
  return names.map((_, i) => {
    const [sha = '', type = '', size = ''] = (lines[i] ?? '').split(' ');
    return type === 'missing' || type === 'ambiguous' || size === ''
      ? null
      : { sha, type, size: Number(size) };
  });
}

/** Contents of the blobs `shas` (full ids), in order. The caller has checked their sizes. */
export async function readBlobs(shas: readonly string[], options: GitRunOptions): Promise<Buffer[]> {
  if (shas.length === 0) return [];
  const out = await gitWithInput(['cat-file', '--batch'], `${shas.join('\n')}\n`, options);
  const blobs: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < shas.length; i++) {
    const eol = out.indexOf(10, at);
    if (eol < 0) break;
    const [, type, size] = out.subarray(at, eol).toString('utf8').split(' ');
    if (type === 'missing' || size === undefined) {
      blobs.push(Buffer.alloc(0));
      at = eol + 1;
      continue;
    }
    const length = Number(size);
    blobs.push(out.subarray(eol + 1, eol + 1 + length));
    at = eol + 1 + length + 1; // contents, then a newline
  }
  return blobs;
}
