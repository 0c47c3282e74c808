import type { Plan } from '../catalog/catalog.schema.js';

export type Period = 'day' | 'month';

/** The catalog columns that limit a feature. */
export type LimitColumn = keyof Pick<
  Plan,
  | 'max_commits_per_day'
  | 'max_commits_per_month'
  | 'max_describes_per_month'
  | 'max_uploads_per_day'
  | 'kakao_noti_remaining'
>;

/**
 * Which catalog limits each metered feature counts against (seed 001 §6-3's `enforce_limit`).
 * A feature with two periods (commits) must fit both: the day's and the month's.
 */
export const featureLimits = {
  commits: [
    { period: 'day', column: 'max_commits_per_day' },
    { period: 'month', column: 'max_commits_per_month' },
  ],
  describes: [{ period: 'month', column: 'max_describes_per_month' }],
  uploads: [{ period: 'day', column: 'max_uploads_per_day' }],
  /** Kakao AlimTalk messages (seed 000 `kakao_noti_remaining`): a monthly allowance. */
  kakao: [{ period: 'month', column: 'kakao_noti_remaining' }],
} as const satisfies Record<string, ReadonlyArray<{ period: Period; column: LimitColumn }>>;

export type Feature = keyof typeof featureLimits;

export const features = Object.keys(featureLimits) as Feature[];

/** First day (UTC, `YYYY-MM-DD`) of the period that contains `now`. */
export function periodStart(period: Period, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  return period === 'day' ? day : `${day.slice(0, 7)}-01`;
}

/** When the period that starts on `start` ends: the next UTC midnight or first of the month. */
export function periodEnd(period: Period, start: string): Date {
  const [year, month, day] = start.split('-').map(Number) as [number, number, number];
  return period === 'day' ? new Date(Date.UTC(year, month - 1, day + 1)) : new Date(Date.UTC(year, month, 1));
}
