import { describe, expect, it } from 'vitest';
import { measureRoutes } from '../../scripts/web-bundle-size.js';
import { ensureWebBuild } from './support/web-build.js';

describe('the web app’s bundle', () => {
  it('loads less than 200 KB of gzipped JavaScript for the sign-in page and the commit review page', async () => {
    await ensureWebBuild();
    const sizes = measureRoutes();
    const signIn = sizes.find((s) => s.route === '/sign-in');
    expect(signIn?.js_gzip).toBeGreaterThan(10_000);
    expect(signIn?.js_gzip).toBeLessThan(200 * 1024);
    // The commit review page a notification link opens on a phone, cold and without a session.
    const review = sizes.find((s) => s.route === '/commits/review/:token');
    expect(review?.js_gzip).toBeGreaterThan(10_000);
    expect(review?.js_gzip).toBeLessThan(200 * 1024);
    // Every route of routeModules exists in the build (measureRoutes throws otherwise), and no
    // route but the charts one pulls in the charting library.
    for (const s of sizes)
      if (s.route !== '/admin/usage') expect(s.js_gzip, s.route).toBeLessThan(200 * 1024);
  }, 180_000);
});
