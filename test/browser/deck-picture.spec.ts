/**
 * Decks and "After: step" snapshots draw their pictures through the fast image path
 * (src/export/board-picture.ts), not tldraw's `toImage`: on a board of stickies, which the
 * canvas painters draw, neither a deck nor a snapshot calls `toImage` once, and the picture
 * still shows the stickies where the board has them.
 */
import { PNG } from 'pngjs'
import { getDocumentProxy } from 'unpdf'
import { expect, test } from './fixtures'
import { waitInPage } from '../support/page-wait'

test('a deck and a snapshot of stickies are drawn without toImage, and show the stickies', async ({
  people,
  server,
}) => {
  const page = await people.join('Fran')
  await page.goto(`${server.url}/new`)
  await page.waitForURL(/\/b\//)
  await waitInPage(page, () => window.switchbackExport !== undefined)
  await page.evaluate(() => window.switchbackExport!.ready())
  await page.evaluate(() => {
    const editor = window.editor
    editor.run(() => {
      for (let i = 0; i < 6; i++) {
        editor.createShape({
          type: 'note',
          x: (i % 3) * 260,
          y: Math.floor(i / 3) * 260,
          props: {
            color: 'yellow',
            richText: {
              type: 'doc',
              content: [{ type: 'paragraph', content: [{ type: 'text', text: `Idea ${i}` }] }],
            },
          },
        })
      }
    })
    const w = window as unknown as { toImageCalls: number }
    w.toImageCalls = 0
    const original = editor.toImage.bind(editor)
    editor.toImage = (...args: Parameters<typeof original>) => {
      w.toImageCalls++
      return original(...args)
    }
  })
  const toImageCalls = () =>
    page.evaluate(() => (window as unknown as { toImageCalls: number }).toImageCalls)

  // A board without frames: the deck's one picture is the whole board.
  const pdf = await page.evaluate(() => window.switchbackExport!.slides('pdf'))
  const doc = await getDocumentProxy(new Uint8Array(Buffer.from(pdf.base64, 'base64')))
  expect(doc.numPages).toBeGreaterThan(1)
  const pptx = await page.evaluate(() => window.switchbackExport!.slides('pptx'))
  expect(pptx.base64.length).toBeGreaterThan(0)

  const snapshot = await page.evaluate(() => window.switchbackExport!.snapshot('After: Ideas'))
  expect(snapshot.title).toBe('After: Ideas')
  expect(await toImageCalls()).toBe(0)

  // The snapshot's picture: the board at 1x with 32 units of room, a sticky where it is.
  const response = await fetch(new URL(snapshot.url!, server.url))
  const png = PNG.sync.read(Buffer.from(await response.arrayBuffer()))
  const bounds = await page.evaluate(() => {
    const b = window.editor.getCurrentPageBounds()!
    return { x: b.x, y: b.y, w: b.w, h: b.h }
  })
  expect(png.width).toBe(Math.round(bounds.w + 64))
  const at = (x: number, y: number) => {
    const i = (Math.round(y) * png.width + Math.round(x)) * 4
    return [png.data[i], png.data[i + 1], png.data[i + 2]]
  }
  const [r, g, b] = at(32 + 30 - bounds.x, 32 + 30 - bounds.y) // inside the first sticky
  const background = at(4, 4)
  expect(background).toEqual([255, 255, 255].map((v) => expect.closeTo(v, -1.5)))
  // Yellow: red and green well above blue, unlike the white around it.
  expect(r - b).toBeGreaterThan(60)
  expect(g - b).toBeGreaterThan(30)
})
