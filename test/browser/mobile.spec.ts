/**
 * A participant on a phone (390 × 844) and on a tablet (768 × 1024), with touch, against the
 * real PartyKit dev server: they name themselves, see the board and the step bar the
 * facilitator (on a desktop) started, add a sticky and edit its text by touch, and react. At
 * each size the page is no wider than the screen, and the step bar covers none of tldraw's
 * own controls.
 */
import type { BrowserContextOptions, Locator, Page } from '@playwright/test'
import type { TLShapeId } from 'tldraw'
import { serverShapes, shareLink, waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

const DEVICES: { name: string; options: BrowserContextOptions }[] = [
  {
    name: 'phone',
    options: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true },
  },
  {
    name: 'tablet',
    options: { viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true },
  },
]

/** Where the screenshots go, for a person to look at; the test does not compare them. */
const SHOTS = process.env.MOBILE_SHOTS ?? '/tmp/mobile-shots'

/** How far the page is wider than the screen (0 or less: it is not). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

async function box(locator: Locator) {
  const b = await locator.boundingBox()
  if (!b) throw new Error(`${locator} has no box`)
  return b
}

type Box = { x: number; y: number; width: number; height: number }
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/** Entirely on screen: nothing cut off at either side or below. */
async function expectOnScreen(page: Page, locator: Locator) {
  const b = await box(locator)
  const { width, height } = page.viewportSize()!
  expect(b.x).toBeGreaterThanOrEqual(0)
  expect(b.y).toBeGreaterThanOrEqual(0)
  expect(b.x + b.width).toBeLessThanOrEqual(width)
  expect(b.y + b.height).toBeLessThanOrEqual(height)
}

/** The participant's own stickies (the template's prompts are background). */
const ownNotes = (page: Page) =>
  page.evaluate(() =>
    window.editor
      .getCurrentPageShapes()
      .filter((s) => s.type === 'note' && !s.meta.switchback && !s.isLocked)
      .map((s) => s.id),
  )

/** A shape's centre on the screen. */
const screenCentre = (page: Page, id: string) =>
  page.evaluate((shapeId) => {
    const editor = window.editor
    const bounds = editor.getShapePageBounds(shapeId as TLShapeId)!
    const point = editor.pageToViewport(bounds.center)
    const container = editor.getContainer().getBoundingClientRect()
    return { x: container.x + point.x, y: container.y + point.y }
  }, id)

for (const { name, options } of DEVICES) {
  test(`a participant on a ${name} joins, adds and edits a sticky by touch, and reacts`, async ({
    people,
    server,
  }) => {
    test.setTimeout(120_000)
    const fran = await people.join('Fran')
    await fran.goto(`${server.url}/new?template=four-framework-jobs`)
    await fran.waitForURL(/\/b\//)
    await waitForSync(fran)
    const roomId = new URL(fran.url()).pathname.split('/')[2]
    const link = await shareLink(fran, 'participant')

    // Named in the dialog, which fits the screen.
    const pia = await people.join(undefined, options)
    await pia.goto(link)
    const dialog = pia.getByRole('dialog')
    await expect(dialog).toBeVisible()
    await expectOnScreen(pia, dialog)
    await pia.screenshot({ path: `${SHOTS}/${name}-name.png` })
    await pia.getByLabel('Display name').tap()
    await pia.keyboard.type('Pia')
    await pia.getByRole('button', { name: 'Join board' }).tap()
    await waitForSync(pia)

    // The step bar, once the facilitator starts step 1; the top bar's parts are all on screen.
    await fran.getByTestId('step-bar').getByRole('button', { name: /Start/ }).click()
    const stepBar = pia.getByTestId('step-bar')
    await expect(pia.getByTestId('step-title')).toContainText('Step 1 of 5')
    await expectOnScreen(pia, stepBar)
    for (const control of ['React', 'Share', /people here/, /^Timer/]) {
      await expectOnScreen(pia, pia.getByRole('button', { name: control }))
    }
    await expectOnScreen(pia, pia.getByTestId('board-title'))
    expect((await box(pia.getByTestId('board-title'))).width).toBeGreaterThan(60)
    for (const tldraw of [pia.getByTestId('tools.note'), pia.locator('.tlui-menu-zone')]) {
      if (await tldraw.count()) expect(overlaps(await box(stepBar), await box(tldraw))).toBe(false)
    }
    expect(await overflow(pia)).toBeLessThanOrEqual(0)

    // A sticky by touch: the tool, then a tap on the board; a tap away leaves its editing.
    const { width, height } = pia.viewportSize()!
    await pia.getByTestId('tools.note').tap()
    await pia.touchscreen.tap(width * 0.35, height * 0.45)
    await expect.poll(() => ownNotes(pia)).toHaveLength(1)
    const [note] = await ownNotes(pia)
    await pia.touchscreen.tap(width * 0.8, height * 0.7)
    await expect.poll(() => pia.evaluate(() => window.editor.getEditingShapeId())).toBeNull()

    // Double-tap to edit its text, type, tap away: the server has the words.
    const at = await screenCentre(pia, note)
    await pia.touchscreen.tap(at.x, at.y)
    await pia.touchscreen.tap(at.x, at.y)
    await expect.poll(() => pia.evaluate(() => window.editor.getEditingShapeId())).toBe(note)
    // The text field takes the focus, and places the caret, a moment after editing starts:
    // then the words arrive at once, as an on-screen keyboard commits them.
    await expect
      .poll(() => pia.evaluate(() => (document.activeElement as HTMLElement).isContentEditable))
      .toBe(true)
    await pia.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    )
    await pia.keyboard.insertText('Tapped in')
    await pia.touchscreen.tap(width * 0.8, height * 0.7)
    await expect
      .poll(async () => {
        const stored = (await serverShapes(server.url, roomId)).find((s) => s.id === note)
        return JSON.stringify(stored ?? null)
      })
      .toContain('"text":"Tapped in"')

    // A reaction, seen on the facilitator's board.
    await pia.getByRole('button', { name: 'React' }).tap()
    await pia.getByRole('button', { name: 'Celebrate' }).tap()
    await expect(fran.locator('.reaction').filter({ hasText: 'Pia' })).toContainText('🎉')

    // The rest of the top bar is one tap away: Help, from the overflow menu, fits the screen.
    await pia.getByRole('button', { name: 'More board actions' }).tap()
    await pia.getByRole('menuitem', { name: 'Help' }).tap()
    await expectOnScreen(pia, pia.getByRole('dialog'))
    await pia.getByRole('button', { name: 'Got it' }).tap()
    await expect(pia.getByRole('dialog')).toHaveCount(0)

    expect(await overflow(pia)).toBeLessThanOrEqual(0)
    await pia.screenshot({ path: `${SHOTS}/${name}-board.png` })
  })
}
