/**
 * Cursors on their own lane, with a facilitator and two participants in their own browsers
 * against the real PartyKit dev server: a pointer moving on one screen shows up at the same
 * place on the others'; crowd mode "facilitators only" hides participants' cursors while the
 * facilitator's still shows; a person's own "Show others' cursors" hides
 * them on their screen (and stays off after a reload); follow-me still follows, in every mode.
 */
import type { Page } from '@playwright/test'
import { joinByLink, shareLink, waitForSync } from './board-helpers'
import { expect, test, type People } from './fixtures'

async function room(people: People, serverUrl: string, template = '') {
  const fran = await people.join('Fran')
  // A template with an agenda, for the step bar's Follow me.
  await fran.goto(`${serverUrl}/new${template ? `?template=${template}` : ''}`)
  await fran.waitForURL(/\/b\//)
  await waitForSync(fran)
  const link = await shareLink(fran, 'participant')
  const pia = await joinByLink(people, 'Pia', link)
  const paul = await joinByLink(people, 'Paul', link)
  // Everyone looks at the same part of the board, so a cursor on one screen is on the others'.
  for (const page of [fran, pia, paul]) {
    await page.evaluate(() => {
      window.editor.setCamera({ x: 0, y: 0, z: 1 })
    })
  }
  return { fran, pia, paul }
}

/** Moves the mouse over the canvas; returns where that is on the board (page coordinates). */
async function pointAt(page: Page, x: number, y: number) {
  await page.mouse.move(x - 20, y - 20)
  await page.mouse.move(x, y, { steps: 4 })
  return page.evaluate(() => {
    const p = window.editor.inputs.getCurrentPagePoint()
    return { x: p.x, y: p.y }
  })
}

/** Where `name`'s cursor is on this page's board (their presence), or null when it is not. */
function cursorOf(page: Page, name: string) {
  return page.evaluate((who) => {
    const c = window.editor.getCollaborators().find((p) => p.userName === who)
    return c?.cursor ? { x: c.cursor.x, y: c.cursor.y } : null
  }, name)
}

/** The drawn cursor tagged `name` on this page (tldraw's collaborator layer). */
const drawnCursor = (page: Page, name: string) =>
  page.locator('.tl-collaborators__item').filter({ hasText: name })

const distance = (a: { x: number; y: number } | null, b: { x: number; y: number }) =>
  a ? Math.hypot(a.x - b.x, a.y - b.y) : Infinity

async function openPeople(page: Page) {
  await page.getByTestId('presence').click()
  await expect(page.getByTestId('cursor-settings')).toBeVisible()
}

test("a pointer moving on one screen is at the same place on everyone else's", async ({
  people,
  server,
}) => {
  const { fran, pia, paul } = await room(people, server.url)
  for (const [x, y] of [
    [400, 300],
    [700, 420],
  ]) {
    const at = await pointAt(pia, x, y)
    for (const other of [fran, paul]) {
      await expect.poll(async () => distance(await cursorOf(other, 'Pia'), at)).toBeLessThan(1)
      // Drawn where the pointer is on Pia's screen (the views match), once it has glided there.
      await expect
        .poll(async () => {
          const box = await drawnCursor(other, 'Pia').boundingBox()
          return box ? Math.hypot(box.x - x, box.y - y) : Infinity
        })
        .toBeLessThan(30)
    }
  }
  // The facilitator's pointer reaches the participants the same way.
  const franAt = await pointAt(fran, 500, 350)
  for (const other of [pia, paul]) {
    await expect.poll(async () => distance(await cursorOf(other, 'Fran'), franAt)).toBeLessThan(1)
  }
})

test("crowd mode 'facilitators only' hides participants' cursors from participants", async ({
  people,
  server,
}) => {
  const { fran, pia, paul } = await room(people, server.url)
  const piaAt = await pointAt(pia, 400, 300)
  await expect.poll(async () => distance(await cursorOf(paul, 'Pia'), piaAt)).toBeLessThan(1)

  await openPeople(fran)
  await expect(fran.getByTestId('cursor-mode')).toHaveText(/Cursors: everyone \(auto, 3 people\)/)
  await fran.getByTestId('cursor-mode-facilitators').click()
  await expect(fran.getByTestId('cursor-mode')).toHaveText(
    'Cursors: facilitators only (set by the facilitator)',
  )
  await fran.keyboard.press('Escape')
  // Everyone is told what is in force; participants get no control.
  await openPeople(paul)
  await expect(paul.getByTestId('cursor-mode')).toHaveText(/facilitators only/)
  await expect(paul.getByTestId('cursor-mode-choice')).toHaveCount(0)
  await paul.keyboard.press('Escape')

  await pointAt(pia, 650, 380)
  const franAt = await pointAt(fran, 500, 250)
  // Paul still sees the facilitator's cursor move...
  await expect.poll(async () => distance(await cursorOf(paul, 'Fran'), franAt)).toBeLessThan(1)
  await expect(drawnCursor(paul, 'Fran')).toHaveCount(1)
  // ...and Pia's no more (nor does anyone: only the facilitators' cursors are sent).
  await expect.poll(() => cursorOf(paul, 'Pia')).toBeNull()
  await expect.poll(() => cursorOf(fran, 'Pia')).toBeNull()
  await expect(drawnCursor(paul, 'Pia')).toHaveCount(0)
  // Pia does not see Paul's either.
  await pointAt(paul, 300, 200)
  await expect.poll(() => cursorOf(pia, 'Paul')).toBeNull()

  // Back to everyone: Pia's cursor shows for Paul again.
  await openPeople(fran)
  await fran.getByTestId('cursor-mode-everyone').click()
  await fran.keyboard.press('Escape')
  const piaLast = await pointAt(pia, 420, 320)
  await expect.poll(async () => distance(await cursorOf(paul, 'Pia'), piaLast)).toBeLessThan(1)
})

test("a person's own 'Show others' cursors' hides them on their screen, and stays off", async ({
  people,
  server,
}) => {
  const { fran, pia, paul } = await room(people, server.url)
  const piaAt = await pointAt(pia, 400, 300)
  await expect(drawnCursor(paul, 'Pia')).toHaveCount(1)
  await expect.poll(async () => distance(await cursorOf(paul, 'Pia'), piaAt)).toBeLessThan(1)

  await openPeople(paul)
  const toggle = paul.getByRole('switch', { name: "Show others' cursors" })
  await expect(toggle).toBeChecked()
  await toggle.press('Space')
  await expect(toggle).not.toBeChecked()
  await paul.keyboard.press('Escape')
  await expect(drawnCursor(paul, 'Pia')).toHaveCount(0)
  // The server stops sending them too: a new position never reaches Paul.
  const piaNow = await pointAt(pia, 700, 420)
  await expect.poll(async () => distance(await cursorOf(fran, 'Pia'), piaNow)).toBeLessThan(1)
  await expect.poll(() => cursorOf(paul, 'Pia')).toBeNull()

  // Kept on this device: after a reload Paul still sees none, and Fran still sees Paul's.
  await paul.reload()
  await waitForSync(paul)
  await pointAt(pia, 400, 300)
  const paulAt = await pointAt(paul, 500, 300)
  await expect.poll(async () => distance(await cursorOf(fran, 'Paul'), paulAt)).toBeLessThan(1)
  await expect(drawnCursor(paul, 'Pia')).toHaveCount(0)
  await expect.poll(() => cursorOf(paul, 'Pia')).toBeNull()
})

test('follow-me follows the facilitator, even while no cursor is shown', async ({
  people,
  server,
}) => {
  const { fran, pia } = await room(people, server.url, 'four-framework-jobs')
  await openPeople(fran)
  await fran.getByTestId('cursor-mode-none').click()
  await expect(fran.getByTestId('cursor-mode')).toHaveText(/Cursors: none/)
  await fran.keyboard.press('Escape')

  await fran.getByRole('button', { name: 'Follow me' }).click()
  await expect(pia.getByTestId('follow-bar')).toContainText('Following Fran')
  await fran.evaluate(() => {
    window.editor.setCamera({ x: -1500, y: 700, z: 1 })
  })
  const centre = (page: Page) =>
    page.evaluate(() => {
      const b = window.editor.getViewportPageBounds()
      return { x: b.x + b.w / 2, y: b.y + b.h / 2 }
    })
  const target = await centre(fran)
  await expect.poll(async () => distance(await centre(pia), target)).toBeLessThan(50)
  await expect(pia.getByTestId('follow-bar')).toContainText('Following Fran')
  // No cursor came with it.
  await pointAt(fran, 500, 300)
  await expect.poll(() => cursorOf(pia, 'Fran')).toBeNull()
})
