import { describe, expect, it } from 'vitest';
import { accessOf, type Caller } from './caller.js';

const org = '00000000-0000-4000-8000-0000000000a1';
const other = '00000000-0000-4000-8000-0000000000b2';
const owner = '00000000-0000-4000-8000-000000000001';
const someone = '00000000-0000-4000-8000-000000000002';
const as = (userId: string, orgId: string | null, orgAdmin = false): Caller => ({ userId, orgId, orgAdmin });

describe('the knowledge base access rule', () => {
  it('gives a personal base to its owner alone, whatever org they act in', () => {
    const base = { orgId: null, ownerUserId: owner };
    expect(accessOf(base, as(owner, null), null)).toBe('manage');
    expect(accessOf(base, as(owner, org), null)).toBe('manage');
    expect(accessOf(base, as(someone, null), null)).toBe('none');
    expect(accessOf(base, as(someone, org, true), null)).toBe('none');
  });

  it('lets org members read an org base, and its owner and org admins manage it, only inside the org', () => {
    const base = { orgId: org, ownerUserId: owner };
    expect(accessOf(base, as(someone, org), null)).toBe('read');
    expect(accessOf(base, as(someone, org, true), null)).toBe('manage');
    expect(accessOf(base, as(owner, org), null)).toBe('manage');
    expect(accessOf(base, as(owner, other), null)).toBe('none');
    expect(accessOf(base, as(someone, other, true), null)).toBe('none');
  });

  it('adds what a share grants, never taking anything away', () => {
    const base = { orgId: org, ownerUserId: owner };
    expect(accessOf(base, as(someone, other), 'read')).toBe('read');
    expect(accessOf(base, as(someone, org), 'write')).toBe('write');
    expect(accessOf(base, as(owner, org), 'read')).toBe('manage');
  });
});
