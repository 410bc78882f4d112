/**
 * Board-size benchmark: what a board of N sticky notes costs the real server.
 *
 * For each N, on a fresh board each time (REPEATS times):
 * - save: one client creates N notes in one store transaction; the time from that local change
 *   (once `store.put` returns) until the server's acknowledgement (`push_result`) reaches the
 *   client. The server sends it only once the write is durable, so this is "Saved" as a user
 *   sees it: client send, frame checks, the room's commit, the storage write of N records, the
 *   acknowledgement back.
 * - cold load: `kill -9` the server and start it again, then the time from opening a fresh
 *   client connection until its store holds all N notes. The board's Durable Object starts on
 *   that connection, so this includes reading every record back from storage (and, as in a
 *   browser, the client parsing and applying the N records).
 * - snapshot GET: `GET /parties/board/<roomId>` right after (board loaded, warm): its time and
 *   the size of its body (uncompressed JSON).
 *
 * Environment: BENCH_BOARD_SIZES (e.g. "500,2000").
 */
import { nanoid } from 'nanoid'
import { createShapeId, toRichText, type TLNoteShape } from '@tldraw/tlschema'
import { getIndicesAbove } from '@tldraw/utils'
import { boardPath } from '../src/protocol'
import { socketTicket } from '../test/support/raw-socket'
import { startServer, type TestServer } from '../test/support/server'
import { connectClient, type HeadlessClient } from './sync-client'
import { createBoard } from './new-board'
import { listFromEnv, load, ms, printMachine, withTimeout } from './sync'

const SIZES = [...new Set(listFromEnv('BENCH_BOARD_SIZES') ?? [500, 2000, 4000])]
const REPEATS = 3
const TIMEOUT_MS = 60_000

interface Sample {
  /** The local `store.put` alone, before the clock for save starts: for reference. */
  putMs: number
  saveMs: number
  coldLoadMs: number
  getMs: number
  sizeKB: number
}

export async function run(): Promise<void> {
  printMachine()
  console.log(`sizes N = ${SIZES.join(', ')} notes; ${REPEATS} runs per N, a fresh board each\n`)

  const server = await startServer({ withoutApp: true })
  try {
    console.log(`started \`${server.command}\` on ${server.url}\n`)
    const results = new Map<number, Sample[]>()
    for (const n of SIZES) {
      const samples: Sample[] = []
      for (let i = 0; i < REPEATS; i++) {
        const sample = await measure(server, n)
        samples.push(sample)
        console.log(
          `N=${String(n).padEnd(5)} run ${i + 1}: (local put ${ms(sample.putMs)})` +
            `  save ${ms(sample.saveMs)}` +
            `  cold load ${ms(sample.coldLoadMs)}  GET ${ms(sample.getMs)} ms` +
            `  ${sample.sizeKB.toFixed(0)} KB`,
        )
      }
      results.set(n, samples)
    }
    printTable(results)
    console.log(`\n${load()} at the end`)
  } finally {
    await server.stop()
  }
}

async function measure(server: TestServer, n: number): Promise<Sample> {
  const { roomId, participantKey } = await createBoard(server)
  const clientUrl = async () => {
    const id = nanoid()
    const wsBase = server.url.replace(/^http/, 'ws')
    const ticket = await socketTicket(server.url, roomId, participantKey)
    return `${wsBase}${boardPath(roomId)}?t=${ticket}&sessionId=${id}&storeId=${id}`
  }

  const writer = await connectClient(await clientUrl())
  let save: { putMs: number; saveMs: number }
  try {
    save = await timeSave(writer, n, server)
  } finally {
    writer.close()
  }

  // Nothing in the server's memory survives kill -9: the board must come back from storage.
  await server.crash()
  await server.restart()

  // `connectClient` resolves once the client has applied the server's whole document.
  const loadStart = performance.now()
  const reader = await connectClient(await clientUrl(), TIMEOUT_MS)
  const coldLoadMs = performance.now() - loadStart
  const loaded = countShapes(Object.values(reader.store.serialize('document')))
  reader.close()
  if (loaded !== n) throw new Error(`after the restart the board has ${loaded} of ${n} notes`)

  const getStart = performance.now()
  const res = await fetch(`${server.url}${boardPath(roomId)}`)
  const body = await res.arrayBuffer()
  const getMs = performance.now() - getStart
  const snapshot = JSON.parse(new TextDecoder().decode(body)) as { store: object }
  if (countShapes(Object.values(snapshot.store)) !== n) throw new Error('snapshot lacks notes')

  return { ...save, coldLoadMs, getMs, sizeKB: body.byteLength / 1024 }
}

