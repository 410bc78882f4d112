/**
 * Sync benchmark: edit-to-peer latency on one board with N connected clients.
 *
 * One client (the editor) moves a geo shape; the N - 1 others (peers) receive the move. A sample
 * is the time from the editor's local store change until one peer's store holds it, so every
 * edit gives N - 1 samples. The same load runs against Switchback and against a bare
 * `TLSocketRoom` behind a plain `ws` server; the ratio is the cost of what Switchback adds
 * (roles, frame checks, the write-before-acknowledge gate, PartyKit's runtime).
 *
 * Edits are sequential: the next starts once every peer has the previous one and at least
 * EDIT_GAP_MS have passed. tldraw's client sends and applies at most once per 1/30 s, and the
 * editor's acknowledgement also takes a slot of that throttle, so edits closer together than two
 * slots would measure queueing in the client instead of the server.
 *
 * Environment: SWITCHBACK_URL (use a running server instead of starting one),
 * BENCH_SYNC_SIZES (e.g. "2,10"), BENCH_SYNC_EDITS (measured edits per size).
 *
 * `partykit dev` rebuilds when party/ or src/ changes: editing them during a run restarts the
 * board, which shows up as client reconnects (flagged in the report) or a timed-out edit.
 */
import { cpus, loadavg, platform, release, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { nanoid } from 'nanoid'
import { createShapeId, toRichText, type TLGeoShape, type TLShape } from '@tldraw/tlschema'
import { boardPath, createBoardResponseSchema } from '../src/protocol'
import { startProcess, stopProcess } from '../test/support/processes'
import { socketTicket } from '../test/support/raw-socket'
import { startServer } from '../test/support/server'
import { connectClient, type HeadlessClient } from './sync-client'

const SIZES = [...new Set(listFromEnv('BENCH_SYNC_SIZES') ?? [2, 10, 50, 100])]
const EDITS = listFromEnv('BENCH_SYNC_EDITS')?.[0] ?? 100
/** Unmeasured edits first: the shape's creation and a few moves warm up both ends. */
const WARMUP_EDITS = 5
const EDIT_GAP_MS = 70
const EDIT_TIMEOUT_MS = 15_000
/** Pause before each run, so the previous run's disconnects and cleanup are over. */
const SETTLE_MS = 1000
/** Clients connect in batches of this size, as a class joining a board would not all at once. */
const CONNECT_BATCH = 25

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))
const SHAPE_ID = createShapeId('bench')

/** A server under test: hands out a fresh room, as URLs for one client each. */
interface Target {
  name: 'switchback' | 'bare'
  description: string
  /** A fresh room, and how to get the address for one more client in it. */
  newRoom(): Promise<() => Promise<string>>
  /** The tail of the server's output, when we started it: for error messages. */
  log(): string
  stop(): Promise<void>
}

interface Stats {
  samples: number
  /** Client reconnects during the run: a dropped socket makes its numbers incomparable. */
  reconnects: number
  p50: number
  p95: number
  max: number
}

export async function run(): Promise<void> {
  printMachine()
  console.log(
    `sizes N = ${SIZES.join(', ')}; ${EDITS} measured edits per N (+${WARMUP_EDITS} warm-up),` +
      ` sequential, >= ${EDIT_GAP_MS} ms apart; 1 editor, N - 1 peers\n`,
  )

  const targets: Target[] = []
  try {
    targets.push(await switchbackTarget(), await bareTarget())
    for (const target of targets) console.log(`${target.name}: ${target.description}`)
    console.log()

    const results = new Map<string, Stats>()
    for (const [i, n] of SIZES.entries()) {
      // Alternate which server goes first, so neither always runs in the other's wake.
      for (const target of i % 2 === 0 ? targets : [...targets].reverse()) {
        await sleep(SETTLE_MS)
        const stats = await measure(target, n)
        results.set(`${target.name}/${n}`, stats)
        console.log(
          `${target.name.padEnd(10)} N=${String(n).padEnd(3)} ${stats.samples} samples` +
            `  p50 ${ms(stats.p50)}  p95 ${ms(stats.p95)}  max ${ms(stats.max)} ms` +
            (stats.reconnects > 0 ? `  (${stats.reconnects} reconnects!)` : ''),
        )
      }
    }
    printTable(results)
    // Other work on the machine shows up in the tails: say how busy it was.
    console.log(`\n${load()} at the end`)
  } finally {
    for (const target of targets) await target.stop()
  }
}

