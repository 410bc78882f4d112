/**
 * A light client for the sync benchmark: a raw socket speaking tldraw's sync protocol (the
 * connect handshake, pushes with a clientClock answered by push_results, pings), with no store
 * behind it, so that one worker thread can run a hundred of them. It moves its cursor as one
 * of two kinds of client (sync-plan.ts: `tldraw` pushes its whole presence 30 times a second,
 * `lane` sends `cursor` frames at most every 50 ms), the editor among them adds shapes, and
 * every client times what reaches it: shapes (send to arrival) and cursors (age on arrival).
 *
 * Send times travel in the data itself, as milliseconds since the plan's epoch: a shape's x, a
 * cursor's x (its y is the sender's number). Every thread reads the same absolute clock
 * (sync-plan.ts `now`), so a receiver in one thread times a sender in another.
 */
import { nanoid } from 'nanoid'
import WebSocket from 'ws'
import type { TLShapeId } from '@tldraw/tlschema'
import { boardPath } from '../src/protocol'
import { socketTicket } from '../test/support/raw-socket'
import { Histogram } from './histogram'
import { geoShape } from './shapes'
import {
  editSchedule,
  now,
  SHAPE_PREFIX,
  shapeIdOf,
  type ClientSpec,
  type Door,
  type EditPhase,
  type Plan,
} from './sync-plan'

/** tldraw's client pushes at most 30 times a second while others are present. */
const TLDRAW_FRAME_MS = 1000 / 30
/** The lane's client sends a cursor frame at most this often (the lane's tick). */
const LANE_FRAME_MS = 50
/** tldraw's client pings every 5 s; a room drops a session it has not heard from in 20 s. */
const PING_MS = 5_000
const CONNECT_TIMEOUT_MS = 30_000
const PRESENCE_PREFIX = 'instance_presence:'

/** What the clients of one worker saw, added up (reported to the main thread per run). */
export class Tally {
  quietEdits = new Histogram()
  movingEdits = new Histogram()
  viewerEdits = new Histogram()
  staleness = new Histogram()
  cursorUpdates = 0
  pushes = { sent: 0, answered: 0, outOfOrder: 0 }
  cursorFrames = 0
  closes = new Map<string, number>()
  workshopCursors: string | null = null

  closed(why: string) {
    this.closes.set(why, (this.closes.get(why) ?? 0) + 1)
  }
}

type Json = Record<string, unknown>
type PresenceOp = ['put', Json] | ['patch', Record<string, unknown[]>]

export class RawSyncClient {
  /** Which edits reached this client within the timeout, by edit number. */
  private received = new Uint8Array(0)
  private phases: EditPhase[] = []
  private plan: Plan | null = null
  private clock = 0
  private nextAnswer = 0
  private timers = new Set<ReturnType<typeof setTimeout>>()
  private ping: ReturnType<typeof setInterval> | null = null
  private closing = false
  /** The crowd mode of the last cursors tick (null: none came). */
  lastMode: string | null = null
  /** Crowd mode in force, from the workshop view: a lane client whose cursor nobody may see sends none. */
  private effectiveMode: string | null = null

  private constructor(
    private readonly ws: WebSocket,
    readonly spec: ClientSpec,
    private readonly tally: Tally,
  ) {}

