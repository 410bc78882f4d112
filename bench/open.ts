/**
 * Open benchmark: how long a board of N sticky notes takes to open from a participant link
 * until it is painted, in headless Chromium against the real server, next to its peer in the
 * same run: tldraw's own `<Tldraw>` (the same tldraw version, its assets served from the peer's
 * own origin, bench/peer/) loading the same records locally and zoomed to fit, as Switchback
 * opens a board.
 *
 * "Painted" (the probe below, the same in both pages, measured in the page from the start of
 * navigation): the editor exists and holds all N notes, the notes' font is loaded, and every
 * note whose bounds meet the viewport (after the zoom to fit both do on mount) has its shape
 * element in the DOM, shown, with its text in it (a note Switchback draws far out as a plain
 * box, its text under about 4 px on screen, has none to wait for: src/canvas/note-label.ts;
 * the peer draws every note's text at any zoom); the time is taken at the next animation
 * frame, once that frame has been drawn.
 *
 * For each N: a fresh browser context each run (cold: empty HTTP cache, no stored board), then
 * a second visit in the same context (warm cache, whatever the app kept on the device). Runs
 * alternate Switchback and the peer in one browser; each figure is the median of RUNS. Beside
 * the time: the page's main-thread CPU until painted (CDP `Performance.getMetrics`
 * TaskDuration, the renderer's main thread) and its JS heap when painted (JSHeapUsedSize).
 *
 * Environment: BENCH_OPEN_SIZES (e.g. "0,2000"), BENCH_OPEN_RUNS.
 */
import { execSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from '@playwright/test'
import type { TLNoteShape } from 'tldraw'
import { makeTempDir, removeTempDir } from '../test/support/processes'
import { setIdentity } from '../test/support/template-board'
import { withAppInBrowser } from './app-in-browser'
import { serveFolder } from './static-server'
import { createStickyBoard } from './sticky-board'
import { load } from './sync'

const SIZES = sizesFromEnv() ?? [0, 500, 2000, 10_000]
const RUNS = Math.max(1, Number(process.env.BENCH_OPEN_RUNS ?? 3))
const VIEWPORT = { width: 1440, height: 900 }
const PAINT_TIMEOUT_MS = 180_000

interface Opened {
  /** From the start of navigation until painted (the probe), in ms. */
  paintedMs: number
  /** The renderer's main thread busy over the open, in ms. */
  cpuMs: number
  /** The JS heap in use when painted, in MB. */
  heapMB: number
}

interface Figures {
  switchback: Opened[]
  second: Opened[]
  peer: Opened[]
}

export async function run(): Promise<void> {
  const peerDir = await makeTempDir('switchback-peer-')
  try {
    execSync(`npx vite build --config bench/peer/vite.config.ts --outDir ${peerDir}`, {
      cwd: resolve(import.meta.dirname, '..'),
      stdio: 'ignore',
    })
    const peer = await serveFolder(peerDir)
    try {
      await withAppInBrowser(async (server, browser) => {
        console.log(`peer: tldraw's <Tldraw> from bench/peer/, served on ${peer.url}`)
        console.log(`sizes N = ${SIZES.join(', ')} notes; ${RUNS} runs each, alternating\n`)
        const results = new Map<number, Figures>()
        for (const n of SIZES) {
          const board = await createStickyBoard(server, n)
          const records = `records-${n}.json`
          await writeFile(join(peerDir, records), JSON.stringify(board.snapshot))
          const peerUrl = `${peer.url}/index.html${n > 0 ? `?records=${records}` : ''}`
          const figures: Figures = { switchback: [], second: [], peer: [] }
          for (let i = 0; i < RUNS; i++) {
            const openSwitchback = async () => {
              const context = await freshContext(browser)
              try {
                figures.switchback.push(await openTimed(context, board.participantLink, n))
                figures.second.push(await openTimed(context, board.participantLink, n))
              } finally {
                await context.close()
              }
            }
            const openPeer = async () => {
              const context = await freshContext(browser)
              try {
                figures.peer.push(await openTimed(context, peerUrl, n))
              } finally {
                await context.close()
              }
            }
            // Alternate which goes first, so neither always meets a warmer machine.
            if (i % 2 === 0) {
              await openSwitchback()
              await openPeer()
            } else {
              await openPeer()
              await openSwitchback()
            }
            const [sb, second, tl] = [figures.switchback, figures.second, figures.peer].map(
              (list) => list.at(-1)!,
            )
            console.log(
              `N=${String(n).padEnd(5)} run ${i + 1}: Switchback ${sb.paintedMs.toFixed(0)} ms` +
                ` (CPU ${sb.cpuMs.toFixed(0)}, heap ${sb.heapMB.toFixed(0)} MB)` +
                `, second visit ${second.paintedMs.toFixed(0)} ms` +
                `, peer ${tl.paintedMs.toFixed(0)} ms (CPU ${tl.cpuMs.toFixed(0)}` +
                `, heap ${tl.heapMB.toFixed(0)} MB)  ${load()}`,
            )
          }
          results.set(n, figures)
        }
        printTable(results)
        console.log(`\n${load()} at the end`)
      })
    } finally {
      await peer.stop()
    }
  } finally {
    await removeTempDir(peerDir)
  }
}

async function freshContext(browser: Browser) {
  const context = await browser.newContext({ viewport: VIEWPORT })
  // A returning person: no name prompt stands between the link and the board.
  await setIdentity(context, 'Bench')
  // tsx compiles this file keeping function names, through a `__name` helper the functions
  // handed to the page call; the page has none of its own.
  await context.addInitScript('globalThis.__name ??= (fn) => fn')
  await context.addInitScript(paintProbe)
  return context
}

/** Opens `url` in a new page of `context` and waits until the probe says painted. */
async function openTimed(context: BrowserContext, url: string, n: number): Promise<Opened> {
  const page = await context.newPage()
  try {
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    const before = metrics(await cdp.send('Performance.getMetrics'))
    // How many notes the probe waits for, set before any of the page's scripts runs.
    await page.addInitScript((count) => {
      ;(window as unknown as { __expectedNotes: number }).__expectedNotes = count
    }, n)
    await page.goto(url)
    const paintedMs = await waitPainted(page)
    const after = metrics(await cdp.send('Performance.getMetrics'))
    await cdp.detach()
    return {
      paintedMs,
      cpuMs: (after.TaskDuration - before.TaskDuration) * 1000,
      heapMB: after.JSHeapUsedSize / 2 ** 20,
    }
  } finally {
    await page.close()
  }
}

function metrics(answer: { metrics: { name: string; value: number }[] }) {
  return Object.fromEntries(answer.metrics.map((m) => [m.name, m.value])) as Record<string, number>
}

/** Resolves with the probe's time as soon as it has one (one evaluate, awaited in the page). */
async function waitPainted(page: Page): Promise<number> {
  return page.evaluate(
    (timeoutMs) =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now()
        const poll = () => {
          const probe = (window as unknown as { __openProbe?: { painted: number } }).__openProbe
          if (probe?.painted) return resolve(probe.painted)
          if (performance.now() - started > timeoutMs) return reject(new Error('never painted'))
          setTimeout(poll, 20)
        }
        poll()
      }),
    PAINT_TIMEOUT_MS,
  )
}

/**
 * Runs in every page before its scripts (an init script: the app's Content-Security-Policy
 * does not govern it). Checks once per animation frame; the notes that passed stay passed, so a
 * frame costs little once most are drawn. Reads the editor's own records and the DOM only.
 */
