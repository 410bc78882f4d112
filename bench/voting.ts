/**
 * Dot-voting benchmark: 50 participants (raw clients) each cast 5 votes within one second.
 *
 * Switchback: one board with 20 stickies, one facilitator socket and N participant sockets,
 * each a raw sync socket with its own ticket, person id and person key (the
 * `X-Switchback-Person` header on its ticket request: the server keys ballots by it). Each
 * round the facilitator starts a vote (5 votes per person, anonymous); then the N × 5 votes are
 * posted on an even schedule across one second (participant i's j-th vote at
 * (i·5 + j) / (N·5) s). Printed per round:
 * - own: from the first vote until every participant's own view counts its 5 dots (`mine`);
 * - totals: until the facilitator's view says N voters and N × 5 dots cast (`progress`);
 * - both also from the last vote sent, the part that is not the schedule's one second;
 * - end: from the facilitator's "end vote" POST until every client (N + the facilitator) has
 *   the `vote-results` message with this vote's result;
 * - one dot: each vote from its POST until its voter's view counts it (p50 / p95 of all).
 *
 * Peer, in the same run: the same N × 5 changes as tldraw record writes through a bare
 * `TLSocketRoom` behind `ws` (bench/bare-sync-server.ts), the plain sync a vote could have been
 * built on (a dot as a record). N writers push their 5 records on the same schedule, one more
 * client watches: "own" is until every writer has its 5 pushes committed, "totals" until the
 * watcher has seen all N × 5 records, and "end" is one record written by the watcher until every
 * writer has it. The bare room has no persistence, no roles and no checks, and sends every dot
 * to everyone (N × 5 × (N + 1) messages), where Switchback stores each vote before answering
 * and sends each person only their own view and the facilitator the totals.
 *
 * All clients live in this one Node process. Environment: BENCH_VOTING_PARTICIPANTS (50),
 * BENCH_VOTING_ROUNDS (5).
 */
import { nanoid } from 'nanoid'
import WebSocket from 'ws'
import { boardPath, createBoardResponseSchema, facilitationPath } from '../src/protocol'
import {
  facilitationMessageSchema,
  type FacilitationAction,
  type FacilitationMessage,
} from '../src/protocol/facilitation'
import { note } from '../test/support/raw-records'
import { boardSocketPath, connectMessage } from '../test/support/raw-socket'
import { startServer } from '../test/support/server'
import { stopProcess } from '../test/support/processes'
import { load, ms, printMachine, startBareServer, withTimeout } from './sync'

const PARTICIPANTS = Number(process.env.BENCH_VOTING_PARTICIPANTS ?? 50)
const ROUNDS = Number(process.env.BENCH_VOTING_ROUNDS ?? 5)
const VOTES = 5
const STICKIES = 20
const SPREAD_MS = 1000
const TIMEOUT_MS = 30_000
const CONNECT_BATCH = 25
const PING_MS = 5000
const GAP_MS = 500

interface Message {
  type: string
  data?: unknown
  diff?: Record<string, unknown>
  clientClock?: number
  action?: string
}

/** A raw sync socket: every message it gets (batches unpacked) goes to its listeners. */
interface Client {
  send(data: object): void
  listen(listener: (message: Message, at: number) => void): void
  close(): void
}

interface Round {
  /** From the first vote (write) until every voter's own count is right. */
  own: number
  /** ... until the facilitator's (watcher's) totals are right. */
  totals: number
  /** The same two, from the last vote sent. */
  ownAfterLast: number
  totalsAfterLast: number
  /** From "end vote" until every client has the result. */
  end: number
  /** Each vote, from its sending until its voter's own count shows it. */
  dots: number[]
  /** Switchback: each vote's POST, until its answer (the vote stored). */
  answered?: number[]
}

