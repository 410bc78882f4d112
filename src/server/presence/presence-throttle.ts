/**
 * Presence (cursors, selections, names) throttled on the server, per session.
 *
 * tldraw's client pushes its presence up to 30 times a second and the room sends each change
 * to every other socket, so presence costs grow with the square of the room, and one client
 * pushing presence a thousand times a second would make the room send hundreds of thousands
 * of messages. Here a session's presence reaches the room at most `presencePerSecond` times a
 * second, the latest kept: we follow the session's presence record ourselves (puts and
 * patches) and forward it whole, as a put, which the room turns into a diff.
 *
 * A viewer's presence is cut to what the people list shows (id, name, colour, page): no cursor,
 * selection or camera, at most `viewerPresencePerSecond`, and only when it changed.
 *
 * Pushes themselves are never dropped, only their presence: tldraw's client expects an answer
 * to every push, in order. A presence-only push inside the window is held back (only the last
 * one); a later message releases it without its presence, and when the window opens it goes
 * with the latest presence, so the last position always arrives.
 */
import { applyObjectDiff } from '../room/tldraw-internals'
import { ROOM_LIMITS } from '../../protocol'

/** A client message as the frame guard let it through (its envelope checked). */
export type ClientMessage = {
  type: string
  presence?: unknown[]
  diff?: object
  [k: string]: unknown
}
export type PresenceRecord = Record<string, unknown>

/** What a viewer's presence keeps; the rest is set to "nothing". */
const VIEWER_FIELDS = ['id', 'typeName', 'userId', 'userName', 'color', 'currentPageId'] as const
const VIEWER_BLANK = {
  cursor: null,
  camera: null,
  screenBounds: null,
  brush: null,
  selectedShapeIds: [],
  scribbles: [],
  chatMessage: '',
  followingUserId: null,
  lastActivityTimestamp: null,
  meta: {},
}
/** A name longer than this is cut (the people list shows a few words). */
const MAX_VIEWER_TEXT = 80

export class PresenceThrottle {
  private latest: PresenceRecord | null = null
  private lastSent: string | null = null
  private sentAt = -Infinity
  private held: ClientMessage | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private readonly interval: number

  constructor(
    private readonly viewer: boolean,
    /** Hands a message (JSON) to the room. */
    private readonly forward: (json: string) => void,
    limits: { presencePerSecond: number; viewerPresencePerSecond: number } = ROOM_LIMITS,
    private readonly now: () => number = () => Date.now(),
    /** What of the presence record may go to others (hidden stickies' ids may not). */
    private readonly redact: (record: PresenceRecord) => PresenceRecord = (record) => record,
  ) {
    this.interval = 1000 / (viewer ? limits.viewerPresencePerSecond : limits.presencePerSecond)
  }

  /** One whole message from the session: forwarded now, with its presence or without, or held. */
  accept(message: ClientMessage, json: string): void {
    this.releaseHeld()
    if (message.type !== 'push' || !Array.isArray(message.presence)) {
      this.forward(json)
      return
    }
    this.track(message.presence)
    const edits = !!message.diff && Object.keys(message.diff).length > 0
    // An editor's edit carries the latest presence along: it is broadcast anyway.
    if (this.now() - this.sentAt >= this.interval || (edits && !this.viewer)) {
      this.forward(this.withLatestPresence(message))
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

  private withLatestPresence(message: ClientMessage): string {
    const latest = this.latest && this.redact(this.latest)
    const record = latest && (this.viewer ? viewerPresence(latest) : latest)
    const text = record && JSON.stringify(record)
    // A viewer's presence goes only when what the people list shows has changed.
    if (!record || (this.viewer && text === this.lastSent)) return withoutPresence(message)
    this.lastSent = text
    this.sentAt = this.now()
    return JSON.stringify({ ...message, presence: ['put', record] })
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
