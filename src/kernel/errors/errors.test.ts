import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCodes, isDatabaseUnavailable, KeelError } from './index.js';

describe('errors', () => {
  it('documents every code with its status in docs/errors.md', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    for (const [code, { status }] of Object.entries(errorCodes)) {
      expect(doc, `docs/errors.md lacks ${code}`).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
    }
  });

  it('carries its status, details and cause', () => {
    const cause = new Error('inner');
    const error = new KeelError('conflict', 'taken', {
      details: { errors: [{ field: 'body.name', message: 'taken' }] },
      cause,
    });
    expect(error.status).toBe(409);
    expect(error.cause).toBe(cause);
    expect(error.details?.errors?.[0]?.field).toBe('body.name');
  });

  it('recognises an unreachable database through wrapped causes', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(new Error('query failed', { cause: refused }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
  });
});
