/**
 * A big board opened from a participant link, against the real server: the shortcuts that make
 * it open at once (note geometry from the stored size with the label measured on demand,
 * note-geometry.ts; text only on screen at a readable zoom, note-label.ts and note-plain.tsx)
 * must leave every note as tldraw has it: selectable where it is drawn, editable far out, its
 * label where the board shows it, a grown note keeping its size, arrows binding to it, and its
 * text visible once zoomed in, wherever on the board.
 */
import type { Page } from '@playwright/test'
import { toRichText } from '@tldraw/tlschema'
import { boardWithRecords } from '../support/raw-socket'
import { stickyRecords } from '../support/sticky-board'
import { serverShapes, waitForSync } from './board-helpers'
import { expect, test } from './fixtures'

const STICKIES = 1000
/** A note whose text made it grow: 200 + 120 high, as tldraw stored it. */
const GROWN = `shape:sticky${STICKIES}`
const GROWN_Y = 120

let link = ''
let roomId = ''

test.beforeAll(async ({ server }) => {
  test.setTimeout(120_000)
  const records = stickyRecords(STICKIES + 1)
  const grown = records[STICKIES]
  records[STICKIES] = {
    ...grown,
    x: -480,
    y: 0,
    props: {
      ...grown.props,
      growY: GROWN_Y,
      richText: toRichText(Array.from({ length: 9 }, (_, i) => `Line ${i + 1}`).join('\n')),
    },
  }
  const id = `bigboard${Date.now()}`.padEnd(22, '0').slice(0, 22)
  const board = await boardWithRecords(server.url, id, records)
  roomId = board.roomId
  link = `${server.url}/b/${roomId}#k=${board.participantKey}`
})

const sticky = (i: number) => `shape:sticky${i}`

async function openBoard(page: Page) {
  await page.goto(link)
  await waitForSync(page)
  await expect
    .poll(() => page.evaluate(() => window.editor.getCurrentPageShapeIds().size))
    .toBe(STICKIES + 1)
}

/** Where a point of the page is on the screen (the mouse's coordinates). */
function onScreen(page: Page, id: string, fx: number, fy: number) {
  return page.evaluate(
    ({ id, fx, fy }) => {
      const editor = window.editor
      const b = editor.getShapePageBounds(id as never)!
      return editor.pageToScreen({ x: b.x + b.w * fx, y: b.y + b.h * fy })
    },
    { id, fx, fy },
  )
}

async function zoomOn(page: Page, id: string, zoom: number) {
  await page.evaluate(
    ({ id, zoom }) => {
      const editor = window.editor
      editor.zoomToBounds(editor.getShapePageBounds(id as never)!, {
        targetZoom: zoom,
        immediate: true,
      })
    },
    { id, zoom },
  )
}

const selected = (page: Page) => page.evaluate(() => window.editor.getSelectedShapeIds())

const label = (page: Page, id: string) => page.locator(`[data-shape-id="${id}"] .tl-rich-text`)

test('far out, a note is drawn plain, and is selected and edited where it is', async ({
  people,
}) => {
  const page = await people.join('Pat')
  await openBoard(page)
  // The board opens on the whole of it: far too small to read, so no text is laid out.
  await expect(page.locator(`[data-shape-id="${sticky(17)}"] [data-sb-label="far"]`)).toHaveCount(1)
  await expect(label(page, sticky(17))).toHaveCount(0)

  const center = await onScreen(page, sticky(17), 0.5, 0.5)
  await page.mouse.click(center.x, center.y)
  await expect.poll(() => selected(page)).toEqual([sticky(17)])
  // Beside the board is nobody's (far out, tldraw's hit margin spans the gaps between notes).
  const gap = await onScreen(page, sticky(17), 0.5, -1)
  await page.mouse.click(gap.x, gap.y)
  await expect.poll(() => selected(page)).toEqual([])

  // Editing far out: tldraw's text editor is there, and what is typed reaches the server.
  const other = await onScreen(page, sticky(18), 0.5, 0.5)
  await page.mouse.dblclick(other.x, other.y)
  await expect.poll(() => page.evaluate(() => window.editor.getEditingShapeId())).toBe(sticky(18))
  await expect(page.locator(`[data-shape-id="${sticky(18)}"] [contenteditable]`)).toBeFocused()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.type('Edited far out')
  await page.keyboard.press('Escape')
  await expect
    .poll(async () => {
      const shape = (await serverShapes(page.url().split('/b/')[0], roomId)).find(
        (s) => s.id === sticky(18),
      )
      return JSON.stringify(shape)
    })
    .toContain('Edited far out')
})

