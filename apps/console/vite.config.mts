import { defineConfig } from 'vite';

// The gateway serves the build at /console (apps/api-gateway/src/console); hashed assets under /console/assets.
export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, modulePreload: { polyfill: false } },
});
