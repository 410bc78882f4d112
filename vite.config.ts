import { rename } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { STYLE_NONCE_META, STYLE_NONCE_PLACEHOLDER } from './src/protocol'
import { APP_SHELL_ASSET, contentSecurityPolicy } from './src/server/http/app-pages'

// `npm run dev` starts the sync server on PORT (as `npm start` does) and Vite in front of it.
const partykit = `http://localhost:${process.env.PORT ?? 1999}`

/**
 * The built page is not a static `index.html`: PartyKit would serve that itself, without the
 * security headers. It is written as `APP_SHELL_ASSET`, which the main party serves with them
 * (src/server/http/app-pages.ts), and it carries the policy in a `<meta>` tag too, for when it is
 * opened some other way, and a placeholder for the style nonce the server fills in. Build
 * only: Vite's dev server injects scripts and styles of its own.
 */
function appShell(): Plugin {
  let outDir = 'dist'
  return {
    name: 'switchback-app-shell',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir)
    },
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: {
          'http-equiv': 'Content-Security-Policy',
          content: contentSecurityPolicy({ kind: 'meta' }),
        },
        injectTo: 'head-prepend',
      },
      {
        tag: 'meta',
        attrs: { name: STYLE_NONCE_META, content: STYLE_NONCE_PLACEHOLDER },
        injectTo: 'head',
      },
    ],
    async writeBundle() {
      await rename(join(outDir, 'index.html'), join(outDir, APP_SHELL_ASSET))
    },
  }
}

export default defineConfig({
  plugins: [svelte(), appShell()],
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
