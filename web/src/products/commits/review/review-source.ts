import { api, unwrap } from '../../../api/client';
import { type ReviewDetail, reviewDetail } from '../types';

export interface ApproveInput {
  draft_id: string | null;
  /** The message as edited; null keeps the draft's. */
  message: string | null;
}

/**
 * Where a review reads and decides: through a review link (no session; the token is the
 * credential) or through the signed-in API. The page is the same for both.
 */
export interface ReviewSource {
  kind: 'link' | 'session';
  key: readonly unknown[];
  load(): Promise<ReviewDetail>;
  approve(input: ApproveInput): Promise<ReviewDetail>;
  reject(): Promise<ReviewDetail>;
  regenerate(count: number): Promise<ReviewDetail>;
  /** The request after the decision (status, commit, push): a used link still answers this. */
  follow(current: ReviewDetail): Promise<ReviewDetail>;
}

export const requestKey = (id: string) => ['commits', 'request', id] as const;

/** A request read through the session (also how a link page follows the push once its link is used). */
export async function loadRequest(id: string): Promise<ReviewDetail> {
  const detail = reviewDetail(await unwrap(api.GET('/commits/requests/{id}', { params: { path: { id } } })));
  if (detail.repositoryName !== null) return detail;
  // The detail names the repository by id only; signed in, its name is one read away.
  const repository = await unwrap(
    api.GET('/commits/repositories/{id}', { params: { path: { id: detail.repositoryId } } }),
  ).catch(() => undefined);
  return { ...detail, repositoryName: repository?.name ?? null };
}

export function sessionSource(id: string): ReviewSource {
  const path = { params: { path: { id } } };
  return {
    kind: 'session',
    key: requestKey(id),
    load: () => loadRequest(id),
    approve: async (body) =>
      reviewDetail(await unwrap(api.POST('/commits/requests/{id}/approve', { ...path, body }))),
    reject: async () => reviewDetail(await unwrap(api.POST('/commits/requests/{id}/reject', path))),
    regenerate: async (count) =>
      reviewDetail(await unwrap(api.POST('/commits/requests/{id}/regenerate', { ...path, body: { count } }))),
    follow: () => loadRequest(id),
  };
}

export function linkSource(token: string): ReviewSource {
  const path = { params: { path: { token } } };
  return {
    kind: 'link',
    key: ['commits', 'review', token],
    load: async () => reviewDetail(await unwrap(api.GET('/commits/review/{token}', path))),
    approve: async (body) =>
      reviewDetail(await unwrap(api.POST('/commits/review/{token}/approve', { ...path, body }))),
    reject: async () => reviewDetail(await unwrap(api.POST('/commits/review/{token}/reject', path))),
    regenerate: async (count) =>
      reviewDetail(
        await unwrap(api.POST('/commits/review/{token}/regenerate', { ...path, body: { count } })),
      ),
    // A used link cannot be read whole again, but its status can be, until it expires.
    follow: async (current) => {
      const status = await unwrap(api.GET('/commits/review/{token}/status', path));
      return { ...current, status: status.status as ReviewDetail['status'], finalized: status.finalized };
    },
  };
}
