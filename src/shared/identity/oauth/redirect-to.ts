import { z } from 'zod';

const probeOrigin = 'http://keel.invalid';

/**
 * True for a path on this site: it starts with one `/`, and a browser resolving it cannot land on
 * another origin. Backslashes and control characters are refused outright: browsers read `/\x`
 * as `//x` and drop tabs and newlines, both classic ways to smuggle `//evil.example` past a
 * prefix check.
 */
export function isSameSitePath(value: string): boolean {
  if (!value.startsWith('/') || value.startsWith('//')) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\\\u0000-\u0020\u007f]/.test(value)) return false;
  try {
    return new URL(value, probeOrigin).origin === probeOrigin;
  } catch {
    return false;
  }
}

/** `redirect_to`: where the browser goes after signing in; a same-site path, `/` by default. */
export const redirectToSchema = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine(isSameSitePath, 'must be a path on this site starting with a single "/" (e.g. /chat)')
  .default('/')
  .describe('A path on this site to return to after signing in (default /)');
