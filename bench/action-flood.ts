/**
 * Action-flood benchmark: does a flood of cheap workshop actions slow the board for everyone?
 *
 * Any session may post a few workshop actions a second (viewers `following`, participants
 * `name`), and each used to send the new state to every session, so twenty scripts made the
 * room's traffic grow with their pace times the room's size. Here two participants edit
 * (headless tldraw clients; the sample is one edit's time to the other, as in `abuse`) while
 * 30 sockets listen (the facilitator, with "follow me" on, 19 participants and 10 viewers).
 * In each of `BENCH_FLOOD_ROUNDS` (3) rounds, `BENCH_FLOOD_EDITS` (60) edits are timed quiet,
 * then as many while 20 sockets flood: 10 viewers toggling `following` and 10 participants
 * renaming themselves, each posting `BENCH_FLOOD_RATE` (10) actions a second: their whole
 * allowance, so every action is accepted and fans out (above it, the extra posts are 429s);
 * then, as a control, as many requests with forged tokens (refused at once, 401): what the
 * HTTP requests cost by themselves, whatever the actions do. Printed: the edit p50 / p95 quiet and during the flood, pooled over the
 * rounds (the flood's p95 must stay within 20 % of the quiet one), the actions accepted and
 * refused, the messages and bytes the 30 listeners were sent during the flood (all frames,
 * and the workshop's, the facilitator's share), and the CPU of this process (the load
 * generator: flooders, listeners and clients) and of the server's process group.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { nanoid } from 'nanoid'
import { boardPath, createBoardResponseSchema, facilitationPath } from '../src/protocol'
import { socketTicket } from '../test/support/raw-socket'
import { workshopMember, type WorkshopMember } from '../test/support/raw-workshop'
import { startServer } from '../test/support/server'
import { timedEdits } from './abuse'
import { connectClient } from './sync-client'
import { load, ms, printMachine } from './sync'

const FLOOD_RATE = Number(process.env.BENCH_FLOOD_RATE ?? 10)
const EDITS = Number(process.env.BENCH_FLOOD_EDITS ?? 60)
const ROUNDS = Number(process.env.BENCH_FLOOD_ROUNDS ?? 3)
/** tldraw's client pings every 5 s. */
const PING_MS = 5_000
/** The flood's p95 may be at most this much above the quiet one. */
const ALLOWED_RISE = 1.2

const personKey = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')

