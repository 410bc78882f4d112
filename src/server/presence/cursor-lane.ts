/**
 * The cursor lane: each session's pointer and view (camera, screen bounds) sent to the board's
 * sockets on a tick of their own, beside tldraw's sync (see src/protocol/cursors.ts).
 *
 * Why: tldraw's room fans every presence change out as a patch serialised once per receiving
 * session, so 200 moving cursors cost 200 × 200 serialisations 30 times a second. Here each
 * session has one entry, the latest (a client cannot add more: entries are keyed by socket),
 * and a tick every `CURSOR_TICK_MS` sends the entries that changed since the last one. A
 * payload depends only on what its receivers may see (the crowd mode, or "none" for a socket
 * that hid cursors), so each distinct payload is serialised once a tick and the same string
 * goes to every socket that gets it. No timer runs while nothing changes; a socket whose
 * payload holds nothing but its own entry (a person alone) is sent nothing.
 *
 * Visibility, decided here and never by the client: in "everyone" every entry goes out; in
 * "facilitators" only facilitators' entries; in "none" only facilitators' views (follow-me and
 * "bring everyone here" need them) with the cursor left out. What a payload may not show is
 * never put in it, not even as a `gone` id. A facilitator's pointer while it is a laser (the
 * tuple's last `1`) is the exception: it is theirs to show the room, so it goes in every mode and
 * to a socket that hid cursors too (its client draws the laser, not the arrow).
 *
 * Ticks go straight to the socket (not through tldraw's room nor the AckGate: a cursor is never
 * queued behind a write, nor an edit behind cursors), and only to a socket the room has
 * answered `connect` to (`join` is called once that answer is out). A newly joined socket, one
 * that shows cursors again or hides them, and every socket when the mode changes, get a full
 * snapshot (`full: true`), which replaces whatever they had.
 */
import {
  CURSOR_TICK_MS,
  type CursorEntryTuple,
  type CursorFrame,
  type CursorMode,
  type CursorTuple,
  type CursorsTick,
  type ViewTuple,
} from '../../protocol'

interface Entry {
  /** Whether this session's cursor may ever be sent (a viewer's never is). */
  readonly publishes: boolean
  readonly facilitator: boolean
  /** Set once the room answered its connect: it sends and is sent from then on. */
  presenceId: string | null
  send: ((data: string) => void) | null
  /** Whether this person sees others' cursors (`cursor-view`). */
  show: boolean
  /** Sends it a full snapshot at the next tick. */
  needsFull: boolean
  /** Whether it was ever sent a tick (a mode change then clears what it shows). */
  received: boolean
  cursor: CursorTuple | null
  view: ViewTuple | null
  /** What `cursor` and `view` were when last sent (JSON), to tell what changed. */
  sentCursor: string
  sentView: string
  /** What a receiver that sees no cursors was last sent of `cursor` (its laser, or null). */
  sentLaser: string
}

/** A payload made once per tick and the presence ids it names (to spot a payload of one's own). */
interface Payload {
  text: string
  ids: string[]
}

export interface LaneOptions {
  /** The crowd mode in force (crowd-mode.ts). */
  mode(): CursorMode
  tickMs?: number
  now?(): number
  later?(task: () => void, ms: number): () => void
}

const NOTHING = 'null'

export class CursorLane {
  private readonly entries = new Map<string, Entry>()
  /** Sessions whose entry changed since the last tick. */
  private readonly dirty = new Set<string>()
  /** Entries that left since the last tick and were visible to someone. */
  private gone: { presenceId: string; facilitator: boolean }[] = []
  private modeChanged = false
  private cancel: (() => void) | null = null
  private lastTick = -Infinity
  private readonly tickMs: number
  private readonly now: () => number
  private readonly later: (task: () => void, ms: number) => () => void
  /** Ticks sent so far, and strings serialised (tests check that idle costs nothing). */
  readonly stats = { ticks: 0, serialised: 0, sent: 0 }

