/**
 * Waits until `predicate(arg)` holds in the page. Playwright's `page.waitForFunction` compiles
 * its predicate inside the page (eval), which the app's Content-Security-Policy refuses; a
 * function passed to `page.evaluate` is called through the debugger protocol instead, which
 * the policy does not govern.
 */
import type { Page } from '@playwright/test'

export async function waitInPage<A>(
  page: Page,
  predicate: (arg: A) => unknown,
  arg?: A,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await page.evaluate(predicate as (arg: unknown) => unknown, arg).catch(() => false)) return
    if (Date.now() > deadline) throw new Error(`timed out waiting in the page: ${predicate}`)
    await new Promise((wake) => setTimeout(wake, 100))
  }
}
