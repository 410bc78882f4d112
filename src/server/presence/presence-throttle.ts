/**
 * Presence (selections, names, pages) throttled on the server, per session; its high-rate part
 * taken out for the cursor lane.
 *
 * tldraw's client pushes its presence up to 30 times a second and the room sends each change
 * to every other socket, so presence costs grow with the square of the room, and one client
 * pushing presence a thousand times a second would make the room send hundreds of thousands
 * of messages. So the fields that change with every pointer move (cursor, camera, screen
 * bounds, last activity) leave it: they go to the cursor lane (presence/cursor-lane.ts), which
 * sends the latest on its own tick, and the room is given the presence with them set to null,
 * so its copy never holds them. What is left (name, colour, page, selection, follow, brush,
 * chat) reaches the room only when it changed, the latest kept, at most
 * min(`presencePerSecond`, `presencePerRoomPerSecond` / editors) times a second per session:
 * the room's presence forwards add up to at most `presencePerRoomPerSecond` whatever its size,
 * so the fan-out (each forward goes to every socket) grows with the room, not its square. We
 * follow the session's presence record ourselves (puts and patches) and forward it whole, as a
 * put, which the room turns into a diff.
 *
 * A viewer's presence is cut to what the people list shows (id, name, colour, page): no cursor,
 * selection or camera, at most `viewerPresencePerSecond`, and only when it changed.
 *
 * Pushes themselves are never dropped, only their presence: tldraw's client expects an answer
 * to every push, in order. A presence-only push inside the window is held back (only the last
 * one); a later message releases it without its presence, and when the window opens it goes
 * with the latest presence, so the last position always arrives.
 */
import { applyObjectDiff } from '../core/tldraw-internals'
import { ROOM_LIMITS } from '../../protocol'
import type { ClientMessage, PresenceRecord } from '../core/client-message'

/** What a viewer's presence keeps; the rest is set to "nothing". */
const VIEWER_FIELDS = ['id', 'typeName', 'userId', 'userName', 'color', 'currentPageId'] as const
/** What the cursor lane carries instead of tldraw's presence (null in the room's copy). */
const HIGH_RATE_BLANK = {
  cursor: null,
  camera: null,
  screenBounds: null,
  lastActivityTimestamp: null,
}
const VIEWER_BLANK = {
  ...HIGH_RATE_BLANK,
  brush: null,
  selectedShapeIds: [],
  scribbles: [],
  chatMessage: '',
  followingUserId: null,
  meta: {},
}
/** A name longer than this is cut (the people list shows a few words). */
const MAX_VIEWER_TEXT = 80

/** The high-rate fields of a presence push, unchecked (the lane checks them). */
export type HighRatePresence = { cursor: unknown; camera: unknown; screenBounds: unknown }

/** Where the high-rate part goes, and how many editors the room's presence is shared among. */
export interface PresenceLane {
  moved(fields: HighRatePresence): void
  editors(): number
}
const NO_LANE: PresenceLane = { moved: () => {}, editors: () => 1 }

type PresenceLimits = {
  presencePerSecond: number
  viewerPresencePerSecond: number
  presencePerRoomPerSecond?: number
}

export class PresenceThrottle {
  private latest: PresenceRecord | null = null
  private lastSent: string | null = null
  private sentAt = -Infinity
  private held: ClientMessage | null = null
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly viewer: boolean,
    /** Hands a message (JSON) to the room. */
    private readonly forward: (json: string) => void,
    private readonly limits: PresenceLimits = ROOM_LIMITS,
    private readonly now: () => number = () => Date.now(),
    /** What of the presence record may go to others (hidden stickies' ids may not). */
    private readonly redact: (record: PresenceRecord) => PresenceRecord = (record) => record,
    private readonly lane: PresenceLane = NO_LANE,
  ) {}

  /** The least time between two of this session's presence forwards, for the room's size now. */
  private get interval(): number {
    const { presencePerSecond, viewerPresencePerSecond, presencePerRoomPerSecond } = this.limits
    if (this.viewer) return 1000 / viewerPresencePerSecond
    const share = (presencePerRoomPerSecond ?? Infinity) / Math.max(1, this.lane.editors())
    return 1000 / Math.min(presencePerSecond, share)
  }

  /** One whole message from the session: forwarded now, with its presence or without, or held. */
  accept(message: ClientMessage, json: string): void {
    this.releaseHeld()
    if (message.type !== 'push' || !Array.isArray(message.presence)) {
      this.forward(json)
      return
    }
    this.track(message.presence)
    const latest = this.latest
    if (latest && !this.viewer) {
      const { cursor, camera, screenBounds } = latest
      this.lane.moved({ cursor, camera, screenBounds })
    }
    const edits = !!message.diff && Object.keys(message.diff).length > 0
    // Made once a push (it is the hot path: every old client's cursor move comes through here).
    const slow = this.slowPresence()
    if ((slow?.text ?? null) === this.lastSent) {
      // Only the cursor lane's fields changed (or nothing): the room is not told.
      this.forward(withoutPresence(message))
      return
    }
    // An editor's edit carries the latest presence along: it is broadcast anyway.
    if (this.now() - this.sentAt >= this.interval || (edits && !this.viewer)) {
      this.forward(this.withLatestPresence(message, slow))
    } else if (edits) {
      this.forward(withoutPresence(message))
    } else {
      this.held = message
      this.timer ??= setTimeout(
        () => {
          this.timer = null
          const held = this.held
          this.held = null
          if (held) this.forward(this.withLatestPresence(held))
        },
        Math.max(0, this.sentAt + this.interval - this.now()),
      )
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.held = null
    this.latest = null
  }

  /** A held push is superseded: it goes on without its presence, before anything newer. */
  private releaseHeld() {
    if (!this.held) return
    const held = this.held
    this.held = null
    this.forward(withoutPresence(held))
  }

  private track([op, value]: unknown[]) {
    if (!value || typeof value !== 'object') return
    try {
      if (op === 'put') this.latest = value as PresenceRecord
      else if (op === 'patch' && this.latest) {
        this.latest = applyObjectDiff(this.latest, value)
      }
    } catch {
      // A patch that does not apply: keep the last good presence.
    }
  }

  /** The presence the room may hold (JSON), as it stands now; null before any. */
  private slowPresence(): { record: PresenceRecord; text: string } | null {
    const latest = this.latest && this.redact(this.latest)
    if (!latest) return null
    const record = this.viewer ? viewerPresence(latest) : { ...latest, ...HIGH_RATE_BLANK }
    return { record, text: JSON.stringify(record) }
  }

  /** The message with the presence the room may hold, when that changed (`slow`: made already). */
  private withLatestPresence(message: ClientMessage, slow = this.slowPresence()): string {
    // Presence goes only when what the room holds of it would change.
    if (!slow || slow.text === this.lastSent) return withoutPresence(message)
    this.lastSent = slow.text
    this.sentAt = this.now()
    return JSON.stringify({ ...message, presence: ['put', slow.record] })
  }
}

function withoutPresence(message: ClientMessage): string {
  return JSON.stringify({ ...message, presence: undefined })
}

function viewerPresence(record: PresenceRecord): PresenceRecord {
  const kept: PresenceRecord = { ...VIEWER_BLANK }
  for (const field of VIEWER_FIELDS) {
    const value = record[field]
    kept[field] = typeof value === 'string' ? value.slice(0, MAX_VIEWER_TEXT) : value
  }
  return kept
}
