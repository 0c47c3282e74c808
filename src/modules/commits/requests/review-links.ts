import type { Log } from '../../../kernel/log/index.js';
import type { Notify } from '../../../shared/notify/index.js';

/** Seed 001 §1-2: the review link in the notification works once, for ten minutes. */
export const REVIEW_LINK_TTL_SECONDS = 600;
const PURPOSE = 'commits.review';

export interface ReviewAnnouncement {
  url: string;
  expiresAt: Date;
  /** The notification sent, or null when sending failed (the drafts are kept either way). */
  notificationId: string | null;
}

export interface ReviewLinks {
  /** Mints the request's link and tells its author on their channels (Slack, e-mail, Web Push, Kakao, in-app). */
  announce(input: {
    requestId: string;
    userId: string;
    orgId: string | null;
    repository: string;
    header: string;
    files: number;
    added: number;
    removed: number;
  }): Promise<ReviewAnnouncement>;
  /** What a link is for, without using it; throws not_found (unknown) or gone (expired or used). */
  open(token: string): Promise<{ requestId: string; userId: string; expiresAt: Date }>;
  /** Uses the link (once): after a decision made with it. */
  use(token: string): Promise<void>;
  /** A link used or not, until it expires: to follow what the decision led to. */
  inspect(
    token: string,
  ): Promise<{ requestId: string; userId: string; expiresAt: Date; usedAt: Date | null }>;
}

export function createReviewLinks(deps: { notify: Notify; publicUrl: string; log: Log }): ReviewLinks {
  const { notify, log } = deps;
  const subjectOf = (subject: Record<string, unknown>, userId: string | null) => ({
    requestId: String(subject.requestId ?? ''),
    userId: userId ?? '',
  });
  return {
    async announce(input) {
      const { token, expiresAt } = await notify.links.create({
        purpose: PURPOSE,
        subject: { requestId: input.requestId },
        userId: input.userId,
        ttlSeconds: REVIEW_LINK_TTL_SECONDS,
      });
      const url = `${deps.publicUrl}/app/commits/review/${token}`;
      let notificationId: string | null = null;
      try {
        const sent = await notify.send({
          to: { userId: input.userId },
          template: 'commits.draft_ready',
          data: {
            repository: input.repository,
            message_header: input.header,
            files: input.files,
            added: input.added,
            removed: input.removed,
            url,
          },
          channels: ['inapp', 'slack', 'email', 'webpush', 'kakao'],
          priority: 'high',
          dedupeKey: `commits.draft_ready:${input.requestId}:${expiresAt.getTime()}`,
          orgId: input.orgId,
          url,
        });
        notificationId = sent.notificationId;
      } catch (error) {
        // A Kakao allowance used up or a channel refused: the drafts and the link stand.
        log.warn({ err: error, requestId: input.requestId }, 'could not send the review notification');
      }
      return { url, expiresAt, notificationId };
    },
    async open(token) {
      const link = await notify.links.peek(token, PURPOSE);
      return { ...subjectOf(link.subject, link.userId), expiresAt: link.expiresAt };
    },
    async use(token) {
      await notify.links.consume(token, PURPOSE);
    },
    async inspect(token) {
      const link = await notify.links.inspect(token, PURPOSE);
      return { ...subjectOf(link.subject, link.userId), expiresAt: link.expiresAt, usedAt: link.usedAt };
    },
  };
}
