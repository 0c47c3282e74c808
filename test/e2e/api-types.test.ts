import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiTypesPath, generateApiTypes } from '../../scripts/gen-api-types.js';

describe('the web app’s API types', () => {
  it('match the server’s OpenAPI document (run `npm run gen:api` after changing a route)', async () => {
    const wanted = await generateApiTypes();
    const current = readFileSync(apiTypesPath, 'utf8');
    // Compared as a boolean first: a diff of a 7 000-line file is no help in the failure message.
    const fresh = current === wanted;
    if (!fresh) {
      const a = current.split('\n');
      const b = wanted.split('\n');
      const line = a.findIndex((text, i) => text !== b[i]);
      expect.fail(
        `web/src/api/schema.gen.ts is stale from line ${line + 1} (${JSON.stringify(a[line])} vs ${JSON.stringify(b[line])}): run \`npm run gen:api\``,
      );
    }
  }, 60_000);
});
