/**
 * Zone-count benchmark: what live zone rules cost while someone drags a sticky.
 *
 * Two boards, each with N participant stickies (N = 500, 2000): one made from the
 * hill-climbing map (13 counting zones), one from the blank template (no zones). One sticky is
 * moved MOVES times, one move per animation frame, in headless Chromium; the figure is the mean
 * time per frame. Every move makes each zone recount, so the difference between the two boards
 * is the cost of the counts (the rest is tldraw itself).
 */
import type { Page } from '@playwright/test'
import { BUILT_IN_TEMPLATES } from '../src/templates/catalog'
import { openTemplateBoard, setIdentity } from '../test/support/template-board'
import { withAppInBrowser } from './app-in-browser'

const STICKIES = [500, 2000]
const MOVES = 60
const BOARDS = ['hill-climbing-map', 'blank']

export async function run(): Promise<void> {
  await withAppInBrowser(async (server, browser) => {
    console.log(`${MOVES} moves of one sticky, one per frame\n`)
    console.log('| board | counting zones | stickies | mean frame while dragging (ms) |')
    console.log('|---|--:|--:|--:|')
    for (const n of STICKIES) {
      for (const id of BOARDS) {
        const template = BUILT_IN_TEMPLATES.find((t) => t.id === id)!
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
        await setIdentity(page, 'Bench')
        await openTemplateBoard(page, server.url, id, template.elements.length)
        const zones = template.elements.filter(
          (e) => e.type === 'zone' && (e.capacity !== undefined || e.count),
        ).length
        console.log(`| ${id} | ${zones} | ${n} | ${(await dragFrameMs(page, n)).toFixed(1)} |`)
        await page.close()
      }
    }
  })
}

/** Adds `n` stickies spread over the board, then drags one and times the frames. */
function dragFrameMs(page: Page, n: number): Promise<number> {
  return page.evaluate(`(async () => {
    const editor = window.editor
    const bounds = editor.getCurrentPageBounds()
    const columns = Math.ceil(Math.sqrt(${n}))
    editor.run(() => {
      for (let i = 0; i < ${n}; i++) {
        editor.createShape({
          type: 'note',
          x: bounds.x + (i % columns) * (bounds.w / columns),
          y: bounds.y + Math.floor(i / columns) * (bounds.h / columns),
        })
      }
    })
    await new Promise((r) => setTimeout(r, 1000))
    const note = editor.getCurrentPageShapes().find((s) => s.type === 'note' && !s.meta.switchback)
    const frame = () => new Promise((r) => requestAnimationFrame(r))
    await frame()
    const started = performance.now()
    for (let k = 0; k < ${MOVES}; k++) {
      editor.updateShape({ id: note.id, type: 'note', x: note.x + k * 8 })
      await frame()
    }
    return (performance.now() - started) / ${MOVES}
  })()`) as Promise<number>
}
