import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Keel's API paths: the dev server forwards them to a running `npm start` (same origin for cookies). */
const apiPrefixes = [
  '/auth',
  '/me',
  '/users',
  '/api-keys',
  '/orgs',
  '/audit',
  '/plans',
  '/llm',
  '/notify',
  '/admin',
  '/api',
  '/feedback',
  '/deletion-requests',
  '/knowledge',
  '/commits',
  '/openapi.json',
  '/docs',
  '/health',
  '/ready',
];

const target = process.env.KEEL_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  // Keel serves the app at /app/ so that client routes never collide with API paths.
  base: '/app/',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Read by web/scripts/bundle-size.ts to add up what each route loads.
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(apiPrefixes.map((prefix) => [prefix, { target, changeOrigin: false }])),
  },
});
