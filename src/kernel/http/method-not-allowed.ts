import FindMyWay, { type HTTPMethod } from 'find-my-way';

const methods: HTTPMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Fastify answers an unknown method on a known path with 404. To answer 405 with an `Allow`
 * header, a shadow router records every route (same matcher as Fastify's) and is asked, on a
 * miss, which methods the path does support.
 */
export function createRouteIndex() {
  const router = FindMyWay({ ignoreTrailingSlash: false });
  const noop = () => undefined;
  return {
    add(method: string | string[], url: string) {
      for (const m of Array.isArray(method) ? method : [method]) {
        const upper = m.toUpperCase() as HTTPMethod;
        if (methods.includes(upper) && !router.hasRoute(upper, url)) router.on(upper, url, noop);
      }
    },
    allowedMethods(path: string): string[] {
      return methods.filter((m) => router.find(m, path) !== null);
    },
  };
}
