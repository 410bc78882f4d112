/**
 * Abuse benchmark: does a board stay usable while it is attacked with the view-only link?
 *
 * Two participants edit (headless tldraw clients; one moves a shape, the other receives it:
 * a sample is that edit-to-peer time). Then 200 viewer sockets join, one more socket floods
 * presence at ~1,000 messages a second and another floods pushes at the same rate, both
 * reconnecting whenever they are closed, as an attacker would; the participants keep editing.
 * Then everyone but the participants leaves. Printed: edit latency p50 / p95 quiet and during
 * the flood, and server memory (RSS of the server's whole process group, from /proc) before,
 * at its peak during, and a few seconds after.
 *
 * The same run is made against a bare `TLSocketRoom` behind a plain `ws` server (no limits):
 * the peer, to show what the limits buy. It may fail to answer at all; that is reported.
 *
 * Switchback's server is started with `MAX_VIEWERS=250`, so that all 200 viewers get in (the
 * default takes 300): the bench measures a room that holds them, not one that turns them away. Environment: BENCH_ABUSE_VIEWERS (200),
 * BENCH_ABUSE_EDITS (60 per phase), BENCH_ABUSE_SKIP_BARE=1.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { nanoid } from 'nanoid'
import {
  createShapeId,
  InstancePresenceRecordType,
  type TLPageId,
  type TLShape,
  type TLUserId,
} from '@tldraw/tlschema'
import WebSocket from 'ws'
import { boardPath, createBoardResponseSchema } from '../src/protocol'
import { stopProcess } from '../test/support/processes'
import { connectMessage, pushNewShape, socketTicket } from '../test/support/raw-socket'
import { startServer } from '../test/support/server'
import { connectClient, type HeadlessClient } from './sync-client'
import { geoShape, load, ms, printMachine, startBareServer, withTimeout } from './sync'

const VIEWERS = Number(process.env.BENCH_ABUSE_VIEWERS ?? 200)
const EDITS = Number(process.env.BENCH_ABUSE_EDITS ?? 60)
const FLOOD_PER_SECOND = 1000
const EDIT_GAP_MS = 70
const EDIT_TIMEOUT_MS = 5_000
/** How long the server may take to settle (and collect garbage) after everyone left. */
const AFTER_MS = 20_000
/** Attack rounds (`BENCH_ABUSE_ROUNDS`): two show whether memory plateaus or climbs. */
const ROUNDS = Number(process.env.BENCH_ABUSE_ROUNDS ?? 2)
const SHAPE_ID = createShapeId('abuse')

const CONNECT = JSON.stringify(connectMessage('abuse'))

interface Target {
  name: 'switchback' | 'bare'
  /** URLs for a participant and for a viewer, on a fresh board. */
  board(): Promise<{ participant(): Promise<string> | string; viewer(): string }>
  /** Process group whose memory is measured. */
  pid(): number | undefined
  stop(): Promise<void>
}

interface Result {
  quiet: Latency
  flood: Latency
  rss: { before: number; peak: number; after: number }
  viewers: { admitted: number; refused: number }
  flooders: { frames: number; closes: number; closeReasons: string[] }
}
export type Latency = { p50: number; p95: number; samples: number; timeouts: number }

export async function run(): Promise<void> {
  printMachine()
  console.log(
    `${VIEWERS} viewers, 1 presence flooder + 1 push flooder at ~${FLOOD_PER_SECOND}/s each,` +
      ` 2 participants; ${EDITS} edits per phase, >= ${EDIT_GAP_MS} ms apart\n`,
  )
  const results = new Map<string, Result | Error>()
  for (const make of [switchbackTarget, bareTarget]) {
    if (make === bareTarget && process.env.BENCH_ABUSE_SKIP_BARE) continue
    const target = await make()
    try {
      results.set(target.name, await measure(target))
    } catch (error) {
      results.set(target.name, error instanceof Error ? error : new Error(String(error)))
    } finally {
      await target.stop()
    }
  }
  printTable(results)
  console.log(`\n${load()} at the end`)
}

