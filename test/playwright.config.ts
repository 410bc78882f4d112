import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../src/cli/chromium'

export default defineConfig({
  testDir: './browser',
  // Every worker starts its own PartyKit server; two cores fit one worker best.
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  forbidOnly: true,
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
    permissions: ['clipboard-read', 'clipboard-write'],
  },
})