export async function run(): Promise<void> {
  printMachine()
  console.log(
    `2 editing participants, 30 listeners (facilitator following on, 19 participants,` +
      ` 10 viewers); 20 flooders (10 viewers toggling following, 10 participants renaming)` +
      ` at ${FLOOD_RATE} actions/s each; ${ROUNDS} rounds of ${EDITS} edits quiet, then flooded\n`,
  )
  const server = await startServer({ withoutApp: true })
  console.log(`switchback: started \`${server.command}\``)
  const members: WorkshopMember[] = []
  // tldraw's room drops a session silent for 20 s, and its workshop token with it (the
  // flooders' posts would turn into 401s, the listeners would stop counting): ping as
  // tldraw's own client does.
  const keepAlive = setInterval(() => {
    for (const m of members) m.socket.send({ type: 'ping' })
  }, PING_MS)
  try {
    const roomId = nanoid(22)
    const res = await fetch(`${server.url}${boardPath(roomId)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    })
    if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`)
    const { participantKey, facilitatorSecret } = createBoardResponseSchema.parse(await res.json())
    const ws = `${server.url.replace(/^http/, 'ws')}${boardPath(roomId)}`
    const editorUrl = async () => {
      const id = nanoid()
      const ticket = await socketTicket(server.url, roomId, participantKey, personKey())
      return `${ws}?t=${ticket}&sessionId=${id}&storeId=${id}&u=person-${id}`
    }
    const editor = await connectClient(await editorUrl())
    const peer = await connectClient(await editorUrl())
    const join = async (secret: string | undefined, i: number, role: string) => {
      const key = secret ? personKey() : undefined
      const m = await workshopMember(server.url, roomId, secret, key, { u: `person-${role}${i}x` })
      members.push(m)
      return m
    }
    const facilitator = await join(facilitatorSecret, 0, 'fac')
    await facilitator.act({ type: 'name', name: 'Fran' })
    await facilitator.act({ type: 'follow-start' })
    const listeners = [facilitator]
    for (let i = 0; i < 19; i++) listeners.push(await join(participantKey, i, 'listen'))
    for (let i = 0; i < 10; i++) listeners.push(await join(undefined, i, 'watch'))
    const flooders: WorkshopMember[] = []
    for (let i = 0; i < 10; i++) flooders.push(await join(undefined, i, 'follow'))
    for (let i = 0; i < 10; i++) flooders.push(await join(participantKey, i, 'rename'))

    const edits = timedEdits(editor, peer)
    await edits(5) // warm-up: creates the shape
    await sleep(1000)
    /** `count` edits' times to the peer, one sample each (so rounds can be pooled). */
    const sample = async (count: number, into: number[]) => {
      for (let i = 0; i < count; i++) into.push((await edits(1)).p50)
    }
    // Quiet and flood alternate, so that a machine shared with other work (its load drifts)
    // weighs on both alike; each figure pools its rounds.
    const quiet: number[] = []
    const during: number[] = []
    /** The same requests with a token the board never gave: refused before any work. */
    const control: number[] = []
    const controlCounts = { accepted: 0, refused: 0 }
    const totals = { seconds: 0, quietSeconds: 0, accepted: 0, refused: 0, generatorCpu: 0 }
    const serverCpu = { quiet: new Map<string, number>(), flood: new Map<string, number>() }
    const sent = { messages: 0, bytes: 0, workshop: 0, franMessages: 0, franBytes: 0 }
    for (let round = 1; round <= ROUNDS; round++) {
      const quietCpu = groupCpu(server.pid())
      const quietStarted = performance.now()
      await sample(EDITS, quiet)
      totals.quietSeconds += (performance.now() - quietStarted) / 1000
      cpuSince(quietCpu, groupCpu(server.pid()), serverCpu.quiet)
      const before = received(listeners)
      const franBefore = received([facilitator])
      const cpu = process.cpuUsage()
      const floodCpu = groupCpu(server.pid())
      const started = performance.now()
      const flood = startFlood(server.url, roomId, flooders, totals)
      await sleep(1000)
      await sample(EDITS, during)
      await flood.stop()
      const cpuUsed = process.cpuUsage(cpu)
      totals.seconds += (performance.now() - started) / 1000
      totals.generatorCpu += (cpuUsed.user + cpuUsed.system) / 1e6
      cpuSince(floodCpu, groupCpu(server.pid()), serverCpu.flood)
      // What the flood's last actions caused arrives within a pacing window: counted too.
      await sleep(500)
      const after = received(listeners)
      const franAfter = received([facilitator])
      sent.messages += after.messages - before.messages
      sent.bytes += after.bytes - before.bytes
      sent.workshop += after.workshop - before.workshop
      sent.franMessages += franAfter.workshop - franBefore.workshop
      sent.franBytes += franAfter.workshopBytes - franBefore.workshopBytes
      // The control: as many requests, each refused at once (401), to tell what the requests
      // themselves cost the server (and the machine) from what the actions do.
      const controlFlood = startFlood(server.url, roomId, flooders, controlCounts, true)
      await sleep(1000)
      await sample(EDITS, control)
      await controlFlood.stop()
      await sleep(500)
      console.log(
        `round ${round}: p95 quiet ${ms(percentile(quiet, 95))}, action flood` +
          ` ${ms(percentile(during, 95))}, refused-request flood ${ms(percentile(control, 95))}` +
          ` ms (pooled so far)`,
      )
    }
    printReport({ quiet, during, control, ...totals, ...sent, serverCpu })
    editor.close()
    peer.close()
  } finally {
    clearInterval(keepAlive)
    for (const m of members) m.socket.close()
    await server.stop()
  }
  console.log(`\n${load()} at the end`)
}

/**
 * The flooders posting at FLOOD_RATE each until `stop`, from a worker thread: the load
 * generator must not share an event loop with the two clients whose edits are timed, or the
 * figure would be the generator's, not the server's. The worker posts with each flooder's
 * token (from its welcome; its socket stays open here) and reports accepted and refused.
 */
function startFlood(
  serverUrl: string,
  roomId: string,
  flooders: WorkshopMember[],
  counts: { accepted: number; refused: number },
  /** Post with tokens the board never gave (the control: each refused before any work). */
  forged = false,
) {
  const tokens = flooders.map((f) => {
    const welcome = f.customs().find((m) => m.type === 'welcome')
    if (typeof welcome?.token !== 'string') throw new Error('a flooder has no token')
    return forged ? `forged-${welcome.token.slice(7)}` : welcome.token
  })
  const worker = new Worker(FLOOD_WORKER, {
    eval: true,
    workerData: {
      url: new URL(facilitationPath(roomId), serverUrl).toString(),
      tokens,
      rate: FLOOD_RATE,
    },
  })
  const done = new Promise<void>((resolve, reject) => {
    worker.once('message', (result: { accepted: number; refused: number }) => {
      counts.accepted += result.accepted
      counts.refused += result.refused
      resolve()
    })
    worker.once('error', reject)
  })
  return {
    stop: async () => {
      worker.postMessage('stop')
      await done
      await worker.terminate()
    },
  }
}

/**
 * The worker's code (plain JavaScript, run as is): the first half of the tokens toggle
 * `following`, the second half rename themselves, each on its own even schedule.
 */
