/**
 * Export benchmark: how long the exports a facilitator runs at the end of a workshop take, in
 * headless Chromium against the real server, through the same code as the Export dialog
 * (`window.switchbackExport`, the headless exporter's entry point), next to its peer in the same
 * page and run:
 *
 * - PNG of the whole board with N stickies (N = 500, 2,000, 10,000) at 1x, ours and tldraw's
 *   own `editor.toImage` with the options ours gives it (scale 1, pixel ratio 1, padding 32,
 *   white background, light), alternating; with the page's JS heap before each export and its
 *   peak during it (CDP `Runtime.getHeapUsage`, sampled every 50 ms);
 * - the slide deck (PPTX and PDF) of a board with 10 frames of 12 stickies each.
 *
 * Each figure is the median of RUNS, from the call until the file's bytes are back in the page
 * (base64, as the command-line exporter receives them; the peer's PNG is turned into base64 the
 * same way).
 *
 * Environment: BENCH_EXPORT_SIZES (e.g. "500,2000").
 */
import type { Browser, CDPSession, Page } from '@playwright/test'
import { setIdentity } from '../test/support/template-board'
import { withAppInBrowser } from './app-in-browser'
import { waitInPage } from '../test/support/page-wait'
import { listFromEnv, load } from './sync'

const RUNS = Math.max(1, Number(process.env.BENCH_EXPORT_RUNS ?? 3))
const STICKIES = listFromEnv('BENCH_EXPORT_SIZES') ?? [500, 2000, 10_000]
const FRAMES = 10
const STICKIES_PER_FRAME = 12
const HEAP_SAMPLE_MS = 50

const OURS = `window.switchbackExport.image({
  scope: 'board', format: 'png', scale: 1, background: 'white', dark: false })`
/** tldraw's own exporter, called as ours calls it (src/export/export-image.ts). */
const TLDRAW = `(async () => {
  const editor = window.editor
  const { blob, width, height } = await editor.toImage([...editor.getCurrentPageShapeIds()], {
    format: 'png', scale: 1, pixelRatio: 1, background: true, darkMode: false, padding: 32 })
  const base64 = await new Promise((resolve) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).split(',')[1])
    reader.readAsDataURL(blob)
  })
  return { base64, mimeType: 'image/png', filename: width + 'x' + height + '.png' }
})()`

export async function run(): Promise<void> {
  await withAppInBrowser(async (server, browser) => {
    console.log(`median of ${RUNS} runs; ours and tldraw's toImage alternate on the same page\n`)
    const open = () => openNewBoard(browser, server.url)

    const rows: string[] = []
    for (const n of STICKIES) {
      const page = await open()
      await addStickyGrid(page, n)
      const cdp = await page.context().newCDPSession(page)
      const ours: Timed[] = []
      const tldraw: Timed[] = []
      for (let i = 0; i < RUNS; i++) {
        // Alternate which goes first, so neither always meets a warmer page.
        const pair = [
          async () => ours.push(await timeRun(page, cdp, OURS)),
          async () => tldraw.push(await timeRun(page, cdp, TLDRAW)),
        ]
        for (const step of i % 2 === 0 ? pair : pair.reverse()) await step()
        console.log(
          `N=${String(n).padEnd(5)} run ${i + 1}: ours ${ours.at(-1)!.ms.toFixed(0)} ms,` +
            ` toImage ${tldraw.at(-1)!.ms.toFixed(0)} ms  ${load()}`,
        )
      }
      await cdp.detach()
      await page.close()
      const [a, b] = [median(ours.map((t) => t.ms)), median(tldraw.map((t) => t.ms))]
      rows.push(
        `| PNG 1x | ${n} stickies | ${ours[0].detail} | ${mb(ours[0].bytes)} | ${a.toFixed(0)} | ` +
          `${spread(ours)} | ${b.toFixed(0)} (${mb(tldraw[0].bytes)}) | ${(a / b).toFixed(2)} | ` +
          `${heap(ours)} | ${heap(tldraw)} |`,
      )
    }
    console.log(
      `\nPNG of the whole board at 1x, ours next to tldraw's \`editor.toImage\` on the same page` +
        ` (target: ours ≤ 0.1× toImage); JS heap before → peak, median (MB):\n`,
    )
    console.log(
      '| export | board | output | size | ours, median (ms) | min–max (ms) | ' +
        'toImage, median (ms) | ours / toImage | heap, ours (MB) | heap, toImage (MB) |',
    )
    console.log('|---|---|---|--:|--:|--:|--:|--:|--:|--:|')
    for (const row of rows) console.log(row)

    console.log('\nSlide decks:\n')
    console.log('| export | board | output | size | median (ms) | min–max (ms) |')
    console.log('|---|---|---|--:|--:|--:|')
    const page = await open()
    await addFrames(page)
    const cdp = await page.context().newCDPSession(page)
    for (const format of ['pptx', 'pdf']) {
      const timed: Timed[] = []
      for (let i = 0; i < RUNS; i++) {
        timed.push(await timeRun(page, cdp, `window.switchbackExport.slides('${format}')`))
      }
      const board = `${FRAMES} frames × ${STICKIES_PER_FRAME} stickies`
      console.log(
        `| ${format.toUpperCase()} | ${board} | ${timed[0].detail} | ${mb(timed[0].bytes)} | ` +
          `${median(timed.map((t) => t.ms)).toFixed(0)} | ${spread(timed)} |`,
      )
    }
    await cdp.detach()
    await page.close()
    console.log(`\n${load()} at the end`)
  })
}