async function measure(target: Target): Promise<Result> {
  const urls = await target.board()
  const rss = () => groupRss(target.pid())
  const [editor, peer] = [
    await connectClient(await urls.participant()),
    await connectClient(await urls.participant()),
  ]
  const sockets: WebSocket[] = []
  const flooders: Flooder[] = []
  /** Every flooder of every round, for the summary. */
  const allFlooders: Flooder[] = []
  try {
    const edits = timedEdits(editor, peer)
    await edits(5) // warm-up: creates the shape
    await sleep(1000)
    const before = rss()
    const beforeByProcess = processRss(target.pid())
    const quiet = await edits(EDITS)
    console.log(`${target.name}: quiet p50 ${ms(quiet.p50)} p95 ${ms(quiet.p95)} ms`)

    // The attack comes in rounds: memory that plateaus across them is the server's high-water
    // mark, memory that climbs with each is a leak.
    let viewers = { admitted: 0, refused: 0 }
    let during = quiet
    let peak = rss()
    let after = rss()
    for (let round = 1; round <= ROUNDS; round++) {
      viewers = await openViewers(urls.viewer, VIEWERS, sockets)
      console.log(`${target.name}: ${viewers.admitted} viewers in, ${viewers.refused} refused`)
      const sampler = setInterval(() => (peak = Math.max(peak, rss())), 250)
      flooders.push(flood(urls.viewer, presenceFrame), flood(urls.viewer, pushFrame))
      allFlooders.push(...flooders)
      await sleep(1000)
      const edited = await edits(EDITS)
      if (round === 1) during = edited
      clearInterval(sampler)
      console.log(
        `${target.name}: round ${round}: flood p50 ${ms(edited.p50)} p95 ${ms(edited.p95)} ms`,
      )

      for (const f of flooders.splice(0)) f.stop()
      for (const socket of sockets.splice(0)) socket.terminate()
      // Memory "back" is the lowest it settles to: sampled every second while it settles.
      after = rss()
      for (let waited = 0; waited < AFTER_MS; waited += 1000) {
        await sleep(1000)
        after = Math.min(after, rss())
      }
      // Which process holds the difference: the server's own (workerd) or the dev tooling.
      const byProcess = processRss(target.pid())
      console.log(
        `${target.name}: round ${round}: RSS by process, before → after: ` +
          [...byProcess]
            .map(
              ([name, bytes]) =>
                `${name} ${mib(beforeByProcess.get(name) ?? 0)} → ${mib(bytes)} MiB`,
            )
            .join(', '),
      )
    }
    return {
      quiet,
      flood: during,
      rss: { before, peak, after },
      viewers,
      flooders: {
        frames: allFlooders.reduce((n, f) => n + f.frames(), 0),
        closes: allFlooders.reduce((n, f) => n + f.closes(), 0),
        closeReasons: [...new Set(allFlooders.flatMap((f) => f.reasons()))],
      },
    }
  } finally {
    for (const f of flooders) f.stop()
    for (const socket of sockets) socket.terminate()
    editor.close()
    peer.close()
  }
}

