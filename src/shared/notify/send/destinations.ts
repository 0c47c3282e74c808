import type { ChannelKind } from '../channels/channel.types.js';

export function isEmail(value: string): boolean {
  return value.length <= 320 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

export function isE164(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value);
}

/**
 * What logs and the console show of a destination: enough to recognize it, not enough to use it
 * (`k***@example.com`, `+82******5678`, a webhook's origin, a push service's host).
 */
export function maskDestination(channel: ChannelKind, destination: string): string {
  switch (channel) {
    case 'email': {
      const at = destination.lastIndexOf('@');
      return at > 0 ? `${destination[0]}***${destination.slice(at)}` : '***';
    }
    case 'sms':
    case 'kakao':
      return destination.length <= 6
        ? '*'.repeat(destination.length)
        : `${destination.slice(0, 3)}${'*'.repeat(destination.length - 7)}${destination.slice(-4)}`;
    case 'webhook':
      return originOf(destination);
    case 'webpush': {
      try {
        return originOf((JSON.parse(destination) as { endpoint: string }).endpoint);
      } catch {
        return 'push subscription';
      }
    }
    case 'inapp':
      return `user ${destination.slice(0, 8)}`;
    case 'slack':
      return destination;
  }
}

function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return 'invalid URL';
  }
}
