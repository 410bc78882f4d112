/**
 * Person-to-person edit latency in the real app: two Chromium pages on one board (a facilitator
 * and a participant), a quiet room (nobody moves), EDITS shapes made one at a time on the first
 * page; each is timed from the `createShape` call until the second page has it in its store and
 * has drawn the next frame. Run twice: with the cursor lane (the app as it ships) and with
 * `?lane=off`, tldraw's own default presence, as the baseline.
 *
 * The breakdown splits each edit at the two sockets (both pages' WebSocket is watched from an
 * init script): sender (createShape until the push leaves the page: tldraw's push batching),
 * network and server (the push leaving until the patch arrives at the receiver), receiver (the
 * patch arriving until the next frame after the store has the shape: tldraw's rebase batching).
 */
import type { Browser, Page } from '@playwright/test'
import { setIdentity } from '../test/support/template-board'
import { waitInPage } from '../test/support/page-wait'
import { withAppInBrowser } from './app-in-browser'
import { load, ms } from './sync'

const EDITS = 30
/** Between two edits: long enough that each is alone, with jitter so none locks to a frame. */
const GAP_MS = [150, 250] as const

interface Timings {
  total: number[]
  sender: number[]
  network: number[]
  receiver: number[]
}

export async function run(): Promise<void> {
  await withAppInBrowser(async (server, browser) => {
    console.log(`${EDITS} edits, one at a time, in a quiet room of two; ${load()}\n`)
    const results: [string, Timings][] = []
    for (const [label, query] of [
      ['cursor lane (this app)', ''],
      ["tldraw's own presence (?lane=off)", 'lane=off'],
    ] as const) {
      results.push([label, await measure(browser, server.url, query)])
    }
    console.log(
      '| client | p50 (ms) | p95 (ms) | max (ms) | sender p50 | network + server p50 | receiver p50 |',
    )
    console.log('|---|--:|--:|--:|--:|--:|--:|')
    for (const [label, t] of results) {
      console.log(
        `| ${label} | ${ms(pct(t.total, 50))} | ${ms(pct(t.total, 95))} | ${ms(Math.max(...t.total))}` +
          ` | ${ms(pct(t.sender, 50))} | ${ms(pct(t.network, 50))} | ${ms(pct(t.receiver, 50))} |`,
      )
    }
    console.log(`\n${load()}`)
  })
}

async function measure(browser: Browser, serverUrl: string, query: string): Promise<Timings> {
  const contexts = [await browser.newContext(), await browser.newContext()]
  try {
    const [a, b] = await Promise.all(contexts.map((c) => c.newPage()))
    for (const [page, name] of [
      [a, 'Sender'],
      [b, 'Receiver'],
    ] as const) {
      await setIdentity(page, name)
      await page.addInitScript({ content: watchSockets })
    }
    await a.goto(`${serverUrl}/new${query ? `?${query}` : ''}`)
    await a.waitForURL(/\/b\//)
    await waitInPage(a, () => !!window.editor)
    await a.getByRole('button', { name: 'Share' }).click()
    const link = new URL(await a.getByTestId('share-participant').inputValue())
    await a.keyboard.press('Escape')
    if (query) link.search = `${link.search}${link.search ? '&' : '?'}${query}`
    await b.goto(link.toString())
    await waitInPage(b, () => !!window.editor)
    // Both see each other before the first edit.
    for (const page of [a, b]) {
      await waitInPage(page, () => window.editor.getCollaborators().length > 0)
    }
    await b.evaluate(listenForEdits)
    const timings: Timings = { total: [], sender: [], network: [], receiver: [] }
    for (let i = 0; i < EDITS; i++) {
      const id = `shape:bench${i}x${Math.random().toString(36).slice(2, 8)}`
      const created = await a.evaluate(createShape, { id, x: 100 + (i % 10) * 60 })
      const shown = await waitForEdit(b, id)
      const sent = await a.evaluate((shape) => window.__benchSockets.sent[shape], id)
      const arrived = await b.evaluate((shape) => window.__benchSockets.received[shape], id)
      timings.total.push(shown - created)
      timings.sender.push(sent - created)
      timings.network.push(arrived - sent)
      timings.receiver.push(shown - arrived)
      await a.waitForTimeout(GAP_MS[0] + Math.random() * (GAP_MS[1] - GAP_MS[0]))
    }
    return timings
  } finally {
    for (const c of contexts) await c.close()
  }
}

declare global {
  interface Window {
    editor: import('tldraw').Editor
    __benchSockets: { sent: Record<string, number>; received: Record<string, number> }
    __benchShown: Record<string, number>
  }
}

/**
 * In each page before its scripts: notes when a frame naming a bench shape leaves or comes. A
 * string, not a function: tsx would wrap a function's inner functions in a helper the page
 * does not have.
 */
const watchSockets = `(() => {
  const clock = () => performance.timeOrigin + performance.now()
  const seen = { sent: {}, received: {} }
  window.__benchSockets = seen
  const note = (into, data) => {
    if (typeof data !== 'string') return
    for (const id of data.match(/shape:bench[0-9a-z]+/g) ?? []) into[id] ??= clock()
  }
  const send = WebSocket.prototype.send
  WebSocket.prototype.send = function (data) {
    note(seen.sent, data)
    return send.call(this, data)
  }
  const Native = WebSocket
  // The listener is added before tldraw sets onmessage, so it runs first.
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols)
      this.addEventListener('message', (event) => note(seen.received, event.data))
    }
  }
})()`

/** On the receiver: when each bench shape is drawn (the frame after the store has it). */
function listenForEdits() {
  window.__benchShown = {}
  // As the store takes it in (a side effect runs in the same call), then the next frame.
  window.editor.store.sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
    if (source !== 'remote' || !shape.id.startsWith('shape:bench')) return
    requestAnimationFrame(() => {
      window.__benchShown[shape.id] = performance.timeOrigin + performance.now()
    })
  })
}

function createShape({ id, x }: { id: string; x: number }) {
  const created = performance.timeOrigin + performance.now()
  window.editor.createShape({ id: id as never, type: 'geo', x, y: 100 })
  return created
}

async function waitForEdit(page: Page, id: string): Promise<number> {
  await waitInPage(page, (shape: string) => window.__benchShown[shape] !== undefined, id)
  return page.evaluate((shape) => window.__benchShown[shape], id)
}

function pct(samples: number[], p: number): number {
  const sorted = [...samples].sort((x, y) => x - y)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}
