/**
 * axe-core on what we draw: the landing page, and the board's chrome (top bar, step bar,
 * dialogs) for a facilitator and a participant, with no serious or critical violations.
 * tldraw's canvas (`.tl-container`) is tldraw's own and left out of the scan.
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { joinByLink, shareLink, waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

/** The serious and critical violations on the page now, as "rule: target" lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).exclude('.tl-container').analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))
}

test('the landing page passes axe-core', async ({ people, server }) => {
  const page = await people.join('Ada')
  await page.goto(server.url)
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
  expect(await seriousViolations(page)).toEqual([])
})

test('the board’s chrome passes axe-core, for the facilitator and a participant', async ({
  people,
  server,
}) => {
  const fran = await people.join('Fran')
  await fran.goto(`${server.url}/new?template=retro`)
  await fran.waitForURL(/\/b\//)
  await waitForSync(fran)
  await fran.getByTestId('step-bar').getByRole('button', { name: /Start/ }).click()
  await expect(fran.getByTestId('step-title')).toContainText('Step 1')
  expect(await seriousViolations(fran)).toEqual([])

  const link = await shareLink(fran, 'participant')
  const pia = await joinByLink(people, 'Pia', link)
  await expect(pia.getByTestId('step-title')).toContainText('Step 1')
  expect(await seriousViolations(pia)).toEqual([])

  // The dialogs and popovers people open most.
  await fran.getByRole('button', { name: 'Share' }).click()
  expect(await seriousViolations(fran)).toEqual([])
  await fran.keyboard.press('Escape')
  await pia.getByRole('button', { name: 'Help and keyboard shortcuts' }).click()
  await expect(pia.getByRole('dialog')).toBeVisible()
  expect(await seriousViolations(pia)).toEqual([])
  await pia.keyboard.press('Escape')
  // The people list, with the cursor settings (the facilitator's crowd-mode choice too).
  for (const page of [fran, pia]) {
    await page.getByTestId('presence').click()
    await expect(page.getByTestId('cursor-mode')).toBeVisible()
    expect(await seriousViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
  }
})