/** One run: N clients on a fresh room, EDITS moves, every peer timed on every edit. */
async function measure(target: Target, n: number): Promise<Stats> {
  const nextUrl = await target.newRoom()
  const clients: HeadlessClient[] = []
  try {
    for (let i = 0; i < n; i += CONNECT_BATCH) {
      const batch = Math.min(CONNECT_BATCH, n - i)
      clients.push(
        ...(await Promise.all(
          Array.from({ length: batch }, async () => connectClient(await nextUrl())),
        )),
      )
    }
    const [editor, ...peers] = clients

    // Edit k sets the shape's x to k (edit 0 creates it). A peer that sees x = k has every edit
    // up to k: should two moves ever reach it in one batch, the earlier one counts as arrived too.
    const total = WARMUP_EDITS + EDITS
    const sentAt: number[] = []
    const arrived = new Array<number>(total).fill(0)
    const samples: number[] = []
    let waiting: { edit: number; resolve(): void } | null = null
    let coalesced = 0

    for (const peer of peers) {
      let seen = -1
      const onShape = (shape: TLShape) => {
        const now = performance.now()
        if (shape.id !== SHAPE_ID) return
        if (shape.x > seen + 1) coalesced += shape.x - seen - 1
        for (; seen < shape.x; seen++) {
          const edit = seen + 1
          if (edit >= WARMUP_EDITS) samples.push(now - sentAt[edit])
          if (++arrived[edit] === peers.length && waiting?.edit === edit) waiting.resolve()
        }
      }
      // After-handlers run synchronously inside the store change that applies the server's diff.
      peer.store.sideEffects.registerAfterCreateHandler('shape', onShape)
      peer.store.sideEffects.registerAfterChangeHandler('shape', (_, next) => onShape(next))
    }

    for (let edit = 0; edit < total; edit++) {
      const everyPeerHasIt = new Promise<void>((resolve) => (waiting = { edit, resolve }))
      sentAt[edit] = performance.now()
      if (edit === 0) editor.store.put([geoShape()])
      else editor.store.update(SHAPE_ID, (shape) => ({ ...shape, x: edit }))
      await withTimeout(
        everyPeerHasIt,
        EDIT_TIMEOUT_MS,
        () =>
          `${target.name} N=${n}: edit ${edit} reached ${arrived[edit]}/${peers.length} peers` +
          ` in ${EDIT_TIMEOUT_MS} ms (editor reconnects: ${editor.reconnects()})` +
          `\n--- server output (tail) ---\n${target.log()}`,
      )
      await sleep(sentAt[edit] + EDIT_GAP_MS - performance.now())
    }

    const reconnects = clients.reduce((sum, client) => sum + client.reconnects(), 0)
    if (coalesced > 0)
      console.warn(`  note: ${coalesced} sample(s) arrived folded into a later edit`)
    return { ...summarize(samples), reconnects }
  } finally {
    for (const client of clients) client.close()
  }
}

