/**
 * Facilitation benchmark: how long a facilitator's step change and timer start take to reach
 * every participant, at N = 10, 50 and 100 participants, next to an edit's fan-out in the
 * same room.
 *
 * Each N gets a fresh board from the retro template (it has an agenda), one facilitator socket
 * and N participant sockets: raw sync sockets (tldraw's handshake, then pings), each with its
 * own socket ticket and person id, each waiting for its facilitation welcome. One repetition
 * is, one after the other:
 * - step: the facilitator posts `{ type: 'step', … , bringEveryone: false }` with its token;
 *   the sample is the time from the POST until the last participant has the `state` message
 *   with that step;
 * - timer: the same with `timer-start` (each start has its own duration, so it is recognised);
 * - edit: one participant pushes a new shape; the sample is the time from the push until the
 *   last of the other N - 1 participants has the patch with it;
 * - message (issue 20): with the N in breakout groups of about 4, the facilitator's line to every
 *   group, until the last participant has it: the per-group views (each participant sees only
 *   their group's names) against the step's one view for all;
 * - hand: one participant raises their hand (then lowers it, unmeasured), until the
 *   facilitator's queue has it: the one receiver the server sends it to.
 * So a sample is the whole fan-out (the slowest receiver), one per repetition and kind.
 *
 * All sockets live in this one Node process, so a late receiver's time includes the client
 * side reading the earlier receivers' frames (well under a millisecond each).
 *
 * The server is started with `MAX_EDITORS=150`: N = 100 participants and the facilitator are
 * 101 editors (the default takes 200).
 * Environment: BENCH_FACILITATION_SIZES (e.g. "10,50"), BENCH_FACILITATION_REPEATS (30).
 */
import { nanoid } from 'nanoid'
import WebSocket from 'ws'
import { readAgenda } from '../src/board/agenda'
import { boardPath, createBoardResponseSchema, facilitationPath } from '../src/protocol'
import {
  facilitationMessageSchema,
  type FacilitationAction,
  type FacilitationView,
} from '../src/protocol/facilitation'
import { boardSocketPath, connectMessage, pushNewShape } from '../test/support/raw-socket'
import { frame } from '../test/support/raw-records'
import { BIG_ROOM_LIMITS } from '../src/protocol/big-rooms'
import { startServer, type TestServer } from '../test/support/server'
import { listFromEnv, load, ms, printMachine, withTimeout } from './sync'

const SIZES = [...new Set(listFromEnv('BENCH_FACILITATION_SIZES') ?? [10, 50, 100])]
const REPEATS = Number(process.env.BENCH_FACILITATION_REPEATS ?? 30)
/** One unmeasured repetition first: warms up the room's paths and the clients. */
const WARMUP = 1
/**
 * Pause between two measured changes, so one's fan-out never overlaps the next, and longer
 * than the state pacer's window (`STATE_PACE`, 150 ms): five changes a repetition 100 ms apart
 * empty each session's burst, and every state then waits for its window.
 */
const GAP_MS = 200
const TIMEOUT_MS = 15_000
const SETTLE_MS = 1000
const CONNECT_BATCH = 25
/** tldraw's server drops a session silent for 20 s; its own client pings every 5 s. */
const PING_MS = 5000
const MAX_EDITORS = 150

const CONNECT = JSON.stringify(connectMessage('bench'))

const KINDS = ['step', 'timer', 'edit', 'message', 'hand'] as const
type Kind = (typeof KINDS)[number]

interface Stats {
  samples: number
  p50: number
  p95: number
  max: number
}

/** A server message, as far as this bench reads it. */
interface Message {
  type: string
  data?: unknown
  diff?: Record<string, unknown>
}

/** A raw sync socket that has joined the board and been welcomed to the workshop. */
interface Client {
  token: string
  send(data: object): void
  /** Calls `listener` with every message (batches unpacked) and the time it arrived. */
  listen(listener: (message: Message, at: number) => void): void
  close(): void
}

