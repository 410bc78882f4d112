/**
 * Where the time goes when a big board opens: a board of N stickies (default 2,000) made on
 * the real server, opened from its participant link in a fresh browser context (empty cache)
 * until painted, against an empty board opened the same way; with `--profile`, a CPU profile
 * of one big-board open (CDP `Profiler`), written to open-profile.cpuprofile in the temp folder and
 * summarised by self time. For finding what to cut; `npm run bench -- open` (bench/open.ts)
 * is the figure against tldraw's own `<Tldraw>`.
 *
 * "Painted": the editor holds all N notes, and every note on screen has its element, with
 * its label text where the note shows one at this zoom (the same test as the browser specs).
 *
 * Run: `npx tsx bench/open-profile.ts [--profile] [--runs 3] [--stickies 2000]`.
 */
import { execSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { SourceMapConsumer } from 'source-map-js'
import { CHROMIUM_ARGS, chromiumPath } from '../src/cli/chromium'
import { startServer } from '../test/support/server'
import type { Browser, Page } from '@playwright/test'
import { boardSocketPath, boardWithRecords, rawWriter } from '../test/support/raw-socket'
import { stickyRecords } from '../test/support/sticky-board'
import { setIdentity } from '../test/support/template-board'
import { load, printMachine } from './sync'

const argv = process.argv.slice(2)
const flag = (name: string) => argv.includes(`--${name}`)
const option = (name: string, fallback: number) => {
  const at = argv.indexOf(`--${name}`)
  return at >= 0 ? Number(argv[at + 1]) : fallback
}
const RUNS = option('runs', 3)
const STICKIES = option('stickies', 2000)
const PUSH_BATCH = 400

/** A board holding `records`, pushed by its facilitator in frames the server takes. */
async function boardOf(serverUrl: string, records: { id: string }[]) {
  const roomId = `open${Math.random().toString(36).slice(2)}${Date.now()}`.slice(0, 22)
  const board = await boardWithRecords(serverUrl, roomId)
  const writer = await rawWriter(
    serverUrl,
    await boardSocketPath(serverUrl, roomId, board.facilitatorSecret),
  )
  for (let i = 0; i < records.length; i += PUSH_BATCH) {
    const batch = records.slice(i, i + PUSH_BATCH)
    const pushed = await writer.push(Object.fromEntries(batch.map((r) => [r.id, ['put', r]])))
    if (pushed !== 'commit') throw new Error(`records not committed: ${JSON.stringify(pushed)}`)
  }
  writer.socket.close()
  return board
}

/** When the page is painted (see the header), or null if not yet; run in the page. */
function paintedAt(count: number): number | null {
  const painted = (() => {
    const editor = (window as unknown as { editor?: import('tldraw').Editor }).editor
    if (!editor) return false
    const ids = [...editor.getCurrentPageShapeIds()]
    if (ids.length < count) return false
    const viewport = editor.getViewportPageBounds()
    const elements = new Map<string, Element>()
    for (const e of document.querySelectorAll('.tl-shape[data-shape-id]')) {
      elements.set(e.getAttribute('data-shape-id')!, e)
    }
    for (const id of ids) {
      const bounds = editor.getShapePageBounds(id)
      if (!bounds || !viewport.collides(bounds)) continue
      const element = elements.get(id)
      if (!element || !element.querySelector('.tl-note__container')) return false
      // A note showing its label must show its text (far out, a note may show none).
      if (
        !element.querySelector('[data-sb-label="far"]') &&
        !element.querySelector('.tl-rich-text')?.textContent
      )
        return false
    }
    return true
  })()
  return painted ? performance.now() : null
}

/** Opens the board in a fresh context; the page's own clock from navigation to painted. */
async function openMs(browser: Browser, url: string, count: number, profile = false) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  const page = await context.newPage()
  await setIdentity(page, 'Bench')
  const cdp = await context.newCDPSession(page)
  if (profile) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
    await cdp.send('Profiler.start')
  }
  await page.goto(url)
  const painted = await waitPainted(page, count)
  let cpuProfile: unknown = null
  if (profile) cpuProfile = (await cdp.send('Profiler.stop')).profile
  await context.close()
  return { painted, cpuProfile }
}