const FLOOD_WORKER = `
const { workerData, parentPort } = require('node:worker_threads')
const { url, tokens, rate } = workerData
let stopped = false
const counts = { accepted: 0, refused: 0 }
parentPort.on('message', () => (stopped = true))
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)))
const started = performance.now()
Promise.all(
  tokens.map(async (token, i) => {
    for (let n = 0; !stopped; n++) {
      await sleep(started + (n * 1000) / rate - performance.now())
      if (stopped) return
      const action =
        i < tokens.length / 2
          ? { type: 'following', following: n % 2 === 0 }
          : { type: 'name', name: 'Renamer ' + i + ' take ' + n }
      const answer = await fetch(url, {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + token },
        body: JSON.stringify(action),
      }).catch(() => null)
      await answer?.arrayBuffer().catch(() => null)
      counts[answer?.status === 200 ? 'accepted' : 'refused']++
    }
  }),
).then(() => parentPort.postMessage(counts))
`

/**
 * What these sockets have been sent so far: frames and their characters, and of those the
 * workshop's messages (tldraw's custom messages; the rest is the sync room's own traffic,
 * such as the two editors' changes, which every socket gets).
 */
function received(sockets: WorkshopMember[]) {
  let messages = 0
  let bytes = 0
  let workshop = 0
  let workshopBytes = 0
  for (const { socket } of sockets) {
    messages += socket.raw.length
    for (const frame of socket.raw) {
      bytes += frame.length
      if (frame.includes('"type":"custom"')) {
        workshop++
        workshopBytes += frame.length
      }
    }
  }
  return { messages, bytes, workshop, workshopBytes }
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
}

interface Report {
  quiet: number[]
  during: number[]
  control: number[]
  seconds: number
  accepted: number
  refused: number
  messages: number
  bytes: number
  workshop: number
  franMessages: number
  franBytes: number
  generatorCpu: number
  quietSeconds: number
  /** CPU seconds by server process (workerd is the server; the rest is partykit dev's tooling). */
  serverCpu: { quiet: Map<string, number>; flood: Map<string, number> }
}

function printReport(r: Report) {
  const q = { p50: percentile(r.quiet, 50), p95: percentile(r.quiet, 95) }
  const f = { p50: percentile(r.during, 50), p95: percentile(r.during, 95) }
  const c = { p50: percentile(r.control, 50), p95: percentile(r.control, 95) }
  const rise = f.p95 / q.p95
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`
  const pct = (seconds: number) => share(seconds, r.seconds)
  const share = (seconds: number, of: number) => `${((seconds / of) * 100).toFixed(0)} %`
  console.log(
    [
      '',
      `| edit to peer, ms (${r.quiet.length} edits each) | p50 | p95 |`,
      '|---|--:|--:|',
      `| quiet | ${ms(q.p50)} | ${ms(q.p95)} |`,
      `| action flood | ${ms(f.p50)} | ${ms(f.p95)} |`,
      `| as many refused requests (control) | ${ms(c.p50)} | ${ms(c.p95)} |`,
      '',
      `flood p95 / quiet p95: ${rise.toFixed(2)} (at most ${ALLOWED_RISE}):` +
        ` ${rise <= ALLOWED_RISE ? 'PASS' : 'FAIL'};` +
        ` flood p95 / control p95: ${(f.p95 / c.p95).toFixed(2)}`,
      `actions in ${r.seconds.toFixed(1)} s of flood: ${r.accepted} accepted,` +
        ` ${r.refused} refused`,
      `sent to the 30 listeners during the flood: ${r.messages} frames, ${kb(r.bytes)};` +
        ` workshop messages ${r.workshop} (the facilitator's ${r.franMessages},` +
        ` ${kb(r.franBytes)}); the rest is the sync room's own traffic (the edits)`,
      `CPU during the flood: load generator (this process) ${r.generatorCpu.toFixed(1)} s` +
        ` (${pct(r.generatorCpu)} of one CPU)`,
      `server CPU by process, share of one CPU, quiet → flood: ` +
        [...r.serverCpu.flood]
          .filter(([, seconds]) => seconds > 0.05)
          .map(
            ([name, seconds]) =>
              `${name} ${share(r.serverCpu.quiet.get(name) ?? 0, r.quietSeconds)} →` +
              ` ${share(seconds, r.seconds)}`,
          )
          .join(', '),
    ].join('\n'),
  )
}

/** CPU seconds (user + system) used so far by each process in `pid`'s group, by name. */
function groupCpu(pid: number | undefined): Map<string, number> {
  const byName = new Map<string, number>()
  if (pid === undefined) return byName
  const ticksPerSecond = 100 // Linux's USER_HZ
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(fields[2]) !== pid) continue
      const seconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
      byName.set(name, (byName.get(name) ?? 0) + seconds)
    } catch {
      // The process ended meanwhile.
    }
  }
  return byName
}

/** CPU seconds each process used between two `groupCpu` readings. */
function cpuSince(
  before: Map<string, number>,
  after: Map<string, number>,
  into: Map<string, number>,
) {
  for (const [name, seconds] of after) {
    into.set(name, (into.get(name) ?? 0) + seconds - (before.get(name) ?? 0))
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}
