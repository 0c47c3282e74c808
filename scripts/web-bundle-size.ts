/**
 * How much JavaScript (and CSS) each route of the web app loads, gzipped: the entry chunk, the
 * route's lazy chunks, and everything they import statically — what the browser fetches when the
 * route is opened cold. Reads the Vite manifest of `web/dist` (run `npm run build:web` first).
 *
 *   node bin/run-ts.mjs scripts/web-bundle-size.ts          # a table
 *   node bin/run-ts.mjs scripts/web-bundle-size.ts --json   # one JSON object
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { projectRoot } from '../src/kernel/paths.js';

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
  isEntry?: boolean;
}
type Manifest = Record<string, ManifestChunk>;

const shell = 'src/app/shell/app-shell.tsx';
const admin = (page: string) => [shell, 'src/products/admin/admin.product.tsx', `src/products/admin/${page}`];
const account = (page: string) => [
  shell,
  'src/products/account/account.product.tsx',
  `src/products/account/${page}`,
];

const documents = (page: string) => [
  shell,
  'src/products/documents/documents.product.tsx',
  `src/products/documents/${page}`,
];

const commits = (page: string) => [
  shell,
  'src/products/commits/commits.product.tsx',
  `src/products/commits/${page}`,
];

/** Each route and the lazy modules (React.lazy) it renders, as named in the manifest. */
export const routeModules: Record<string, string[]> = {
  '/sign-in': ['src/pages/sign-in/sign-in.page.tsx'],
  '/setup': ['src/pages/setup/setup.page.tsx'],
  // A review link opens on a phone, without a session and without the shell.
  '/commits/review/:token': ['src/products/commits/review/review-link.page.tsx'],
  '/account/profile': account('profile.page.tsx'),
  '/account/sessions': account('sessions.page.tsx'),
  '/account/api-keys': account('api-keys.page.tsx'),
  '/account/notifications': account('notifications.page.tsx'),
  '/admin/users': admin('users/users.page.tsx'),
  '/admin/plans': admin('plans.page.tsx'),
  '/admin/llm': admin('llm/llm.page.tsx'),
  '/admin/usage': admin('usage.page.tsx'),
  '/admin/audit': admin('audit.page.tsx'),
  '/admin/jobs': admin('jobs.page.tsx'),
  '/admin/notices': admin('notices.page.tsx'),
  '/admin/notifications': admin('delivery.page.tsx'),
  '/documents/library': documents('library.page.tsx'),
  '/documents/search': documents('search.page.tsx'),
  '/commits/requests': commits('requests.page.tsx'),
  '/commits/requests/:id': commits('review/request-review.page.tsx'),
  '/commits/repositories': commits('repositories.page.tsx'),
};

export interface RouteSize {
  route: string;
  /** gzipped bytes of every JS file the route loads */
  js_gzip: number;
  css_gzip: number;
  files: number;
}

export function measureRoutes(dist = join(projectRoot, 'web', 'dist')): RouteSize[] {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const gzipped = new Map<string, number>();
  const sizeOf = (file: string) => {
    let size = gzipped.get(file);
    if (size === undefined) {
      size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
      gzipped.set(file, size);
    }
    return size;
  };
  const collect = (key: string, js: Set<string>, css: Set<string>) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the Vite manifest: is routeModules out of date?`);
    if (js.has(chunk.file)) return;
    js.add(chunk.file);
    for (const file of chunk.css ?? []) css.add(file);
    for (const imported of chunk.imports ?? []) collect(imported, js, css);
  };
  return Object.entries(routeModules).map(([route, modules]) => {
    const js = new Set<string>();
    const css = new Set<string>();
    for (const key of ['index.html', ...modules]) collect(key, js, css);
    const sum = (files: Set<string>) => [...files].reduce((total, file) => total + sizeOf(file), 0);
    return { route, js_gzip: sum(js), css_gzip: sum(css), files: js.size };
  });
}

function main(): void {
  const sizes = measureRoutes();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(Object.fromEntries(sizes.map((s) => [s.route, s]))));
    return;
  }
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log('| route | JS (gzip) | CSS (gzip) | JS files |\n|---|---:|---:|---:|');
  for (const s of sizes)
    console.log(`| \`${s.route}\` | ${kb(s.js_gzip)} | ${kb(s.css_gzip)} | ${s.files} |`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