export async function run(): Promise<void> {
  printMachine()
  console.log(
    `${PARTICIPANTS} participants × ${VOTES} votes within ${SPREAD_MS} ms (evenly spaced), on ` +
      `${STICKIES} stickies; ${ROUNDS} rounds each against Switchback and a bare TLSocketRoom\n`,
  )
  const server = await startServer({ withoutApp: true })
  const bare = await startBareServer()
  console.log(`switchback: started \`${server.command}\``)
  console.log(`bare: TLSocketRoom + ws on 127.0.0.1:${bare.port}\n`)
  try {
    const ours: Round[] = []
    const theirs: Round[] = []
    const board = await switchbackBoard(server.url)
    try {
      // Round 0 warms both servers' paths and the clients up, and is not counted.
      for (let round = 0; round <= ROUNDS; round++) {
        const our = await switchbackRound(server.url, board, round)
        printRound('switchback', round, our)
        await sleep(GAP_MS)
        const their = await bareRound(bare.port)
        printRound('bare', round, their)
        await sleep(GAP_MS)
        if (round === 0) continue
        ours.push(our)
        theirs.push(their)
      }
    } finally {
      for (const client of board.clients) client.close()
    }
    printTable(ours, theirs)
    console.log(`\n${load()} at the end`)
  } finally {
    await server.stop()
    await stopProcess(bare.server)
  }
}

// ---------------------------------------------------------------------------------------------
// Switchback

interface VotingBoard {
  roomId: string
  stickyIds: string[]
  facilitator: Client & { token: string }
  participants: (Client & { token: string })[]
  clients: Client[]
}

