/**
 * On an https host that is not localhost, tldraw 5 hides its editor after five seconds unless
 * it has a license key. The board must say what to set instead of going blank.
 */
import { expect, test } from '@playwright/test'
import { startServer } from '../support/server'

test('an https production host without a license key gets a banner, not a blank page', async ({
  browser,
}) => {
  const server = await startServer({ https: true })
  const context = await browser.newContext({ ignoreHTTPSErrors: true })
  try {
    // 127.0.0.2 is this machine, but not a name tldraw (or we) treat as local development.
    const host = `https://127.0.0.2:${server.port}`
    await context.addInitScript(() =>
      localStorage.setItem(
        'switchback:identity',
        JSON.stringify({ id: 'x', name: 'Alice', color: '#1971c2' }),
      ),
    )
    const page = await context.newPage()
    await page.goto(`${host}/new`)
    await expect(page.getByRole('alert')).toContainText(
      'This deployment needs a tldraw license key',
    )
    await expect(page.getByRole('alert')).toContainText('VITE_TLDRAW_LICENSE_KEY')
    await expect(page.getByTestId('canvas')).toHaveCount(0)
  } finally {
    await context.close()
    await server.stop()
  }
})
