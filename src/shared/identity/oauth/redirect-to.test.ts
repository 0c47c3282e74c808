import { describe, expect, it } from 'vitest';
import { isSameSitePath } from './redirect-to.js';

describe('isSameSitePath', () => {
  it.each(['/', '/chat', '/chat?tab=1#top', '/a/b/../c', '/%2F%2Fevil.example.com'])('accepts %j', (path) => {
    expect(isSameSitePath(path)).toBe(true);
  });

  it.each([
    '',
    'chat',
    '//evil.example.com',
    '///evil.example.com',
    '/\\evil.example.com',
    '/\t/evil.example.com',
    '/\n/evil.example.com',
    ' /chat',
    'https://evil.example.com/',
    'javascript:alert(1)',
    '/chat\u0000',
  ])('refuses %j', (path) => {
    expect(isSameSitePath(path)).toBe(false);
  });
});