  constructor(private readonly options: LaneOptions) {
    this.tickMs = options.tickMs ?? CURSOR_TICK_MS
    this.now = options.now ?? (() => Date.now())
    this.later =
      options.later ??
      ((task, ms) => {
        const timer = setTimeout(task, ms)
        return () => clearTimeout(timer)
      })
  }

  /** A socket was admitted: its entry exists from now (its moves kept until it joins). */
  open(sessionId: string, who: { publishes: boolean; facilitator: boolean }): void {
    this.entries.set(sessionId, {
      ...who,
      presenceId: null,
      send: null,
      show: true,
      needsFull: false,
      received: false,
      cursor: null,
      view: null,
      sentCursor: NOTHING,
      sentView: NOTHING,
      sentLaser: NOTHING,
    })
  }

  /** The room's connect answer has gone out to this socket: it is sent ticks from now on. */
  join(sessionId: string, presenceId: string, send: (data: string) => void): void {
    const entry = this.entries.get(sessionId)
    if (!entry || entry.send) return
    entry.presenceId = presenceId
    entry.send = send
    entry.needsFull = true
    if (entry.cursor || entry.view) this.dirty.add(sessionId)
    this.schedule()
  }

  /** The socket closed: its entry goes, and disappears for whoever had it. */
  leave(sessionId: string): void {
    const entry = this.entries.get(sessionId)
    if (!entry) return
    this.entries.delete(sessionId)
    this.dirty.delete(sessionId)
    const sent = entry.sentCursor !== NOTHING || entry.sentView !== NOTHING
    if (entry.presenceId && sent) {
      this.gone.push({ presenceId: entry.presenceId, facilitator: entry.facilitator })
      this.schedule()
    }
  }

  /** The session's pointer and view now (a `cursor` frame, or an old client's presence). */
  move(sessionId: string, frame: Omit<CursorFrame, 'type'>): void {
    const entry = this.entries.get(sessionId)
    if (!entry?.publishes) return
    const cursor: CursorTuple | null = frame.cursor && [
      round(frame.cursor.x),
      round(frame.cursor.y),
      frame.cursor.type,
      round(frame.cursor.rotation, 1e4),
    ]
    if (cursor && frame.laser) cursor.push(1)
    const { camera, screenBounds: b } = frame
    const view: ViewTuple | null =
      camera && b
        ? [
            round(camera.x),
            round(camera.y),
            round(camera.z, 1e4),
            round(b.x),
            round(b.y),
            round(b.w),
            round(b.h),
          ]
        : null
    if (same(entry.cursor, cursor) && same(entry.view, view)) return
    entry.cursor = cursor
    entry.view = view
    if (!entry.send) return
    this.dirty.add(sessionId)
    this.schedule()
  }

  /** Whether this person sees others' cursors (`cursor-view`). */
  show(sessionId: string, show: boolean): void {
    const entry = this.entries.get(sessionId)
    if (!entry || entry.show === show) return
    entry.show = show
    if (!entry.send) return
    entry.needsFull = true
    this.schedule()
  }

  /** The crowd mode in force changed: everyone gets a full snapshot. */
  modeChange(): void {
    this.modeChanged = true
    this.schedule()
  }

  /** Entries held now (tests: one per socket, whatever a client sends). */
  get size(): number {
    return this.entries.size
  }

  /** Whether a tick is waiting (tests: nothing runs while nothing moves). */
  get scheduled(): boolean {
    return this.cancel !== null
  }

  dispose(): void {
    this.cancel?.()
    this.cancel = null
    this.entries.clear()
    this.dirty.clear()
    this.gone = []
  }

  private schedule() {
    if (this.cancel) return
    const wait = Math.max(0, this.lastTick + this.tickMs - this.now())
    this.cancel = this.later(() => {
      this.cancel = null
      this.tick()
    }, wait)
  }