async function waitPainted(page: Page, count: number): Promise<number> {
  const deadline = Date.now() + 120_000
  for (;;) {
    const at = await page.evaluate(paintedAt, count).catch(() => null)
    if (at !== null) return at
    if (Date.now() > deadline) throw new Error('not painted in 120 s')
    await new Promise((wake) => setTimeout(wake, 50))
  }
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number }
  children?: number[]
}

/** The top functions by self time, and by time including callees. */
function summarise(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  const name = (n: ProfileNode) => original(n.callFrame)
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000
    const node = byId.get(id)!
    self.set(name(node), (self.get(name(node)) ?? 0) + dt)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = name(byId.get(at)!)
      if (seen.has(key)) continue
      seen.add(key)
      total.set(key, (total.get(key) ?? 0) + dt)
    }
  })
  const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k)
  console.log('\nself time (ms):')
  for (const [k, v] of top(self, 30)) console.log(`${v.toFixed(0).padStart(7)}  ${k}`)
  console.log('\ntotal time (ms):')
  for (const [k, v] of top(total, Number(process.env.OPEN_PROFILE_LINES ?? 60)))
    console.log(`${v.toFixed(0).padStart(7)}  ${k}`)
}

const ROOT = resolve(import.meta.dirname, '..')
const maps = new Map<string, SourceMapConsumer | null>()

/** A profiled function by its name and place in the sources (the build's source maps). */
function original(frame: {
  functionName: string
  url: string
  lineNumber: number
  columnNumber?: number
}) {
  const file = frame.url.split('/').pop() ?? ''
  if (!maps.has(file)) {
    const path = resolve(ROOT, 'dist/assets', `${file}.map`)
    let map: SourceMapConsumer | null
    try {
      map = new SourceMapConsumer(JSON.parse(readFileSync(path, 'utf8')))
    } catch {
      map = null
    }
    maps.set(file, map)
  }
  const map = maps.get(file)
  if (map && frame.lineNumber >= 0) {
    const at = map.originalPositionFor({
      line: frame.lineNumber + 1,
      column: frame.columnNumber ?? 0,
    })
    if (at.source) {
      const source = at.source.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '')
      return `${at.name ?? frame.functionName ?? '(anon)'} ${source}:${at.line}`
    }
  }
  return `${frame.functionName || '(anon)'} ${file}:${frame.lineNumber}`
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

async function main() {
  printMachine()
  // With source maps, so the profile names functions as the sources do (same code otherwise).
  execSync(`npx vite build${flag('profile') ? ' --sourcemap' : ''}`, { cwd: ROOT, stdio: 'ignore' })
  const server = await startServer()
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  try {
    const records = stickyRecords(STICKIES)
    const big = await boardOf(server.url, records)
    const empty = await boardOf(server.url, [])
    const link = (b: { roomId: string; participantKey: string }) =>
      `${server.url}/b/${b.roomId}#k=${b.participantKey}`
    // One open to warm the server's copy of both boards (not counted).
    await openMs(browser, link(big), STICKIES)
    await openMs(browser, link(empty), 0)
    const bigMs: number[] = []
    const emptyMs: number[] = []
    for (let i = 0; i < RUNS; i++) {
      bigMs.push((await openMs(browser, link(big), STICKIES)).painted)
      emptyMs.push((await openMs(browser, link(empty), 0)).painted)
      console.log(
        `run ${i + 1}: ${STICKIES} stickies ${bigMs.at(-1)!.toFixed(0)} ms, empty ${emptyMs.at(-1)!.toFixed(0)} ms`,
      )
    }
    const b = median(bigMs)
    const e = median(emptyMs)
    console.log(
      `\nmedian of ${RUNS}: ${STICKIES} stickies ${b.toFixed(0)} ms, empty ${e.toFixed(0)} ms, ` +
        `ratio ${(b / e).toFixed(2)}; ${load()}`,
    )
    if (flag('profile')) {
      const { painted, cpuProfile } = await openMs(browser, link(big), STICKIES, true)
      const path = resolve(tmpdir(), 'open-profile.cpuprofile')
      writeFileSync(path, JSON.stringify(cpuProfile))
      console.log(`\nprofiled open: ${painted.toFixed(0)} ms; profile in ${path}`)
      summarise(cpuProfile as Parameters<typeof summarise>[0])
    }
  } finally {
    await browser.close()
    await server.stop()
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