async function switchbackTarget(): Promise<Target> {
  const given = process.env.SWITCHBACK_URL?.replace(/\/$/, '')
  const server = given ? null : await startServer({ withoutApp: true })
  const httpBase = given ?? server!.url
  return {
    name: 'switchback',
    description: given
      ? `running server at ${given} (SWITCHBACK_URL)`
      : `started \`${server!.command}\` on ${server!.url}`,
    async newRoom() {
      const roomId = nanoid(22)
      const res = await fetch(`${httpBase}${boardPath(roomId)}`, {
        method: 'POST',
        body: '{}',
        headers: { 'Content-Type': 'application/json' },
      })
      if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`)
      const board = createBoardResponseSchema.parse(await res.json())
      const wsBase = httpBase.replace(/^http/, 'ws')
      // A ticket per client: the participant key never goes in a socket address.
      return async () => {
        const id = nanoid()
        const ticket = await socketTicket(httpBase, roomId, board.participantKey)
        return `${wsBase}${boardPath(roomId)}?t=${ticket}&sessionId=${id}&storeId=${id}`
      }
    },
    log: () => server?.output() ?? '',
    stop: async () => server?.stop(),
  }
}

/** The peer every benchmark compares with: a bare `TLSocketRoom` behind a plain `ws` server. */
export async function startBareServer() {
  const script = fileURLToPath(new URL('bare-sync-server.ts', import.meta.url))
  const server = startProcess(process.execPath, ['--import', 'tsx', script], REPO_ROOT)
  const port = await new Promise<number>((resolve, reject) => {
    server.child.stdout?.on('data', (chunk: Buffer) => {
      const match = /"port":\s*(\d+)/.exec(chunk.toString())
      if (match) resolve(Number(match[1]))
    })
    void server.exited.then(() => reject(new Error(`bare server exited:\n${server.output()}`)))
  })
  return { server, port }
}

async function bareTarget(): Promise<Target> {
  const { server, port } = await startBareServer()
  return {
    name: 'bare',
    description: `TLSocketRoom + ws on 127.0.0.1:${port}, \`node --import tsx bench/bare-sync-server.ts\``,
    async newRoom() {
      const roomId = nanoid(22)
      return async () => {
        const id = nanoid()
        return `ws://127.0.0.1:${port}/${roomId}?sessionId=${id}&storeId=${id}`
      }
    },
    log: () => server.output(),
    stop: () => stopProcess(server),
  }
}

function printTable(results: Map<string, Stats>) {
  const rows = [
    '| N | switchback p50 | p95 | max | bare p50 | p95 | max | ratio p50 | ratio p95 | ratio max |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ]
  for (const n of SIZES) {
    const s = results.get(`switchback/${n}`)
    const b = results.get(`bare/${n}`)
    if (!s || !b) continue
    const cells = [n, ms(s.p50), ms(s.p95), ms(s.max), ms(b.p50), ms(b.p95), ms(b.max)]
    cells.push(ratio(s.p50, b.p50), ratio(s.p95, b.p95), ratio(s.max, b.max))
    rows.push(`| ${cells.join(' | ')} |`)
  }
  console.log(`\nEdit-to-peer latency in ms (ratio = switchback / bare):\n\n${rows.join('\n')}`)
  const dropped = [...results].filter(([, stats]) => stats.reconnects > 0)
  for (const [run, stats] of dropped) {
    console.log(
      `\nWARNING ${run}: ${stats.reconnects} client reconnect(s), its numbers are suspect`,
    )
  }
}

function summarize(samples: number[]): Omit<Stats, 'reconnects'> {
  const sorted = [...samples].sort((a, b) => a - b)
  // Nearest-rank percentile.
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]
  return { samples: sorted.length, p50: at(50), p95: at(95), max: sorted[sorted.length - 1] }
}

/** The rectangle an edit adds, as tldraw's editor would write it. */
export function geoShape(id = SHAPE_ID): TLGeoShape {
  return {
    id,
    typeName: 'shape',
    type: 'geo',
    parentId: 'page:page' as TLGeoShape['parentId'], // the page every new room starts with
    index: 'a1' as TLGeoShape['index'],
    x: 0,
    y: 0,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      geo: 'rectangle',
      dash: 'draw',
      url: '',
      w: 100,
      h: 100,
      growY: 0,
      scale: 1,
      flipX: false,
      flipY: false,
      labelColor: 'black',
      color: 'black',
      fill: 'none',
      size: 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      richText: toRichText(''),
    },
  }
}

/** Node, CPUs, OS, RAM and load: what the numbers were measured on. */
export function printMachine() {
  console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}),`)
  console.log(`${platform()} ${release()}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${load()}`)
}

export function load() {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`
}

export function ms(value: number) {
  return value.toFixed(1)
}

function ratio(a: number, b: number) {
  return `${(a / b).toFixed(2)}x`
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}

export async function withTimeout(promise: Promise<void>, ms: number, message: () => string) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms)
  })
  try {
    await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export function listFromEnv(name: string): number[] | undefined {
  const value = process.env[name]
  if (!value) return undefined
  const list = value.split(',').map(Number)
  if (list.some((n) => !Number.isInteger(n) || n < 2)) {
    throw new Error(`${name} must be integers >= 2 separated by commas, got "${value}"`)
  }
  return list
}