/** Returns a function that makes `count` sequential edits and times each to the peer. */
export function timedEdits(editor: HeadlessClient, peer: HeadlessClient) {
  let edit = 0
  let seen = -1
  const sentAt = new Map<number, number>()
  let samples: number[] = []
  let waiting: { edit: number; resolve(): void } | null = null
  const onShape = (shape: TLShape) => {
    if (shape.id !== SHAPE_ID) return
    const now = performance.now()
    for (; seen < shape.x; seen++) {
      const done = seen + 1
      const at = sentAt.get(done)
      if (at !== undefined) samples.push(now - at)
      if (waiting && done >= waiting.edit) waiting.resolve()
    }
  }
  peer.store.sideEffects.registerAfterCreateHandler('shape', onShape)
  peer.store.sideEffects.registerAfterChangeHandler('shape', (_, next) => onShape(next))

  return async (count: number): Promise<Latency> => {
    samples = []
    let timeouts = 0
    for (let i = 0; i < count; i++, edit++) {
      const arrived = new Promise<void>((resolve) => (waiting = { edit, resolve }))
      const start = performance.now()
      sentAt.set(edit, start)
      if (edit === 0) editor.store.put([geoShape(SHAPE_ID)])
      else editor.store.update(SHAPE_ID, (shape) => ({ ...shape, x: edit }))
      try {
        await withTimeout(arrived, EDIT_TIMEOUT_MS, () => 'timeout')
      } catch {
        timeouts++
        samples.push(EDIT_TIMEOUT_MS)
      }
      await sleep(start + EDIT_GAP_MS - performance.now())
    }
    const sorted = [...samples].sort((a, b) => a - b)
    const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
    return { p50: at(50), p95: at(95), samples: sorted.length, timeouts }
  }
}

/** Viewer sockets that join (tldraw's handshake) and then only listen, in batches. */
async function openViewers(url: () => string, count: number, sockets: WebSocket[]) {
  let admitted = 0
  let refused = 0
  for (let i = 0; i < count; i += 25) {
    const batch = Array.from({ length: Math.min(25, count - i) }, async () => {
      const ws = new WebSocket(url())
      sockets.push(ws)
      const joined = await new Promise<boolean>((resolve) => {
        ws.once('open', () => ws.send(CONNECT))
        ws.once('message', () => resolve(true))
        ws.once('close', () => resolve(false))
        ws.once('error', () => resolve(false))
        setTimeout(() => resolve(false), 20_000)
      })
      if (joined) admitted++
      else refused++
    })
    await Promise.all(batch)
  }
  return { admitted, refused }
}

interface Flooder {
  stop(): void
  frames(): number
  closes(): number
  reasons(): string[]
}

/** One socket sending `frame(n)` ~FLOOD_PER_SECOND times a second, reconnecting when closed. */
function flood(url: () => string, frame: (n: number) => string): Flooder {
  let stopped = false
  let frames = 0
  let closes = 0
  const reasons = new Set<string>()
  let ws: WebSocket | null = null
  let timer: ReturnType<typeof setInterval> | null = null
  const connect = () => {
    if (stopped) return
    const socket = new WebSocket(url())
    ws = socket
    socket.on('error', () => {})
    socket.once('open', () => {
      socket.send(CONNECT)
      let n = 0
      timer = setInterval(() => {
        for (let i = 0; i < FLOOD_PER_SECOND / 100 && socket.readyState === WebSocket.OPEN; i++) {
          socket.send(frame(++n))
          frames++
        }
      }, 10)
    })
    socket.once('close', (code, reason) => {
      if (timer) clearInterval(timer)
      if (stopped) return
      closes++
      reasons.add(`${code} ${String(reason)}`.trim())
      setTimeout(connect, 100)
    })
  }
  connect()
  return {
    stop() {
      stopped = true
      if (timer) clearInterval(timer)
      ws?.terminate()
    },
    frames: () => frames,
    closes: () => closes,
    reasons: () => [...reasons],
  }
}

const presence = InstancePresenceRecordType.create({
  id: InstancePresenceRecordType.createId('flood'),
  userId: 'user:flood' as TLUserId,
  userName: 'flood',
  currentPageId: 'page:page' as TLPageId,
})
function presenceFrame(n: number) {
  const cursor = { x: n % 1000, y: n % 700, type: 'default', rotation: 0 }
  return JSON.stringify({
    type: 'push',
    clientClock: n,
    presence: ['put', { ...presence, cursor }],
  })
}
function pushFrame(n: number) {
  return JSON.stringify(pushNewShape(`shape:flood${n}`, n))
}

