/**
 * For the benchmarks that time the app itself: builds it (the server serves dist/, so the
 * numbers are for the current code), starts the real server and headless Chromium, and stops
 * both afterwards whatever happens.
 */
import { execSync } from 'node:child_process'
import { resolve } from 'node:path'
import { chromium, type Browser } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../src/cli/chromium'
import { startServer, type TestServer } from '../test/support/server'
import { printMachine } from './sync'

export async function withAppInBrowser(
  use: (server: TestServer, browser: Browser) => Promise<void>,
): Promise<void> {
  printMachine()
  execSync('npx vite build', { cwd: resolve(import.meta.dirname, '..'), stdio: 'ignore' })
  const server = await startServer()
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  try {
    console.log(`started \`${server.command}\` on ${server.url}`)
    await use(server, browser)
  } finally {
    await browser.close()
    await server.stop()
  }
}
