/**
 * Where the time of opening `/new?template=<id>` goes, read in the page after it is drawn
 * (bench/templates.ts): the resource timings of the board's creation, the canvas chunk, the
 * socket ticket and the fonts, and two moments an init script watches for once per animation
 * frame: the editor mounted (`window.editor`), and every shape drawn (each has its element).
 * All in ms from the start of the navigation to `/new` (the board page is the same document).
 */
import type { BrowserContext, Page } from '@playwright/test'

export interface Phases {
  /** The board's creation (`POST /parties/board/<id>`) answered. */
  created: number
  /** The largest script (the canvas chunk: React and tldraw) loaded. */
  canvasChunk: number
  /** The socket ticket (`POST .../tickets`) answered. */
  ticket: number
  /** The sync socket's first message from the server (its connect: the whole board). */
  socket: number
  /** The first font file asked for (tldraw's editor exists and loads the page's fonts). */
  fontsAsked: number
  /** The last font file loaded (0: none was fetched). */
  fonts: number
  /** `window.editor` first seen. */
  editor: number
  /** Every shape of the board has its element in the DOM, seen at an animation frame. */
  drawn: number
}

export const PHASE_NAMES: (keyof Phases)[] = [
  'created',
  'canvasChunk',
  'ticket',
  'socket',
  'fontsAsked',
  'fonts',
  'editor',
  'drawn',
]

/** Installs the watcher in every page of `context`. */
export async function watchPhases(context: BrowserContext) {
  // tsx keeps function names through a `__name` helper the page does not have.
  await context.addInitScript('globalThis.__name ??= (fn) => fn')
  await context.addInitScript(() => {
    const seen = { editor: 0, drawn: 0 }
    ;(window as unknown as { __phases: typeof seen }).__phases = seen
    const tick = () => {
      const editor = window.editor
      if (editor && !seen.editor) seen.editor = performance.now()
      if (editor) {
        const ids = [...editor.getCurrentPageShapeIds()]
        const drawn = ids.every((id) => document.querySelector(`[data-shape-id="${id}"]`))
        if (ids.length > 0 && drawn) return void (seen.drawn = performance.now())
      }
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
}

/**
 * Notes when the page's sync socket first hears from the server (Playwright sees the frames in
 * this process: the time is turned into the page's clock through its time origin).
 */
export function watchSocket(page: Page): () => number {
  let first = 0
  page.on('websocket', (socket) => {
    if (!socket.url().includes('/parties/board/')) return
    socket.once('framereceived', () => (first = first || Date.now()))
  })
  return () => first
}

/** Reads the phases of the page's last navigation, once it is drawn. */
export async function readPhases(page: Page, socketAt: () => number): Promise<Phases> {
  const inPage = await page.evaluate(() => {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
    const end = (match: (e: PerformanceResourceTiming) => boolean) =>
      Math.max(0, ...entries.filter(match).map((e) => e.responseEnd))
    const path = (e: PerformanceResourceTiming) => new URL(e.name).pathname
    const scripts = entries.filter((e) => path(e).endsWith('.js'))
    const largest = scripts.sort((a, b) => b.decodedBodySize - a.decodedBodySize)[0]
    const seen = (window as unknown as { __phases: { editor: number; drawn: number } }).__phases
    const fonts = entries.filter((e) => /\.woff2?$/.test(path(e)))
    return {
      origin: performance.timeOrigin,
      created: end((e) => /^\/parties\/board\/[^/]+$/.test(path(e))),
      canvasChunk: largest?.responseEnd ?? 0,
      ticket: end((e) => path(e).endsWith('/tickets')),
      fontsAsked: fonts.length ? Math.min(...fonts.map((e) => e.startTime)) : 0,
      fonts: end((e) => /\.woff2?$/.test(path(e))),
      editor: seen.editor,
      drawn: seen.drawn,
    }
  })
  const { origin, ...phases } = inPage
  return { ...phases, socket: socketAt() ? socketAt() - origin : 0 }
}
