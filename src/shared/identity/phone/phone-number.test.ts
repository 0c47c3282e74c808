import { describe, expect, it } from 'vitest';
import { normalizePhone, phoneNumberSchema } from './phone-number.js';

describe('normalizePhone', () => {
  it.each([
    ['+82 10-1234-5678', '+821012345678'],
    ['+821012345678', '+821012345678'],
    ['010-1234-5678', '+821012345678'],
    ['01012345678', '+821012345678'],
    ['010.1234.5678', '+821012345678'],
    ['011-123-4567', '+82111234567'],
    ['+82 010-1234-5678', '+821012345678'],
    ['  +82 (10) 1234 5678 ', '+821012345678'],
    ['+1 (415) 555-2671', '+14155552671'],
    ['+44 7911 123456', '+447911123456'],
  ])('reads %j as %s', (input, e164) => {
    expect(normalizePhone(input)).toBe(e164);
  });

  it.each([
    ['', 'empty'],
    ['1012345678', 'no + and not a Korean domestic mobile'],
    ['02-123-4567', 'Korean landline'],
    ['+82 2-123-4567', 'Korean landline in international form'],
    ['00821012345678', '00 international prefix'],
    ['+0123456789', 'country code 0'],
    ['+1234', 'too short'],
    ['+1234567890123456', 'more than 15 digits'],
    ['+82-10-1234-5678x1', 'letters'],
    ['+82１0１２３４５６７８', 'full-width digits'],
    ['+８２1012345678', 'full-width digits'],
    ["'); drop table identity.users; --", 'SQL'],
    ['1'.repeat(40), 'too long'],
  ])('refuses %j (%s)', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it('parses to E.164 in a schema, naming the rule when it fails', () => {
    expect(phoneNumberSchema.parse('010-1234-5678')).toBe('+821012345678');
    const failed = phoneNumberSchema.safeParse('call me');
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]?.message).toMatch(/international form/);
    expect(phoneNumberSchema.safeParse('1'.repeat(1000)).error?.issues[0]?.code).toBe('too_big');
  });
});