async function switchbackBoard(serverUrl: string): Promise<VotingBoard> {
  const roomId = nanoid(22)
  const created = await fetch(`${serverUrl}${boardPath(roomId)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  })
  if (created.status !== 201) {
    throw new Error(`create board: ${created.status} ${await created.text()}`)
  }
  const secrets = createBoardResponseSchema.parse(await created.json())
  const backup = (await (await fetch(`${serverUrl}${boardPath(roomId)}`)).json()) as {
    store: Record<string, { typeName: string; id: string }>
  }
  const pageId = Object.values(backup.store).find((r) => r.typeName === 'page')?.id
  if (!pageId) throw new Error('the new board has no page')

  const clients: Client[] = []
  const facilitator = await connectSwitchback(serverUrl, roomId, secrets.facilitatorSecret, 'fac')
  clients.push(facilitator)
  // The stickies to vote on, written by the facilitator like any edit.
  const stickyIds = Array.from({ length: STICKIES }, (_, i) => `shape:vote-${i}`)
  const diff = Object.fromEntries(
    stickyIds.map((id, i) => [
      id,
      ['put', note(id, (i % 5) * 240, Math.floor(i / 5) * 240, pageId)],
    ]),
  )
  const committed = new Promise<void>((resolve, reject) =>
    facilitator.listen((m) => {
      if (m.type !== 'push_result' || m.clientClock !== 1) return
      if (m.action === 'commit') resolve()
      else reject(new Error(`the stickies were not written: ${JSON.stringify(m)}`))
    }),
  )
  facilitator.send({ type: 'push', clientClock: 1, diff })
  await withTimeout(committed, TIMEOUT_MS, () => 'the stickies were not written in time')

  const participants: VotingBoard['participants'] = []
  for (let i = 0; i < PARTICIPANTS; i += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, PARTICIPANTS - i) }, (_, j) =>
      connectSwitchback(serverUrl, roomId, secrets.participantKey, `p${i + j}`),
    )
    participants.push(...(await Promise.all(batch)))
  }
  clients.push(...participants)
  return { roomId, stickyIds, facilitator, participants, clients }
}

async function switchbackRound(serverUrl: string, board: VotingBoard, round: number) {
  const act = async (token: string, action: FacilitationAction) => {
    const answer = await fetch(`${serverUrl}${facilitationPath(board.roomId)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: JSON.stringify(action),
    })
    if (!answer.ok) throw new Error(`${action.type}: ${answer.status} ${await answer.text()}`)
  }
  const { facilitator, participants } = board
  const everyone = [facilitator, ...participants]

  // Start the vote, and wait until everyone's view has it.
  let voteId: string | null = null
  const started = waitForAll(everyone, (message) => {
    const vote = facilitation(message)
    if (vote?.type !== 'state' || !vote.view.vote) return false
    voteId = vote.view.vote.id
    return true
  })
  await act(facilitator.token, {
    type: 'vote-start',
    title: `Bench round ${round}`,
    scopeLabel: 'Bench stickies',
    stickyIds: board.stickyIds,
    votesPerPerson: VOTES,
    maxPerSticky: VOTES,
    anonymous: true,
  })
  await withTimeout(started.done, TIMEOUT_MS, () => `round ${round}: the vote did not start`)
  const id = voteId as string | null
  if (!id) throw new Error('no vote id')

  // Every participant's own count (and each dot's time until it shows), the facilitator's totals.
  const sentAt = newSchedule()
  const shown = participants.map(() => 0)
  const dots: number[] = []
  const own = waitForAll(participants, (message, client, at) => {
    const m = facilitation(message)
    if (m?.type !== 'state' || m.view.vote?.id !== id) return false
    const i = participants.indexOf(client)
    const mine = Object.values(m.view.vote.mine).reduce((a, b) => a + b, 0)
    for (; shown[i] < mine; shown[i]++) dots.push(at - sentAt[i][shown[i]])
    return mine === VOTES
  })
  const totals = waitForAll([facilitator], (message) => {
    const m = facilitation(message)
    const progress = m?.type === 'state' && m.view.vote?.id === id ? m.view.vote.progress : null
    return progress?.voters === PARTICIPANTS && progress.cast === PARTICIPANTS * VOTES
  })
  const answered: number[] = []
  const { firstAt, lastAt } = await onSchedule(sentAt, async (i, j) => {
    await act(participants[i].token, {
      type: 'vote',
      stickyId: board.stickyIds[(i + j * 3) % STICKIES],
      change: 1,
    })
    answered.push(performance.now() - sentAt[i][j])
  })
  await withTimeout(
    Promise.all([own.done, totals.done]).then(() => {}),
    TIMEOUT_MS,
    () =>
      `round ${round}: ${own.pending()} participants short of ${VOTES}, totals ${totals.pending() ? 'wrong' : 'right'}`,
  )

  // End it: every client gets the results.
  const ended = waitForAll(everyone, (message) => {
    const m = facilitation(message)
    if (m?.type !== 'vote-results' || m.results[0]?.id !== id) return false
    const cast = m.results[0].totals.reduce((sum, t) => sum + t.count, 0)
    if (cast !== PARTICIPANTS * VOTES) throw new Error(`the result counts ${cast} votes`)
    return true
  })
  const endAt = performance.now()
  await act(facilitator.token, { type: 'vote-end' })
  await withTimeout(
    ended.done,
    TIMEOUT_MS,
    () => `round ${round}: ${ended.pending()} without the results`,
  )

  return {
    own: own.lastAt() - firstAt,
    totals: totals.lastAt() - firstAt,
    ownAfterLast: own.lastAt() - lastAt,
    totalsAfterLast: totals.lastAt() - lastAt,
    end: ended.lastAt() - endAt,
    dots,
    answered,
  }
}

/** Opens a board socket with a fresh ticket for `secret` and a person key of its own. */
async function connectSwitchback(serverUrl: string, roomId: string, secret: string, name: string) {
  const personId = `bench-${name}-${nanoid(8)}`
  const path = await boardSocketPath(serverUrl, roomId, secret, { u: personId }, nanoid(43))
  let token = ''
  let welcomed = () => {}
  const welcome = new Promise<void>((resolve) => (welcomed = resolve))
  const client = await openClient(`${serverUrl.replace(/^http/, 'ws')}${path}`, (message) => {
    // Only until the welcome: later messages are not parsed here again.
    const m = token ? null : facilitation(message)
    if (m?.type !== 'welcome') return
    token = m.token
    welcomed()
  })
  await withTimeout(welcome, TIMEOUT_MS, () => `${name}: no welcome`)
  return { ...client, token }
}

function facilitation(message: Message): FacilitationMessage | null {
  if (message.type !== 'custom') return null
  const parsed = facilitationMessageSchema.safeParse(message.data)
  return parsed.success ? parsed.data : null
}

