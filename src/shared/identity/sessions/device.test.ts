import { describe, expect, it } from 'vitest';
import { parseUserAgent } from './device.js';

describe('parseUserAgent', () => {
  it('tells browser, system and device type apart', () => {
    expect(
      parseUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toEqual({ browser: 'Safari', os: 'iOS', deviceType: 'mobile' });
    expect(
      parseUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0',
      ),
    ).toEqual({ browser: 'Edge', os: 'Windows', deviceType: 'desktop' });
    expect(parseUserAgent('curl/8.5.0')).toEqual({ browser: 'curl', os: null, deviceType: 'cli' });
    expect(parseUserAgent(undefined)).toEqual({ browser: null, os: null, deviceType: null });
  });
});
