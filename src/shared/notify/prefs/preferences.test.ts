import { describe, expect, it } from 'vitest';
import { allows, localMinute, type PreferenceRow, parseClock, quietUntil } from './preferences.js';

const row = (
  notificationType: string,
  channel: PreferenceRow['channel'],
  enabled: boolean,
): PreferenceRow => ({
  userId: 'u',
  notificationType,
  channel,
  enabled,
});

describe('preferences', () => {
  it('lets the most specific row win, and defaults to yes', () => {
    const rows = [
      row('*', '*', false),
      row('*', 'email', true),
      row('commits.draft', '*', true),
      row('commits.draft', 'sms', false),
    ];
    expect(allows(rows, 'commits.draft', 'sms')).toBe(false);
    expect(allows(rows, 'commits.draft', 'slack')).toBe(true);
    expect(allows(rows, 'ops.alert', 'email')).toBe(true);
    expect(allows(rows, 'ops.alert', 'slack')).toBe(false);
    expect(allows([], 'anything', 'kakao')).toBe(true);
  });

  it('ends quiet hours at the local end of a window that wraps midnight', () => {
    const quiet = {
      startMinute: parseClock('22:00'),
      endMinute: parseClock('07:00'),
      timezone: 'Asia/Seoul',
    };
    // 23:30 in Seoul is 14:30 UTC.
    const at = new Date('2026-11-22T14:30:00Z');
    expect(localMinute(at, 'Asia/Seoul')).toBe(23 * 60 + 30);
    expect(quietUntil(at, quiet)?.toISOString()).toBe('2026-11-22T22:00:00.000Z');
    expect(quietUntil(new Date('2026-11-22T03:00:00Z'), quiet)).toBeNull();
    expect(quietUntil(at, { ...quiet, endMinute: quiet.startMinute })).toBeNull();
  });

  it('refuses clocks that are not HH:MM', () => {
    expect(() => parseClock('24:00')).toThrow();
    expect(parseClock('07:05')).toBe(425);
  });
});