// ---------------------------------------------------------------------------------------------
// The bare TLSocketRoom peer

async function bareRound(port: number): Promise<Round> {
  const roomId = nanoid(22)
  const url = () => {
    const id = nanoid()
    return `ws://127.0.0.1:${port}/${roomId}?sessionId=${id}&storeId=${id}`
  }
  const watcher = await openClient(url())
  const writers: Client[] = []
  for (let i = 0; i < PARTICIPANTS; i += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, PARTICIPANTS - i) }, () =>
      openClient(url()),
    )
    writers.push(...(await Promise.all(batch)))
  }
  try {
    const sentAt = newSchedule()
    const committed = writers.map(() => 0)
    const dots: number[] = []
    const own = waitForAll(writers, (message, client, at) => {
      if (message.type !== 'push_result') return false
      const i = writers.indexOf(client)
      dots.push(at - sentAt[i][(message.clientClock ?? 1) - 1])
      return ++committed[i] === VOTES
    })
    const seen = new Set<string>()
    const totals = waitForAll([watcher], (message) => {
      if (message.type !== 'patch' || !message.diff) return false
      for (const id of Object.keys(message.diff)) if (id.startsWith('shape:dot-')) seen.add(id)
      return seen.size === PARTICIPANTS * VOTES
    })
    const { firstAt, lastAt } = await onSchedule(sentAt, (i, j) => {
      const id = `shape:dot-${i}-${j}`
      writers[i].send({ type: 'push', clientClock: j + 1, diff: { [id]: ['put', note(id)] } })
    })
    await withTimeout(
      Promise.all([own.done, totals.done]).then(() => {}),
      TIMEOUT_MS,
      () => `bare: ${own.pending()} writers short, watcher has ${seen.size}`,
    )

    const ended = waitForAll(
      writers,
      (message) => message.type === 'patch' && !!message.diff && 'shape:result' in message.diff,
    )
    const endAt = performance.now()
    watcher.send({
      type: 'push',
      clientClock: 1,
      diff: { 'shape:result': ['put', note('shape:result')] },
    })
    await withTimeout(ended.done, TIMEOUT_MS, () => `bare: ${ended.pending()} without the result`)
    return {
      own: own.lastAt() - firstAt,
      totals: totals.lastAt() - firstAt,
      ownAfterLast: own.lastAt() - lastAt,
      totalsAfterLast: totals.lastAt() - lastAt,
      end: ended.lastAt() - endAt,
      dots,
    }
  } finally {
    watcher.close()
    for (const writer of writers) writer.close()
  }
}

// ---------------------------------------------------------------------------------------------
// Shared

/** A raw sync socket that has done tldraw's handshake, with pings to stay connected. */
async function openClient(
  url: string,
  /** Hears every message from the first (the welcome comes with the connect answer). */
  first?: (message: Message, at: number) => void,
): Promise<Client> {
  const ws = new WebSocket(url)
  const listeners: ((message: Message, at: number) => void)[] = first ? [first] : []
  ws.on('message', (data) => {
    const at = performance.now()
    const parsed = JSON.parse(String(data)) as Message
    const messages = parsed.type === 'data' ? (parsed.data as Message[]) : [parsed]
    for (const message of messages) for (const listener of listeners) listener(message, at)
  })
  ws.on('error', () => {})
  const send = (data: object) => ws.send(JSON.stringify(data))
  const connected = new Promise<void>((resolve, reject) => {
    ws.once('open', () => send(connectMessage('bench')))
    ws.once('close', (code, reason) => reject(new Error(`socket closed ${code} ${String(reason)}`)))
    listeners.push((message) => message.type === 'connect' && resolve())
  })
  await withTimeout(connected, TIMEOUT_MS, () => `no connect answer from ${url}`)
  const ping = setInterval(() => send({ type: 'ping' }), PING_MS)
  return {
    send,
    listen: (listener) => listeners.push(listener),
    close() {
      clearInterval(ping)
      ws.close()
    },
  }
}

