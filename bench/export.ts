/**
 * Export benchmark: how long the exports a facilitator runs at the end of a workshop take, in
 * headless Chromium against the real server, through the same code as the Export dialog
 * (`window.switchbackExport`, the headless exporter's entry point).
 *
 * - PNG of the whole board with N stickies (N = 500, 2000), at 1x and 2x;
 * - the slide deck (PPTX and PDF) of a board with 10 frames of 12 stickies each.
 *
 * Each figure is the median of RUNS, from the call until the file's bytes are back in the page
 * (base64, as the command-line exporter receives them).
 */
import type { Page } from '@playwright/test'
import { setIdentity } from '../test/support/template-board'
import { withAppInBrowser } from './app-in-browser'
import { waitInPage } from '../test/support/page-wait'

const RUNS = 3
const STICKIES = [500, 2000]
const FRAMES = 10
const STICKIES_PER_FRAME = 12

export async function run(): Promise<void> {
  await withAppInBrowser(async (server, browser) => {
    console.log(`median of ${RUNS} runs\n`)
    console.log('| export | board | output | size | median (ms) | min–max (ms) |')
    console.log('|---|---|---|--:|--:|--:|')
    const open = async () => {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
      await setIdentity(page, 'Bench')
      await page.goto(`${server.url}/new`)
      await page.waitForURL(/\/b\//)
      await waitInPage(page, () => window.switchbackExport !== undefined)
      await page.evaluate(() => window.switchbackExport!.ready())
      return page
    }

    for (const n of STICKIES) {
      const page = await open()
      await addStickyGrid(page, n)
      for (const scale of [1, 2] as const) {
        const timed = await timeRuns(
          page,
          `window.switchbackExport.image({
          scope: 'board', format: 'png', scale: ${scale}, background: 'white', dark: false })`,
        )
        report(`PNG ${scale}x`, `${n} stickies`, timed)
      }
      await page.close()
    }

    const page = await open()
    await addFrames(page)
    for (const format of ['pptx', 'pdf']) {
      const timed = await timeRuns(page, `window.switchbackExport.slides('${format}')`)
      report(format.toUpperCase(), `${FRAMES} frames × ${STICKIES_PER_FRAME} stickies`, timed)
    }
    await page.close()
  })
}

interface Timed {
  ms: number[]
  bytes: number
  detail: string
}

function report(what: string, board: string, { ms, bytes, detail }: Timed) {
  const sorted = [...ms].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)]
  const size = `${(bytes / 1024 / 1024).toFixed(2)} MB`
  console.log(
    `| ${what} | ${board} | ${detail} | ${size} | ${median.toFixed(0)} | ${sorted[0].toFixed(0)}–${sorted.at(-1)!.toFixed(0)} |`,
  )
}

/** Runs the export expression RUNS times in the page and times each run there. */
async function timeRuns(page: Page, expression: string): Promise<Timed> {
  const ms: number[] = []
  let bytes = 0
  let detail = ''
  for (let i = 0; i < RUNS; i++) {
    const result = (await page.evaluate(`(async () => {
      const started = performance.now()
      const file = await ${expression}
      const ms = performance.now() - started
      const bytes = Math.floor(file.base64.length * 3 / 4)
      let detail = file.filename
      if (file.mimeType === 'image/png') {
        const image = new Image()
        image.src = 'data:image/png;base64,' + file.base64
        await image.decode()
        detail = image.naturalWidth + ' × ' + image.naturalHeight + ' px'
      }
      return { ms, bytes, detail }
    })()`)) as { ms: number; bytes: number; detail: string }
    ms.push(result.ms)
    bytes = result.bytes
    detail = result.detail
  }
  return { ms, bytes, detail }
}

function addStickyGrid(page: Page, n: number) {
  return page.evaluate(`(async () => {
    const editor = window.editor
    const columns = Math.ceil(Math.sqrt(${n}))
    editor.run(() => {
      for (let i = 0; i < ${n}; i++) {
        editor.createShape({
          type: 'note',
          x: (i % columns) * 240,
          y: Math.floor(i / columns) * 240,
          props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [
            { type: 'text', text: 'Idea ' + i } ] }] } },
        })
      }
    })
    await new Promise((r) => setTimeout(r, 1000))
  })()`)
}

/** Ten 1920×1080 frames in two rows of five, each with a row of stickies. */
function addFrames(page: Page) {
  return page.evaluate(`(async () => {
    const editor = window.editor
    editor.run(() => {
      for (let f = 0; f < ${FRAMES}; f++) {
        const x = (f % 5) * 2080
        const y = Math.floor(f / 5) * 1240
        const id = 'shape:frame-' + f
        editor.createShape({ id, type: 'frame', x, y, props: { w: 1920, h: 1080, name: 'Step ' + (f + 1) } })
        for (let s = 0; s < ${STICKIES_PER_FRAME}; s++) {
          editor.createShape({
            type: 'note',
            parentId: id,
            x: 64 + (s % 6) * 300,
            y: 200 + Math.floor(s / 6) * 300,
            props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [
              { type: 'text', text: 'Frame ' + (f + 1) + ', sticky ' + (s + 1) } ] }] } },
          })
        }
      }
    })
    await new Promise((r) => setTimeout(r, 1000))
  })()`)
}