test('zoomed in, a note shows its text, its label where tldraw measures it', async ({ people }) => {
  const page = await people.join('Pat')
  await openBoard(page)
  await zoomOn(page, sticky(19), 1)
  await expect(label(page, sticky(19))).toBeVisible()
  await expect(label(page, sticky(19))).not.toHaveText('')

  const found = await page.evaluate((id) => {
    const editor = window.editor
    const shape = editor.getShape(id as never)!
    const util = editor.getShapeUtil(shape)
    type Group = {
      children: { isLabel: boolean; bounds: { x: number; y: number; w: number; h: number } }[]
    }
    const labelOf = (g: unknown) => (g as Group).children.find((c) => c.isLabel)!.bounds
    // The label as the board's geometry has it, and as tldraw's own note util measures it.
    const ours = labelOf(editor.getShapeGeometry(id as never))
    const tldrawOwn = Object.getPrototypeOf(Object.getPrototypeOf(util)) as {
      getGeometry(s: unknown): unknown
    }
    const theirs = labelOf(tldrawOwn.getGeometry.call(util, shape))
    // The text as the page draws it, in page coordinates.
    const inner = document
      .querySelector(`[data-shape-id="${id}"] .tl-text-label__inner`)!
      .getBoundingClientRect()
    const topLeft = editor.screenToPage({ x: inner.left, y: inner.top })
    const bottomRight = editor.screenToPage({ x: inner.right, y: inner.bottom })
    return {
      ours: { x: ours.x + shape.x, y: ours.y + shape.y, w: ours.w, h: ours.h },
      theirs: { x: theirs.x + shape.x, y: theirs.y + shape.y, w: theirs.w, h: theirs.h },
      drawn: {
        x: topLeft.x,
        y: topLeft.y,
        w: bottomRight.x - topLeft.x,
        h: bottomRight.y - topLeft.y,
      },
    }
  }, sticky(19))
  expect(found.ours).toEqual(found.theirs)
  // tldraw's label box is the text plus its padding (16) on each side.
  const PADDING = 16
  expect(Math.abs(found.ours.x + PADDING - found.drawn.x)).toBeLessThan(3)
  expect(Math.abs(found.ours.y + PADDING - found.drawn.y)).toBeLessThan(3)
  expect(Math.abs(found.ours.w - 2 * PADDING - found.drawn.w)).toBeLessThan(3)
  expect(Math.abs(found.ours.h - 2 * PADDING - found.drawn.h)).toBeLessThan(3)

  // Somewhere else on the board (off screen until now): its text is drawn once it is in view.
  await zoomOn(page, sticky(STICKIES - 7), 1.5)
  await expect(label(page, sticky(STICKIES - 7))).toBeVisible()
  await expect(label(page, sticky(STICKIES - 7))).not.toHaveText('')
  // And far out again, plain.
  await page.evaluate(() => {
    window.editor.zoomToFit({ immediate: true })
  })
  await expect(
    page.locator(`[data-shape-id="${sticky(STICKIES - 7)}"] [data-sb-label="far"]`),
  ).toHaveCount(1)
})

test('a note that grew keeps its size, far out and near, and is hit all the way down', async ({
  people,
}) => {
  const page = await people.join('Pat')
  await openBoard(page)
  const size = () =>
    page.evaluate((id) => {
      const editor = window.editor
      const bounds = editor.getShapePageBounds(id as never)!
      const drawn = document
        .querySelector(`[data-shape-id="${id}"] .tl-note__container`)!
        .getBoundingClientRect()
      return { w: bounds.w, h: bounds.h, drawnH: drawn.height / editor.getZoomLevel() }
    }, GROWN)
  // Far out (the plain box) and near (tldraw's note), the stored height.
  const far = await size()
  expect(far.w).toBe(200)
  expect(far.h).toBe(200 + GROWN_Y)
  expect(Math.abs(far.drawnH - (200 + GROWN_Y))).toBeLessThan(1)
  await zoomOn(page, GROWN, 1)
  await expect(label(page, GROWN)).toBeVisible()
  const near = await size()
  expect(near.h).toBe(200 + GROWN_Y)
  expect(Math.abs(near.drawnH - (200 + GROWN_Y))).toBeLessThan(1)
  // The grown part is the note's: a click near its bottom selects it.
  const low = await onScreen(page, GROWN, 0.5, 0.97)
  await page.mouse.click(low.x, low.y)
  await expect.poll(() => selected(page)).toEqual([GROWN])
})

test('an arrow drawn onto a note of a big board binds to it', async ({ people }) => {
  const page = await people.join('Pat')
  await openBoard(page)
  await zoomOn(page, sticky(21), 1)
  await expect(label(page, sticky(21))).toBeVisible()
  const from = await onScreen(page, sticky(21), -0.6, 0.5)
  const to = await onScreen(page, sticky(21), 0.5, 0.5)
  await page.getByTestId('tools.arrow').click()
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move((from.x + to.x) / 2, to.y, { steps: 5 })
  await page.mouse.move(to.x, to.y, { steps: 5 })
  await page.mouse.up()
  await expect
    .poll(() =>
      page.evaluate(
        (id) => window.editor.getBindingsToShape(id as never, 'arrow').length,
        sticky(21),
      ),
    )
    .toBe(1)
})