/** Puts N notes in one transaction and times it until the server acknowledges the push. */
async function timeSave(client: HeadlessClient, n: number, server: TestServer) {
  const notes = noteShapes(n)
  let ackedAt = 0
  let stopListening = () => {}
  const acked = new Promise<void>((resolve, reject) => {
    stopListening = client.onServerMessage((message) => {
      // The server may batch its push_result with patches in one `data` message.
      const messages = message.type === 'data' ? (message.data ?? []) : [message]
      const result = messages.find((m) => m.type === 'push_result')
      if (!result) return
      ackedAt = performance.now()
      if (result.action === 'commit') resolve()
      else reject(new Error(`push not committed: ${JSON.stringify(result.action).slice(0, 200)}`))
    })
  })
  // One store change, so tldraw's client sends it as one push request and gets one push_result.
  // The clock starts once the change is made (the store has checked the N records): from here
  // on it is the client sending, the server saving, and the acknowledgement coming back.
  const putStart = performance.now()
  client.store.put(notes)
  const start = performance.now()
  try {
    await withTimeout(
      acked,
      TIMEOUT_MS,
      () => `N=${n}: no acknowledgement in ${TIMEOUT_MS} ms\n--- server ---\n${server.output()}`,
    )
  } finally {
    stopListening()
  }
  return { putMs: start - putStart, saveMs: ackedAt - start }
}

/** Notes in a grid, each with a short text, as a workshop's stickies would be. */
export function noteShapes(n: number): TLNoteShape[] {
  return getIndicesAbove(null, n).map((index, i) => ({
    id: createShapeId(),
    typeName: 'shape',
    type: 'note',
    parentId: 'page:page' as TLNoteShape['parentId'], // the page every new board starts with
    index,
    x: (i % 80) * 220,
    y: Math.floor(i / 80) * 220,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: 1,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: toRichText(`Idea ${i}: ${'lorem ipsum '.repeat(3)}`),
      scale: 1,
      textLastEditedBy: null,
    },
  }))
}

function countShapes(records: unknown[]) {
  return records.filter((r) => (r as { typeName?: string }).typeName === 'shape').length
}

function printTable(results: Map<number, Sample[]>) {
  const rows = [
    '| shapes | save (ms) | cold load (ms) | snapshot GET (ms) | snapshot size (KB) |',
    '|--:|--:|--:|--:|--:|',
  ]
  for (const [n, samples] of results) {
    const spread = (pick: (s: Sample) => number) => {
      const sorted = samples.map(pick).sort((a, b) => a - b)
      const median = sorted[Math.floor(sorted.length / 2)]
      return `${ms(median)} (${ms(sorted[0])}–${ms(sorted[sorted.length - 1])})`
    }
    // Sizes differ by a few bytes only (tldraw's fractional indices are jittered): no range.
    const size = samples.map((s) => s.sizeKB).sort((a, b) => a - b)[Math.floor(samples.length / 2)]
    const cells = [n, spread((s) => s.saveMs), spread((s) => s.coldLoadMs), spread((s) => s.getMs)]
    cells.push(size.toFixed(1))
    rows.push(`| ${cells.join(' | ')} |`)
  }
  console.log(`\nMedian (min–max) of ${REPEATS} runs, each on a fresh board:\n\n${rows.join('\n')}`)
}
