import { z } from 'zod';

/** Longer inputs are refused before any parsing: no real number with separators comes close. */
export const PHONE_INPUT_MAX = 32;

const separators = /[\s\-.()]/g;
/** E.164: a country code that does not start with 0, at most 15 digits in all. */
const e164Digits = /^[1-9]\d{6,14}$/;
/** Korean mobile numbers (010, and the older 011/016/017/018/019) after the country code. */
const koreanMobile = /^1[016789]\d{7,8}$/;
/** The same, written the Korean domestic way with the trunk prefix 0. */
const koreanDomesticMobile = /^01[016789]\d{7,8}$/;

/**
 * Normalizes a phone number to E.164 (`+821012345678`), or returns null.
 *
 * The rule:
 * - spaces, hyphens, dots and parentheses are ignored (`+82 10-1234-5678`, `+1 (415) 555-2671`);
 * - with a leading `+`: a country code and number of 7 to 15 digits in all. For Korea (+82) the
 *   domestic trunk 0 is dropped when written after the country code (`+82 010-...` is a common
 *   way of writing `+82 10-...`), and the number must be a mobile one (SMS only reaches those);
 * - without a `+`: only a Korean mobile number written domestically (`010-1234-5678`), which
 *   becomes `+82` and the number without its trunk 0;
 * - anything else (letters, `00` prefixes, other national formats) is refused: guessing a
 *   country would send a code to somebody else's phone.
 */
export function normalizePhone(input: string): string | null {
  if (input.length > PHONE_INPUT_MAX) return null;
  const compact = input.trim().replace(separators, '');
  if (compact.startsWith('+')) {
    let digits = compact.slice(1);
    if (digits.startsWith('820')) digits = `82${digits.slice(3)}`;
    if (!e164Digits.test(digits)) return null;
    if (digits.startsWith('82') && !koreanMobile.test(digits.slice(2))) return null;
    return `+${digits}`;
  }
  if (koreanDomesticMobile.test(compact)) return `+82${compact.slice(1)}`;
  return null;
}

const invalidPhoneMessage =
  'must be a mobile number in international form (+82 10-1234-5678) or a Korean mobile number (010-1234-5678)';

/** A request field holding a phone number; parses to E.164. */
export const phoneNumberSchema = z
  .string()
  .max(PHONE_INPUT_MAX, `must be at most ${PHONE_INPUT_MAX} characters`)
  .transform((value, ctx) => {
    const e164 = normalizePhone(value);
    if (e164 === null) {
      ctx.addIssue({ code: 'custom', message: invalidPhoneMessage });
      return z.NEVER;
    }
    return e164;
  })
  .describe('A mobile phone number: +82 10-1234-5678, +821012345678 or (Korea) 010-1234-5678');
