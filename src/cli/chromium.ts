import { existsSync } from 'node:fs'

/**
 * The browser for the exporter, the tests and the benchmarks: CHROMIUM_PATH, then Debian's
 * /usr/bin/chromium, and only then Playwright's own download (which needs
 * `npx playwright install` and the internet).
 */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium']
  return candidates.find((path): path is string => !!path && existsSync(path))
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
