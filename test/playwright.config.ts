import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../src/cli/chromium'

export default defineConfig({
  testDir: './browser',
  // Every worker starts its own PartyKit server. Most of a spec's time is waiting on sockets,
  // timers and the browser's paint, so two workers on two cores halve the run (131 tests:
  // 21.5 min at one worker, 14 min at two with other work beside it) without a flake.
  workers: 2,
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
