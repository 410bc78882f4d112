/**
 * Playwright fixtures: a real PartyKit server per worker, and people who open the board in
 * their own browser contexts. Every request any of them makes must stay on the server's
 * origin, and nothing may break the page's Content-Security-Policy: a test fails if a request
 * leaves the origin or the browser reports a violation.
 */
import { test as base, expect, type BrowserContextOptions, type Page } from '@playwright/test'
import { cleanUpNow } from '../support/processes'
import { startServer, type TestServer } from '../support/server'
import { setIdentity } from '../support/template-board'

// However this worker ends, no server it started outlives it.
process.once('exit', cleanUpNow)

export { expect }

export interface People {
  /**
   * A new browser context (a separate person); with a name, the name prompt is skipped.
   * `options` sets up the device (a phone's viewport and touch, for instance).
   */
  join(name?: string, options?: BrowserContextOptions): Promise<Page>
}

/** Marks what the page's violation listener logs, so the context's console listener finds it. */
const VIOLATION = 'CSP violation:'

export const test = base.extend<
  { people: People; offOrigin: string[]; cspViolations: string[] },
  { server: TestServer }
>({
  server: [
    async ({}, use) => {
      const server = await startServer()
      await use(server)
      await server.stop()
    },
    { scope: 'worker' },
  ],
  offOrigin: async ({}, use) => {
    await use([])
  },
  cspViolations: async ({}, use) => {
    await use([])
  },
  people: async ({ browser, server, offOrigin, cspViolations }, use) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = []
    const origin = new URL(server.url).origin
    await use({
      async join(name, options) {
        const context = await browser.newContext(options)
        contexts.push(context)
        if (name) await setIdentity(context, name)
        await context.addInitScript((marker) => {
          document.addEventListener('securitypolicyviolation', (e) => {
            const where = `${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`
            console.error(`${marker} ${e.effectiveDirective} ${e.blockedURI} at ${where}`)
          })
        }, VIOLATION)
        context.on('console', (message) => {
          const text = message.text()
          // The listener's report, and Chrome's own (e.g. for a refused eval).
          if (text.startsWith(VIOLATION) || /Content Security Policy/.test(text)) {
            cspViolations.push(text)
          }
        })
        context.on('request', (request) => {
          const url = request.url()
          if (
            !url.startsWith('data:') &&
            !url.startsWith('blob:') &&
            new URL(url).origin !== origin
          ) {
            offOrigin.push(url)
          }
        })
        return context.newPage()
      },
    })
    for (const context of contexts) await context.close()
    expect(offOrigin, 'requests that left the origin').toEqual([])
    expect(cspViolations, 'Content-Security-Policy violations').toEqual([])
  },
})