function paintProbe() {
  type Node = { text?: string; content?: unknown[] }
  type Win = Window & { __expectedNotes?: number; __openProbe?: { painted: number } }
  const win = window as Win
  const probe = { painted: 0 }
  win.__openProbe = probe
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim()
  const plain = (node: Node): string =>
    (node.text ?? '') + (node.content ?? []).map((child) => plain(child as Node)).join(' ')
  let notes: TLNoteShape[] | null = null
  let next = 0
  const check = () => {
    const editor = win.editor
    const expected = win.__expectedNotes
    if (!editor || expected === undefined) return false
    if (!notes) {
      const onPage = editor
        .getCurrentPageShapes()
        .filter((shape): shape is TLNoteShape => shape.type === 'note')
      if (onPage.length < expected) return false
      notes = onPage
    }
    // The notes' font (tldraw's "draw"), as the board draws it, not a fallback.
    if (!document.fonts.check('24px tldraw_draw')) return false
    const viewport = editor.getViewportPageBounds()
    for (; next < notes.length; next++) {
      const note = notes[next]
      const bounds = editor.getShapePageBounds(note)
      if (!bounds || !viewport.collides(bounds)) continue
      const element = document.querySelector<HTMLElement>(`.tl-shape[data-shape-id="${note.id}"]`)
      if (!element || element.style.display === 'none') return false
      // Switchback draws a note far out (text under about 4 px) as a plain box, by design
      // (src/canvas/note-label.ts): drawn, with no text to wait for. Anywhere else, its text.
      if (element.querySelector('[data-sb-label]')) continue
      const text = squash(plain(note.props.richText))
      if (text && !squash(element.textContent ?? '').includes(text)) return false
    }
    return true
  }
  const tick = () => {
    let done = false
    try {
      done = check()
    } catch {
      // The editor is still being built: try again next frame.
    }
    if (!done) return void requestAnimationFrame(tick)
    // This frame's DOM holds every note: the next frame starts once it has been drawn.
    requestAnimationFrame(() => {
      probe.painted = performance.now()
      performance.mark('switchback-bench:painted')
    })
  }
  requestAnimationFrame(tick)
}

function printTable(results: Map<number, Figures>) {
  const median = (list: Opened[], pick: (o: Opened) => number) => {
    const sorted = list.map(pick).sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)]
  }
  const time = (o: Opened) => o.paintedMs
  const cpu = (o: Opened) => o.cpuMs
  const heap = (o: Opened) => o.heapMB
  const empty = results.get(0)
  const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : 'n/a')
  const rows = [
    '| stickies | Switchback painted (ms) | tldraw peer (ms) | Switchback / peer | ' +
      'Switchback / empty | second visit (ms) | second / empty | CPU Switchback / peer (ms) | ' +
      'JS heap Switchback / peer (MB) |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ]
  const emptyMs = empty ? median(empty.switchback, time) : undefined
  for (const [n, f] of results) {
    const sb = median(f.switchback, time)
    const peer = median(f.peer, time)
    const second = median(f.second, time)
    const [sbCpu, peerCpu] = [median(f.switchback, cpu), median(f.peer, cpu)]
    rows.push(
      `| ${n} | ${sb.toFixed(0)} | ${peer.toFixed(0)} | ${ratio(sb, peer)} | ` +
        `${ratio(sb, emptyMs)} | ${second.toFixed(0)} | ${ratio(second, emptyMs)} | ` +
        `${sbCpu.toFixed(0)} / ${peerCpu.toFixed(0)} (${ratio(sbCpu, peerCpu)}) | ` +
        `${median(f.switchback, heap).toFixed(0)} / ${median(f.peer, heap).toFixed(0)} |`,
    )
  }
  console.log(
    `\nMedian of ${RUNS} runs (targets: Switchback ≤ 0.5× the peer and ≤ 1.5× an empty board;` +
      ` a second visit ≤ 1× an empty board):\n\n${rows.join('\n')}`,
  )
}

function sizesFromEnv(): number[] | undefined {
  const value = process.env.BENCH_OPEN_SIZES
  if (!value) return undefined
  const list = value.split(',').map(Number)
  if (list.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new Error(`BENCH_OPEN_SIZES must be integers >= 0 separated by commas, got "${value}"`)
  }
  return list
}
