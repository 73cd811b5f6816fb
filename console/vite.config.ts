import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web console: a static bundle (no CDN, no web fonts) that the local stack serves at `/` and the CDK
 * app deploys to S3 behind CloudFront. It shares the zod schemas in ../schemas with the API.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Everything bundled, nothing inlined as data: URLs, so the CSP can stay 'self' only.
    assetsInlineLimit: 0,
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
  logLevel: 'warn',
});
