/**
 * Builds the open benchmark's tldraw peer page (bench/peer/main.tsx) on its own, into the
 * folder bench/open.ts serves it from: `vite build --config bench/peer/vite.config.ts
 * --outDir <folder>`. Like the app, it takes tldraw's assets as files from its own origin.
 */
import { defineConfig } from 'vite'

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  optimizeDeps: { exclude: ['@tldraw/assets'] },
  build: {
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    rolldownOptions: {
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning)
      },
    },
  },
})
