import type { ChannelKind } from '../channels/channel.types.js';

export interface PreferenceRow {
  userId: string;
  notificationType: string;
  channel: ChannelKind | '*';
  enabled: boolean;
}

export interface QuietHours {
  /** Minutes after local midnight. */
  startMinute: number;
  endMinute: number;
  timezone: string;
}

/**
 * Whether a user takes `type` on `channel`: the most specific row wins — the type and channel,
 * then the type on every channel, then the channel for every type, then the user's default —
 * and without any row, yes.
 */
export function allows(rows: readonly PreferenceRow[], type: string, channel: ChannelKind): boolean {
  const order: Array<[string, string]> = [
    [type, channel],
    [type, '*'],
    ['*', channel],
    ['*', '*'],
  ];
  for (const [t, c] of order) {
    const row = rows.find((r) => r.notificationType === t && r.channel === c);
    if (row) return row.enabled;
  }
  return true;
}

/** The local minute of the day of `at` in `timezone`. */
export function localMinute(at: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

/**
 * When the quiet window that holds `at` ends, or null when `at` is outside it. A window may wrap
 * midnight (22:00–07:00); start = end is an empty window. Minute precision: a DST change inside
 * the window can move the end by its offset, which is acceptable for a quiet-hours delay.
 */
export function quietUntil(at: Date, quiet: QuietHours): Date | null {
  const { startMinute: start, endMinute: end } = quiet;
  if (start === end) return null;
  const now = localMinute(at, quiet.timezone);
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return null;
  const minutes = (end - now + 1440) % 1440;
  const until = new Date(at.getTime() + minutes * 60_000);
  until.setUTCSeconds(0, 0);
  return until;
}

/** `22:30` → 1350; throws on anything else. */
export function parseClock(value: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new Error(`"${value}" is not a time of day (HH:MM, 24-hour)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export function formatClock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
