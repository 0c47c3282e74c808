import { describe, expect, it } from 'vitest';
import { timeRangeOf } from './time-range.js';

const now = new Date('2026-03-10T12:00:00Z');

describe('timeRangeOf', () => {
  it('reads English ranges', () => {
    expect(timeRangeOf('errors in the last 24 hours', now)).toMatchObject({ ms: 86_400_000, compact: '24h' });
    expect(timeRangeOf('CPU over the past hour', now)).toMatchObject({ compact: '1h' });
    expect(timeRangeOf('logs from the last 30m please', now)).toMatchObject({
      compact: '30m',
      phrase: 'from the last 30m'.slice(5),
    });
    expect(timeRangeOf('deploys in the last two weeks', now)).toMatchObject({ compact: '2w' });
  });

  it('reads Korean ranges', () => {
    expect(timeRangeOf('지난 1시간 동안 에러 로그', now)).toMatchObject({
      ms: 3_600_000,
      compact: '1h',
      phrase: '지난 1시간 동안',
    });
    expect(timeRangeOf('최근 30분 CPU', now)).toMatchObject({ compact: '30m' });
    expect(timeRangeOf('지난 한 시간', now)).toMatchObject({ compact: '1h' });
    expect(timeRangeOf('최근 일주일 배포', now)).toMatchObject({ compact: '7d' });
    expect(timeRangeOf('3일 동안 장애', now)).toMatchObject({ compact: '3d' });
  });

  it('reads today and yesterday as UTC days', () => {
    expect(timeRangeOf('errors today', now)).toMatchObject({ compact: 'today', ms: 12 * 3_600_000 });
    expect(timeRangeOf('어제 배포', now)).toMatchObject({
      compact: 'yesterday',
      ms: 86_400_000,
      end: new Date('2026-03-10T00:00:00Z'),
    });
  });

  it('finds nothing in a question without a range', () => {
    expect(timeRangeOf('what is the CPU usage of api-gateway?', now)).toBeNull();
    expect(timeRangeOf('the last deploy', now)).toBeNull();
  });
});