export async function run(): Promise<void> {
  printMachine()
  console.log(
    `sizes N = ${SIZES.join(', ')} participants + 1 facilitator; ${REPEATS} measured repetitions` +
      ` per N (+${WARMUP} warm-up) of step, timer start and edit, >= ${GAP_MS} ms apart;` +
      ` a sample is the time until the last receiver has it\n`,
  )
  const server = await startServer({
    withoutApp: true,
    vars: { MAX_EDITORS: String(MAX_EDITORS) },
  })
  console.log(`switchback: started \`${server.command}\`\n`)
  try {
    const results = new Map<number, Record<Kind, Stats> & { answer: Stats }>()
    for (const n of SIZES) {
      await sleep(SETTLE_MS)
      const result = await measure(server, n)
      results.set(n, result)
      console.log(
        `N=${String(n).padEnd(3)} ` +
          KINDS.map((kind) => `${kind} p50 ${ms(result[kind].p50)}`).join('  ') +
          `  (facilitator's POST answered p50 ${ms(result.answer.p50)}) ms`,
      )
    }
    printTable(results)
    console.log(`\n${load()} at the end`)
  } finally {
    await server.stop()
  }
}

async function measure(server: TestServer, n: number) {
  const board = await createBoard(server.url)
  const clients: Client[] = []
  try {
    const facilitator = await connect(server.url, board.roomId, board.facilitatorSecret, 'fac')
    clients.push(facilitator)
    for (let i = 0; i < n; i += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, n - i) }, (_, j) =>
        connect(server.url, board.roomId, board.participantKey, `p${i + j}`),
      )
      clients.push(...(await Promise.all(batch)))
    }
    const participants = clients.slice(1)
    const [editor, ...peers] = participants

    const post = (action: FacilitationAction, by: Client = facilitator) =>
      fetch(`${server.url}${facilitationPath(board.roomId)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${by.token}` },
        body: JSON.stringify(action),
      })
    const act = async (action: FacilitationAction, by: Client = facilitator) => {
      const answer = await post(action, by)
      if (!answer.ok) throw new Error(`${action.type}: ${answer.status} ${await answer.text()}`)
    }
    await startBreakouts(
      facilitator,
      post,
      board.pageId,
      Math.min(BIG_ROOM_LIMITS.maxGroups, Math.max(2, Math.ceil(n / 4))),
    )

    // Every receiver reports each message to the one change being waited for, if any.
    let waiting: {
      kind: Kind
      matches(message: Message): boolean
      pending: Set<Client>
      done(at: number): void
    } | null = null
    for (const client of clients) {
      client.listen((message, at) => {
        const wait = waiting
        if (!wait || !wait.pending.has(client) || !wait.matches(message)) return
        wait.pending.delete(client)
        if (wait.pending.size === 0) wait.done(at)
      })
    }
    /** Runs `start` and resolves with the time until every receiver has what `matches`. */
    const fanOut = async (
      kind: Kind,
      receivers: Client[],
      matches: (message: Message) => boolean,
      start: () => Promise<void> | void,
    ) => {
      const pending = new Set(receivers)
      let startedAt = 0
      const arrived = new Promise<number>((resolve) => {
        waiting = { kind, matches, pending, done: (at) => resolve(at - startedAt) }
      })
      startedAt = performance.now()
      await start()
      let elapsed = 0
      await withTimeout(
        arrived.then((value) => void (elapsed = value)),
        TIMEOUT_MS,
        () => `N=${n} ${kind}: ${receivers.length - pending.size}/${receivers.length} in time`,
      )
      waiting = null
      return elapsed
    }

    const samples: Record<Kind | 'answer', number[]> = {
      step: [],
      timer: [],
      edit: [],
      message: [],
      hand: [],
      answer: [],
    }
    const steps = board.agenda.steps.length
    for (let rep = 0; rep < WARMUP + REPEATS; rep++) {
      const keep = (kind: Kind | 'answer', value: number) => {
        if (rep >= WARMUP) samples[kind].push(value)
      }

      // Step rep % steps: never the step the board is on already.
      const step = { instance: board.agenda.instance, index: rep % steps }
      keep(
        'step',
        await fanOut(
          'step',
          participants,
          (m) => {
            const view = stateView(m)
            return view?.step?.instance === step.instance && view.step.index === step.index
          },
          async () => {
            const sent = performance.now()
            await act({ type: 'step', step, bringEveryone: false })
            keep('answer', performance.now() - sent)
          },
        ),
      )
      await sleep(GAP_MS)

      const durationMs = 10 * 60_000 + rep * 1000
      keep(
        'timer',
        await fanOut(
          'timer',
          participants,
          (m) => {
            const timer = stateView(m)?.timer
            return timer?.status === 'running' && timer.durationMs === durationMs
          },
          () => act({ type: 'timer-start', durationMs }),
        ),
      )
      await sleep(GAP_MS)

      const shapeId = `shape:bench-${n}-${rep}`
      keep(
        'edit',
        await fanOut(
          'edit',
          peers,
          (m) => m.type === 'patch' && m.diff !== undefined && shapeId in m.diff,
          () => editor.send(newShape(shapeId, rep + 1, board.pageId)),
        ),
      )
      await sleep(GAP_MS)

      const text = `${rep + 1} minutes left`
      keep(
        'message',
        await fanOut(
          'message',
          participants,
          (m) => stateView(m)?.breakouts?.message?.text === text,
          () => act({ type: 'breakout-message', text }),
        ),
      )
      await sleep(GAP_MS)

      keep(
        'hand',
        await fanOut(
          'hand',
          [facilitator],
          (m) => (stateView(m)?.hands.queue.length ?? 0) > 0,
          () => act({ type: 'hand-raise' }, editor),
        ),
      )
      await act({ type: 'hand-lower' }, editor)
      await sleep(GAP_MS)
    }
    return {
      step: summarize(samples.step),
      timer: summarize(samples.timer),
      edit: summarize(samples.edit),
      message: summarize(samples.message),
      hand: summarize(samples.hand),
      answer: summarize(samples.answer),
    }
  } finally {
    for (const client of clients) client.close()
  }
}

