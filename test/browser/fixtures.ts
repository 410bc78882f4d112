/**
 * Playwright fixtures: a real PartyKit server per worker, and people who open the board in
 * their own browser contexts. Every request any of them makes must stay on the server's
 * origin; a test fails if one leaves it.
 */
import { test as base, expect, type Page } from '@playwright/test'
import { cleanUpNow } from '../support/processes'
import { startServer, type TestServer } from '../support/server'
import { setIdentity } from '../support/template-board'

// However this worker ends, no server it started outlives it.
process.once('exit', cleanUpNow)

export { expect }

export interface People {
  /** A new browser context (a separate person); with a name, the name prompt is skipped. */
  join(name?: string): Promise<Page>
}

export const test = base.extend<{ people: People; offOrigin: string[] }, { server: TestServer }>({
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
  people: async ({ browser, server, offOrigin }, use) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = []
    const origin = new URL(server.url).origin
    await use({
      async join(name) {
        const context = await browser.newContext()
        contexts.push(context)
        if (name) await setIdentity(context, name)
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
  },
})