  private tick() {
    this.lastTick = this.now()
    const mode = this.options.mode()
    const modeChanged = this.modeChanged
    const deltas = new Map<CursorMode, Payload | null>()
    const fulls = new Map<CursorMode, Payload>()
    for (const receiver of this.entries.values()) {
      if (!receiver.send || !receiver.presenceId) continue
      const sees: CursorMode = receiver.show ? mode : 'none'
      const full = modeChanged || receiver.needsFull
      let payload: Payload | null
      if (full) {
        payload = fulls.get(sees) ?? this.payload(sees, true, mode)!
        fulls.set(sees, payload)
      } else {
        if (!deltas.has(sees)) deltas.set(sees, this.payload(sees, false, mode))
        payload = deltas.get(sees)!
      }
      receiver.needsFull = false
      // Nothing in it but this socket's own entry (a person alone): nothing to send. A full
      // snapshot is sent to whoever was sent cursors, so those now hidden disappear.
      if (!payload) continue
      // Constant time per receiver (a tick must not cost the square of the room).
      const { ids } = payload
      const others = ids.length > 1 || (ids.length === 1 && ids[0] !== receiver.presenceId)
      if (!others && !(full && receiver.received)) continue
      receiver.received = true
      receiver.send(payload.text)
      this.stats.sent++
    }
    for (const sessionId of this.dirty) {
      const entry = this.entries.get(sessionId)
      if (!entry) continue
      entry.sentCursor = JSON.stringify(entry.cursor)
      entry.sentView = JSON.stringify(entry.view)
      entry.sentLaser = JSON.stringify(laserOf(entry))
    }
    this.dirty.clear()
    this.gone = []
    this.modeChanged = false
    this.stats.ticks++
  }

  /**
   * What a receiver that sees `sees` is sent: every entry it may see (`full`), or those that
   * changed and went; null when a delta holds nothing.
   */
  private payload(sees: CursorMode, full: boolean, mode: CursorMode): Payload | null {
    const moved: CursorEntryTuple[] = []
    const ids: string[] = []
    const gone: string[] = []
    const visible = (facilitator: boolean) => sees === 'everyone' || facilitator
    for (const [sessionId, entry] of this.entries) {
      if (!entry.presenceId || !entry.send || !entry.publishes || !visible(entry.facilitator))
        continue
      const cursor = sees === 'none' ? laserOf(entry) : entry.cursor
      if (full) {
        if (!cursor && !entry.view) continue
      } else {
        // Only what this receiver sees of it changed (a cursor gone null included).
        if (!this.dirty.has(sessionId)) continue
        const viewChanged = JSON.stringify(entry.view) !== entry.sentView
        const cursorChanged =
          sees === 'none'
            ? JSON.stringify(cursor) !== entry.sentLaser
            : JSON.stringify(entry.cursor) !== entry.sentCursor
        if (!viewChanged && !cursorChanged) continue
      }
      moved.push([entry.presenceId, cursor, entry.view])
      ids.push(entry.presenceId)
    }
    if (!full) {
      for (const left of this.gone) {
        if (!visible(left.facilitator)) continue
        gone.push(left.presenceId)
        ids.push(left.presenceId)
      }
      if (moved.length === 0 && gone.length === 0) return null
    }
    const tick: CursorsTick = {
      type: 'cursors',
      full,
      mode: sees === 'none' ? 'none' : mode,
      moved,
      gone,
    }
    this.stats.serialised++
    return { text: JSON.stringify({ type: 'custom', data: tick }), ids }
  }
}

/** A facilitator's pointer while it is a laser (seen in every mode), else null. */
function laserOf(entry: Entry): CursorTuple | null {
  return entry.facilitator && entry.cursor?.[4] === 1 ? entry.cursor : null
}

/** Coordinates to two decimals (a hundredth of a page unit): shorter ticks, nothing visible. */
function round(value: number, scale = 100): number {
  return Math.round(value * scale) / scale
}

function same(a: readonly unknown[] | null, b: readonly unknown[] | null): boolean {
  if (a === null || b === null) return a === b
  return a.length === b.length && a.every((value, i) => value === b[i])
}