/**
 * Puts a source frame and one frame per group on the board (a facilitator's push), then starts
 * random breakouts on them; the start is retried until the room has the frames.
 */
async function startBreakouts(
  facilitator: Client,
  post: (action: FacilitationAction) => Promise<Response>,
  pageId: string,
  groups: number,
) {
  const ids = Array.from({ length: groups + 1 }, (_, i) => `shape:bench-frame-${i}`)
  const diff = Object.fromEntries(
    ids.map((id, i) => [
      id,
      ['put', { ...frame(id, 4000 + i * 900, 0, 800, 600, `Frame ${i}`), parentId: pageId }],
    ]),
  )
  facilitator.send({ type: 'push', clientClock: 1, diff })
  const [source, ...copies] = ids
  const start: FacilitationAction = {
    type: 'breakout-start',
    source,
    groups: copies.map((frameId, i) => ({ frameId, label: `Group ${i + 1}` })),
    assign: 'random',
  }
  for (let tries = 0; ; tries++) {
    const answer = await post(start)
    if (answer.ok) return
    if (tries > 50) throw new Error(`breakout-start: ${answer.status} ${await answer.text()}`)
    await sleep(100)
  }
}

/** A board from the retro template, with its agenda's first section and its page. */
async function createBoard(serverUrl: string) {
  const roomId = nanoid(22)
  const created = await fetch(`${serverUrl}${boardPath(roomId)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ templateId: 'retro' }),
  })
  if (created.status !== 201) {
    throw new Error(`create board: ${created.status} ${await created.text()}`)
  }
  const secrets = createBoardResponseSchema.parse(await created.json())
  const backup = await fetch(`${serverUrl}${boardPath(roomId)}`)
  if (!backup.ok) throw new Error(`read board: ${backup.status} ${await backup.text()}`)
  const { store } = (await backup.json()) as {
    store: Record<string, { typeName: string; id: string; meta?: unknown }>
  }
  const records = Object.values(store)
  const agenda = readAgenda(records.find((r) => r.typeName === 'document')?.meta)[0]
  const pageId = records.find((r) => r.typeName === 'page')?.id
  if (!agenda || agenda.steps.length < 2 || !pageId) {
    throw new Error('the retro board has no agenda of two steps or more, or no page')
  }
  return { ...secrets, agenda, pageId }
}

/** Opens a socket with a fresh ticket, joins the sync room and waits for the welcome. */
async function connect(
  serverUrl: string,
  roomId: string,
  secret: string,
  name: string,
): Promise<Client> {
  const personId = `bench-${name}-${nanoid(8)}`
  const url = new URL(await boardSocketPath(serverUrl, roomId, secret, { u: personId }), serverUrl)
  url.protocol = 'ws:'
  const ws = new WebSocket(url)
  const listeners: ((message: Message, at: number) => void)[] = []
  ws.on('message', (data) => {
    const at = performance.now()
    const parsed = JSON.parse(String(data)) as Message
    const messages = parsed.type === 'data' ? (parsed.data as Message[]) : [parsed]
    for (const message of messages) for (const listener of listeners) listener(message, at)
  })
  ws.on('error', () => {})
  const send = (data: object) => ws.send(JSON.stringify(data))
  let ping: ReturnType<typeof setInterval> | undefined

  const token = await withTimeoutValue(
    new Promise<string>((resolve, reject) => {
      ws.once('open', () => {
        ws.send(CONNECT)
        ping = setInterval(() => send({ type: 'ping' }), PING_MS)
      })
      ws.once('close', (code, reason) =>
        reject(new Error(`${name}: socket closed ${code} ${String(reason)}`)),
      )
      listeners.push((message) => {
        if (message.type !== 'custom') return
        const custom = facilitationMessageSchema.safeParse(message.data)
        if (custom.success && custom.data.type === 'welcome') resolve(custom.data.token)
      })
    }),
    TIMEOUT_MS,
    `${name}: no welcome`,
  )
  listeners.length = 0
  return {
    token,
    send,
    listen: (listener) => listeners.push(listener),
    close() {
      clearInterval(ping)
      ws.close()
    },
  }
}

/** The facilitation view in a `state` custom message, if that is what `message` is. */
function stateView(message: Message): FacilitationView | null {
  if (message.type !== 'custom') return null
  const data = message.data as { type?: string; view?: FacilitationView } | undefined
  return data?.type === 'state' && data.view ? data.view : null
}

/** raw-socket's new rectangle, on this board's page. */
function newShape(id: string, clientClock: number, pageId: string) {
  const push = pushNewShape(id, clientClock)
  const [, record] = push.diff[id] as [string, { parentId: string }]
  record.parentId = pageId
  return push
}

function printTable(results: Map<number, Record<Kind, Stats>>) {
  const rows = [
    '| N | step p50 | p95 | max | timer start p50 | p95 | max | edit p50 | p95 | max |' +
      ' breakout message p50 | p95 | max | hand p50 | p95 | max |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ]
  for (const [n, r] of results) {
    const cells = KINDS.flatMap((kind) => [ms(r[kind].p50), ms(r[kind].p95), ms(r[kind].max)])
    rows.push(`| ${n} | ${cells.join(' | ')} |`)
  }
  console.log(
    `\nFan-out latency in ms, until the last participant has it (edit: the last of N - 1;` +
      ` hand: until the facilitator has it):` +
      `\n\n${rows.join('\n')}`,
  )
}

function summarize(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b)
  // Nearest-rank percentile.
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]
  return { samples: sorted.length, p50: at(50), p95: at(95), max: sorted[sorted.length - 1] }
}

async function withTimeoutValue<T>(promise: Promise<T>, ms: number, message: string) {
  let value: T | undefined
  await withTimeout(
    promise.then((v) => void (value = v)),
    ms,
    () => message,
  )
  return value as T
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}