/** RSS in bytes of every process in `pid`'s process group (partykit and its workerd). */
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0)

function groupRss(pid: number | undefined): number {
  if (pid === undefined) return NaN
  return [...processRss(pid).values()].reduce((sum, bytes) => sum + bytes, 0)
}

/** RSS of each process in the server's process group, by command name (a small profile). */
function processRss(pid: number | undefined): Map<string, number> {
  const byName = new Map<string, number>()
  if (pid === undefined) return byName
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])
      if (pgrp !== pid) continue
      const status = readFileSync(`/proc/${entry}/status`, 'utf8')
      const name = /Name:\s+(\S+)/.exec(status)?.[1] ?? entry
      const bytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024
      byName.set(name, (byName.get(name) ?? 0) + bytes)
    } catch {
      // The process ended meanwhile.
    }
  }
  return byName
}

async function switchbackTarget(): Promise<Target> {
  const server = await startServer({ withoutApp: true, vars: { MAX_VIEWERS: '250' } })
  console.log(`switchback: started \`${server.command}\``)
  return {
    name: 'switchback',
    async board() {
      const roomId = nanoid(22)
      const res = await fetch(`${server.url}${boardPath(roomId)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      })
      if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`)
      const { participantKey } = createBoardResponseSchema.parse(await res.json())
      const ws = `${server.url.replace(/^http/, 'ws')}${boardPath(roomId)}`
      const ids = () => {
        const id = nanoid()
        return `sessionId=${id}&storeId=${id}`
      }
      return {
        // A participant trades the key for a one-time socket ticket, as the app does.
        participant: async () =>
          `${ws}?t=${await socketTicket(server.url, roomId, participantKey)}&${ids()}`,
        viewer: () => `${ws}?${ids()}`,
      }
    },
    pid: () => server.pid(),
    stop: () => server.stop(),
  }
}

async function bareTarget(): Promise<Target> {
  const { server, port } = await startBareServer()
  console.log(`bare: TLSocketRoom + ws on 127.0.0.1:${port}`)
  return {
    name: 'bare',
    async board() {
      const roomId = nanoid(22)
      const url = () => {
        const id = nanoid()
        return `ws://127.0.0.1:${port}/${roomId}?sessionId=${id}&storeId=${id}`
      }
      return { participant: url, viewer: url }
    },
    pid: () => server.child.pid,
    stop: () => stopProcess(server),
  }
}

function printTable(results: Map<string, Result | Error>) {
  const rows = [
    '| server | quiet p50 | p95 | flood p50 | p95 | timeouts | RSS before | peak | after | after/before |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ]
  for (const [name, r] of results) {
    if (r instanceof Error) {
      rows.push(`| ${name} | failed: ${r.message.split('\n')[0].slice(0, 80)} |`)
      continue
    }
    rows.push(
      `| ${name} | ${ms(r.quiet.p50)} | ${ms(r.quiet.p95)} | ${ms(r.flood.p50)} | ${ms(r.flood.p95)}` +
        ` | ${r.flood.timeouts} | ${mib(r.rss.before)} MiB | ${mib(r.rss.peak)} MiB` +
        ` | ${mib(r.rss.after)} MiB | ${(r.rss.after / r.rss.before).toFixed(2)}x |`,
    )
  }
  console.log(
    `\nParticipants' edit-to-peer latency in ms, and server memory:\n\n${rows.join('\n')}`,
  )
  for (const [name, r] of results) {
    if (r instanceof Error) continue
    console.log(
      `\n${name}: viewers ${r.viewers.admitted} in / ${r.viewers.refused} refused;` +
        ` flooders sent ${r.flooders.frames} frames, were closed ${r.flooders.closes} times` +
        (r.flooders.closeReasons.length ? ` (${r.flooders.closeReasons.join('; ')})` : ''),
    )
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}
