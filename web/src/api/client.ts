import createClient from 'openapi-fetch';
import { ApiError, NetworkError } from './problem';
import type { paths } from './schema.gen';

/**
 * The typed API client. Types come from the server's OpenAPI document (schema.gen.ts, generated
 * by scripts/gen-api-types.ts); requests go to the same origin and carry Keel's HttpOnly session
 * cookies, so no token ever reaches JavaScript or storage.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin', fetch: keelFetch });

let sessionExpired: (() => void) | undefined;

/** Called when a request is refused for want of a session and refreshing it did not help. */
export function onSessionExpired(handler: () => void): void {
  sessionExpired = handler;
}

function isAuthRoute(url: string): boolean {
  return new URL(url, window.location.origin).pathname.startsWith('/auth/');
}

/**
 * fetch with silent session refresh: on a 401 outside /auth/*, refresh the session once (shared by
 * every request waiting on it) and replay the request; if that fails, the session is over.
 * A 401 means the access check refused the request before any handler ran, so replaying a POST
 * cannot apply it twice.
 */
async function keelFetch(request: Request): Promise<Response> {
  const replay = request.clone();
  const response = await fetch(request);
  if (response.status !== 401 || isAuthRoute(request.url)) return response;
  if (await refreshSession()) {
    const second = await fetch(replay);
    if (second.status !== 401) return second;
  }
  sessionExpired?.();
  return response;
}

let refreshing: Promise<boolean> | undefined;
const lockName = 'keel.session-refresh';

/**
 * One refresh at a time, in this tab (a shared promise) and across tabs (a Web Lock): refresh
 * tokens rotate, and presenting a used one revokes the whole session (docs/identity.md).
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= refreshExclusively().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

async function refreshExclusively(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.locks) return postRefresh();
  // Usually no other tab is refreshing: take the lock and refresh at once.
  const alone = await navigator.locks.request(lockName, { ifAvailable: true }, async (lock) =>
    lock ? { refreshed: await postRefresh() } : null,
  );
  if (alone) return alone.refreshed;
  // Another tab is refreshing right now: wait for it, then its new cookie may already do.
  return navigator.locks.request(lockName, async () => (await sessionWorks()) || postRefresh());
}

async function sessionWorks(): Promise<boolean> {
  const probe = await fetch('/me/', { credentials: 'same-origin' }).catch(() => undefined);
  return probe?.ok ?? false;
}

async function postRefresh(): Promise<boolean> {
  const answer = await fetch('/auth/refresh', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  }).catch(() => undefined);
  return answer?.ok ?? false;
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an `api.GET/POST/...` call and returns its data, or throws ApiError (the server said no,
 * with its problem+json) or NetworkError (no answer at all).
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new NetworkError(cause);
  }
  if (!result.response.ok) throw new ApiError(result.response.status, result.error);
  return result.data as T;
}
