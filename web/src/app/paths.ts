/** Where Keel serves the app; router paths are relative to it. */
export const basePath = '/app';

/**
 * A `next` parameter made safe to navigate to: a path inside the app, never another origin
 * (`//evil.example`, `/\evil.example`) — so a crafted sign-in link cannot send a user away.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next)) return '/';
  if (next === '/sign-in' || next.startsWith('/sign-in?') || next.startsWith('/setup')) return '/';
  return next;
}

/** The sign-in page, coming back to `here` (a path inside the app) afterwards. */
export function signInPath(here: string): string {
  const next = safeNext(here);
  return next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`;
}