interface Timed {
  ms: number
  bytes: number
  detail: string
  heapBeforeMB: number
  heapPeakMB: number
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function spread(timed: Timed[]) {
  const ms = timed.map((t) => t.ms)
  return `${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}`
}

function mb(bytes: number) {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`
}

function heap(timed: Timed[]) {
  const before = median(timed.map((t) => t.heapBeforeMB))
  const peak = median(timed.map((t) => t.heapPeakMB))
  return `${before.toFixed(0)} → ${peak.toFixed(0)}`
}

async function heapMB(cdp: CDPSession) {
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  return usedSize / 2 ** 20
}

/** Runs the export expression once in the page and times it there, sampling the JS heap. */
async function timeRun(page: Page, cdp: CDPSession, expression: string): Promise<Timed> {
  // What the last run left is collected first, so "before" is this board, not the last file.
  await cdp.send('HeapProfiler.collectGarbage')
  const heapBeforeMB = await heapMB(cdp)
  let heapPeakMB = heapBeforeMB
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      heapPeakMB = Math.max(heapPeakMB, await heapMB(cdp).catch(() => 0))
      await new Promise((wake) => setTimeout(wake, HEAP_SAMPLE_MS))
    }
  })()
  try {
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
    return { ...result, heapBeforeMB, heapPeakMB }
  } finally {
    sampling = false
    await sampler
  }
}

function addStickyGrid(page: Page, n: number) {
  return page.evaluate(`(async () => {
    const editor = window.editor
    const columns = Math.ceil(Math.sqrt(${n}))
    // In pushes of 1,000: one transaction of 10,000 new shapes crashes the page's renderer.
    for (let from = 0; from < ${n}; from += 1000) {
    editor.run(() => {
      for (let i = from; i < Math.min(${n}, from + 1000); i++) {
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
    }
  })()`)
}

/** A new board in a new page, once the headless exporter (`window.switchbackExport`) is ready. */
export async function openNewBoard(browser: Browser, serverUrl: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  await setIdentity(page, 'Bench')
  await page.goto(`${serverUrl}/new`)
  await page.waitForURL(/\/b\//)
  await waitInPage(page, () => window.switchbackExport !== undefined)
  await page.evaluate(() => window.switchbackExport!.ready())
  return page
}

/** Ten 1920×1080 frames in two rows of five, each with a row of stickies. */
export function addFrames(page: Page) {
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
