import { describe, expect, it } from 'vitest';
import { allowlistFrom, embeddedIPv4, specialRangeOf } from './address-policy.js';

describe('specialRangeOf', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'link-local'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['::10.0.0.1', 'private'],
  ])('%s is %s', (address, range) => {
    expect(specialRangeOf(address)).toBe(range);
  });

  it.each([
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('%s is public', (address) => {
    expect(specialRangeOf(address)).toBeNull();
  });

  it('reads the IPv4 address inside IPv6 forms', () => {
    expect(embeddedIPv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(embeddedIPv4('::ffff:a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIPv4('2606:4700::1111')).toBeNull();
    expect(embeddedIPv4('::1')).toBeNull();
  });
});

describe('allowlistFrom', () => {
  it('allows listed CIDRs, addresses and host names', () => {
    const isAllowed = allowlistFrom([
      '127.0.0.1/32',
      '10.0.0.0/8',
      '::1/128',
      '192.168.1.5',
      'Hooks.Internal',
      '*.corp.example',
    ]);
    expect(isAllowed('anything', '127.0.0.1')).toBe(true);
    expect(isAllowed('anything', '10.200.1.1')).toBe(true);
    expect(isAllowed('anything', '::1')).toBe(true);
    expect(isAllowed('anything', '::ffff:127.0.0.1')).toBe(true);
    expect(isAllowed('anything', '192.168.1.5')).toBe(true);
    expect(isAllowed('hooks.internal', '172.16.0.1')).toBe(true);
    expect(isAllowed('a.b.corp.example', '172.16.0.1')).toBe(true);
    expect(isAllowed('corp.example', '172.16.0.1')).toBe(false);
    expect(isAllowed('anything', '127.0.0.2')).toBe(false);
    expect(isAllowed('anything', '192.168.1.6')).toBe(false);
  });

  it('refuses entries that are neither hosts nor CIDRs', () => {
    expect(() => allowlistFrom(['10.0.0.0/33'])).toThrow(/prefix/);
    expect(() => allowlistFrom(['10.0.0.0/'])).toThrow(/prefix/);
    expect(() => allowlistFrom(['http://x'])).toThrow(/neither/);
    expect(allowlistFrom([])('localhost', '127.0.0.1')).toBe(false);
  });
});