  /**
   * Opens the socket (trading the door's secret for a ticket first), completes tldraw's
   * handshake and pushes this client's presence once, as tldraw's client does on connect.
   */
  static async open(spec: ClientSpec, tally: Tally, connectJson: string): Promise<RawSyncClient> {
    const ws = new WebSocket(await socketUrl(spec.door))
    const client = new RawSyncClient(ws, spec, tally)
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('no connect answer in time')),
        CONNECT_TIMEOUT_MS,
      )
      const fail = (why: string) => {
        clearTimeout(timer)
        reject(new Error(why))
      }
      ws.once('error', (error) => fail(error.message))
      ws.once('close', (code, reason) => fail(`closed ${code} ${String(reason)}`))
      ws.once('open', () => ws.send(connectJson))
      client.onConnect = (readonly) => {
        clearTimeout(timer)
        if (readonly !== (spec.role === 'viewer')) {
          return reject(new Error(`connected ${readonly ? 'read-only' : 'as an editor'}`))
        }
        resolve()
      }
      ws.on('message', (data) => client.receive(String(data)))
    })
    ws.removeAllListeners('error').removeAllListeners('close')
    ws.on('error', () => {}) // a close follows
    ws.on('close', (code, reason) => {
      client.stopTimers()
      if (!client.closing) tally.closed(`${code} ${String(reason)}`.trim())
    })
    client.ping = setInterval(() => ws.send('{"type":"ping"}'), PING_MS)
    client.push({ presence: ['put', client.presenceRecord()] })
    return client
  }

  private onConnect: (readonly: boolean) => void = () => {}

  /** Follows the plan: the editor's edits, this client's cursor (not a viewer's). */
  start(plan: Plan): void {
    this.plan = plan
    const schedule = editSchedule(plan)
    this.received = new Uint8Array(schedule.length)
    this.phases = schedule.map((edit) => edit.phase)
    if (this.spec.role === 'editor') this.runEdits(schedule)
    if (this.spec.role !== 'viewer') this.runCursor(plan)
  }

  /** Edits that did not arrive within the timeout, by what counts them. */
  missing(): { quiet: number; measured: number } {
    const missing = { quiet: 0, measured: 0 }
    if (this.spec.role === 'editor') return missing
    this.phases.forEach((phase, seq) => {
      if (phase !== 'warm-up' && !this.received[seq]) missing[phase]++
    })
    return missing
  }

  expected(): { quiet: number; measured: number } {
    if (this.spec.role === 'editor') return { quiet: 0, measured: 0 }
    return {
      quiet: this.phases.filter((phase) => phase === 'quiet').length,
      measured: this.phases.filter((phase) => phase === 'measured').length,
    }
  }

  close(): void {
    this.closing = true
    this.stopTimers()
    this.ws.close()
  }

  private stopTimers() {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    if (this.ping) clearInterval(this.ping)
    this.ping = null
  }

  private at(time: number, run: () => void) {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer)
        run()
      },
      Math.max(0, time - now()),
    )
    this.timers.add(timer)
  }

  private send(json: string) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(json)
  }

  private push(body: { diff?: Json; presence?: PresenceOp }) {
    this.send(JSON.stringify({ type: 'push', clientClock: this.clock++, ...body }))
    this.tally.pushes.sent++
  }

  /** One edit after another, each a new shape whose x is its send time. */
  private runEdits(schedule: ReturnType<typeof editSchedule>) {
    const epoch = this.plan!.epoch
    const next = (i: number) => {
      if (i >= schedule.length) return
      this.at(schedule[i].at, () => {
        const id = shapeIdOf(schedule[i].seq)
        const shape = { ...geoShape(id as TLShapeId), x: now() - epoch, y: schedule[i].seq }
        this.push({ diff: { [id]: ['put', shape] } })
        next(i + 1)
      })
    }
    next(0)
  }

  /**
   * The cursor moves every frame from moveStart to measureEnd (each client's frames offset at
   * random, as real people's are); a frame that comes late is dropped, as a busy tab's would be.
   */
  private runCursor(plan: Plan) {
    const every = this.spec.kind === 'tldraw' ? TLDRAW_FRAME_MS : LANE_FRAME_MS
    const first = plan.moveStart + Math.random() * every
    const frame = (k: number) => {
      const due = first + k * every
      if (due >= plan.measureEnd) return
      this.at(due, () => {
        this.moveCursor(now() - plan.epoch)
        frame(Math.max(k + 1, Math.ceil((now() - first) / every)))
      })
    }
    frame(0)
  }

  private moveCursor(t: number) {
    const cursor = { x: t, y: this.spec.index, type: 'default', rotation: 0 }
    const camera = { x: -t / 2, y: -this.spec.index, z: 1 }
    const screenBounds = { x: 0, y: 0, w: 1280 + (Math.round(t) % 2), h: 720 }
    if (this.spec.kind === 'lane') {
      // As the app's client: a participant's cursor nobody may see is not sent (the editor is
      // the facilitator, whose view everyone gets in every mode).
      const hidden = this.effectiveMode === 'facilitators' || this.effectiveMode === 'none'
      if (hidden && this.spec.role !== 'editor') return
      this.send(JSON.stringify({ type: 'cursor', cursor, camera, screenBounds }))
      this.tally.cursorFrames++
      return
    }
    // What tldraw's client pushes when the pointer moves: a patch of its presence record
    // (diffRecord puts these whole, they are not nested keys).
    const lastActivityTimestamp = Math.round(this.plan!.epoch + t)
    this.push({
      presence: [
        'patch',
        {
          cursor: ['put', cursor],
          camera: ['put', camera],
          screenBounds: ['put', screenBounds],
          lastActivityTimestamp: ['put', lastActivityTimestamp],
        },
      ],
    })
  }

  /** This client's presence record as tldraw builds it (the lane's leaves out the fast part). */
  private presenceRecord(): Json {
    const fast = this.spec.kind === 'tldraw' && this.spec.role !== 'viewer'
    return {
      id: `${PRESENCE_PREFIX}${nanoid()}`,
      typeName: 'instance_presence',
      userId: `user:bench${this.spec.index}`,
      userName: `Bench ${this.spec.index}`,
      lastActivityTimestamp: fast ? Date.now() : null,
      followingUserId: null,
      cursor: fast ? { x: 0, y: this.spec.index, type: 'default', rotation: 0 } : null,
      color: '#4f46e5',
      camera: fast ? { x: 0, y: 0, z: 1 } : null,
      screenBounds: fast ? { x: 0, y: 0, w: 1280, h: 720 } : null,
      selectedShapeIds: [],
      currentPageId: 'page:page',
      brush: null,
      scribbles: [],
      chatMessage: '',
      meta: {},
    }
  }

  private receive(text: string) {
    const arrived = now()
    let message: Json
    try {
      message = JSON.parse(text) as Json
    } catch {
      return
    }
    if (message.type === 'data' && Array.isArray(message.data)) {
      for (const part of message.data as Json[]) this.handle(part, arrived)
    } else this.handle(message, arrived)
  }

  private handle(message: Json, arrived: number) {
    switch (message.type) {
      case 'connect':
        return this.onConnect(message.isReadonly === true)
      case 'push_result':
        if (message.clientClock !== this.nextAnswer) this.tally.pushes.outOfOrder++
        this.nextAnswer = Number(message.clientClock) + 1
        this.tally.pushes.answered++
        return
      case 'patch':
        return this.patch(message.diff as Record<string, unknown[]> | undefined, arrived)
      case 'custom':
        return this.custom(message.data as Json | undefined, arrived)
    }
  }

  private patch(diff: Record<string, unknown[]> | undefined, arrived: number) {
    if (!diff || !this.plan) return
    for (const id in diff) {
      const op = diff[id]
      if (id.startsWith(SHAPE_PREFIX)) {
        if (op[0] === 'put') this.shapeArrived(id, op[1] as { x: number }, arrived)
      } else if (id.startsWith(PRESENCE_PREFIX)) {
        const cursor =
          op[0] === 'put'
            ? (op[1] as { cursor?: { x: number } | null }).cursor
            : op[0] === 'patch'
              ? presenceCursorPut(op[1] as Record<string, unknown[]>)
              : null
        if (cursor) this.cursorArrived(cursor.x, arrived)
      }
    }
  }

  private shapeArrived(id: string, shape: { x: number }, arrived: number) {
    const plan = this.plan!
    const seq = Number(id.slice(SHAPE_PREFIX.length))
    const phase = this.phases[seq]
    if (phase === undefined || phase === 'warm-up' || this.received[seq]) return
    const latency = arrived - (plan.epoch + shape.x)
    const tally = this.tally
    if (this.spec.role === 'viewer') tally.viewerEdits.record(latency)
    else if (phase === 'quiet') tally.quietEdits.record(latency)
    else tally.movingEdits.record(latency)
    if (latency <= plan.deliveryTimeoutMs) this.received[seq] = 1
  }

  private cursorArrived(x: number, arrived: number) {
    const plan = this.plan!
    if (this.spec.role === 'viewer' || arrived < plan.measureStart || arrived >= plan.measureEnd) {
      return
    }
    this.tally.cursorUpdates++
    this.tally.staleness.record(arrived - (plan.epoch + x))
  }

  /** The lane's ticks, and the workshop's view of crowd mode. */
  private custom(data: Json | undefined, arrived: number) {
    if (data?.type === 'cursors') {
      if (typeof data.mode === 'string') this.lastMode = data.mode
      if (!Array.isArray(data.moved) || !this.plan) return
      for (const entry of data.moved as unknown[][]) {
        const cursor = entry[1] as number[] | null
        if (cursor) this.cursorArrived(cursor[0], arrived)
      }
    } else if (data?.type === 'state') {
      const cursors = (data.view as Json | undefined)?.cursors
      if (cursors) this.tally.workshopCursors = JSON.stringify(cursors)
      const effective = (cursors as Json | undefined)?.effective
      if (typeof effective === 'string') this.effectiveMode = effective
    }
  }
}

/** The cursor in a presence patch, when the patch puts one. */
function presenceCursorPut(diff: Record<string, unknown[]>): { x: number } | null {
  const op = diff.cursor
  return op?.[0] === 'put' ? (op[1] as { x: number } | null) : null
}

async function socketUrl(door: Door): Promise<string> {
  const id = nanoid()
  const session = `sessionId=${id}&storeId=${id}`
  if (door.kind === 'url') return `${door.url}${door.url.includes('?') ? '&' : '?'}${session}`
  const ws = `${door.httpBase.replace(/^http/, 'ws')}${boardPath(door.roomId)}`
  if (door.kind === 'viewer') return `${ws}?${session}`
  // A ticket per socket, as the app trades its key: a secret never goes in a socket address.
  return `${ws}?t=${await socketTicket(door.httpBase, door.roomId, door.secret)}&${session}`
}