/**
 * Waits until `matches` has been true for each client; `lastAt` is when the last one got there.
 * A listener stays on its client after that, doing nothing (the clients are short-lived or few).
 */
function waitForAll<C extends Client>(
  clients: C[],
  matches: (message: Message, client: C, at: number) => boolean,
) {
  const pending = new Set(clients)
  let lastAt = 0
  let resolve = () => {}
  let reject = (_: unknown) => {}
  const done = new Promise<void>((yes, no) => {
    resolve = yes
    reject = no
  })
  for (const client of clients) {
    client.listen((message, at) => {
      if (!pending.has(client)) return
      try {
        if (!matches(message, client, at)) return
      } catch (error) {
        reject(error)
        return
      }
      pending.delete(client)
      if (pending.size === 0) {
        lastAt = at
        resolve()
      }
    })
  }
  return { done, pending: () => pending.size, lastAt: () => lastAt }
}

/** Runs `cast(i, j)` for every participant i's vote j, evenly spread over `SPREAD_MS`. */
function newSchedule() {
  return Array.from({ length: PARTICIPANTS }, () => new Array<number>(VOTES).fill(0))
}

async function onSchedule(
  sentAt: number[][],
  cast: (i: number, j: number) => Promise<void> | void,
) {
  const total = PARTICIPANTS * VOTES
  const firstAt = performance.now()
  let lastAt = firstAt
  const sent: Promise<void>[] = []
  await new Promise<void>((allSent) => {
    let left = total
    for (let i = 0; i < PARTICIPANTS; i++) {
      for (let j = 0; j < VOTES; j++) {
        const slot = i * VOTES + j
        setTimeout(
          () => {
            lastAt = performance.now()
            sentAt[i][j] = lastAt
            sent.push(Promise.resolve(cast(i, j)))
            if (--left === 0) allSent()
          },
          (slot * SPREAD_MS) / total,
        )
      }
    }
  })
  await Promise.all(sent)
  return { firstAt, lastAt }
}

function printRound(name: string, round: number, r: Round) {
  console.log(
    `${name.padEnd(10)} round ${round || '0 (warm-up)'}: own ${ms(r.own)} (last +${ms(r.ownAfterLast)})` +
      `  totals ${ms(r.totals)} (last +${ms(r.totalsAfterLast)})  end ${ms(r.end)}` +
      `  dot p50 ${ms(percentile(r.dots, 50))} p95 ${ms(percentile(r.dots, 95))}` +
      (r.answered
        ? ` (POST answered p50 ${ms(percentile(r.answered, 50))} p95 ${ms(percentile(r.answered, 95))})`
        : '') +
      ' ms',
  )
}

function printTable(ours: Round[], theirs: Round[]) {
  type Timing = Exclude<keyof Round, 'dots' | 'answered'>
  const stat = (rounds: Round[], key: Timing) => {
    const values = rounds.map((r) => r[key])
    return `${ms(percentile(values, 50))} / ${ms(Math.max(...values))}`
  }
  const rows = [
    '| | own counts right | after last vote | totals right | after last vote | end → results on all | one dot p50 / p95 |',
    '|:--|--:|--:|--:|--:|--:|--:|',
  ]
  for (const [name, rounds] of [
    ['Switchback', ours],
    ['bare TLSocketRoom', theirs],
  ] as const) {
    const keys: Timing[] = ['own', 'ownAfterLast', 'totals', 'totalsAfterLast', 'end']
    const dots = rounds.flatMap((r) => r.dots)
    const dot = `${ms(percentile(dots, 50))} / ${ms(percentile(dots, 95))}`
    rows.push(`| ${name} | ${keys.map((k) => stat(rounds, k)).join(' | ')} | ${dot} |`)
  }
  console.log(
    `\n${PARTICIPANTS} participants × ${VOTES} votes in ${SPREAD_MS} ms, ms p50 / max over ` +
      `${ours.length} rounds (own and totals from the first vote sent; one dot: from its POST ` +
      `or push until its voter's own count shows it, over every vote of every round):` +
      `\n\n${rows.join('\n')}`,
  )
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}
