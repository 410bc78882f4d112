import { defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'

// `npm run dev` starts the sync server on PORT (as `npm start` does) and Vite in front of it.
const partykit = `http://localhost:${process.env.PORT ?? 1999}`

export default defineConfig({
  plugins: [svelte()],
  // tldraw's fonts, icons and translations are imported as files so Vite serves them from
  // our origin; pre-bundling would turn those imports into CDN-less data it cannot resolve.
  optimizeDeps: { exclude: ['@tldraw/assets'] },
  build: {
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      // tldraw's dependencies start with "use client", which means nothing outside React servers.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning)
      },
    },
  },
  // `npm run dev`: Vite serves the app with hot reload and forwards the sync server.
  test: { include: ['test/unit/**/*.test.ts'], environment: 'node' },
  server: { proxy: { '/parties': { target: partykit, ws: true } } },
})
