/**
 * Checks what a client sends before the sync room sees it. tldraw's client splits a long
 * message into numbered frames ("2_…", "1_…", "0_…"); this reassembles them, caps the size,
 * and checks the envelope with zod. A frame that fails closes only its own socket.
 *
 * What a socket holds of an unfinished chunked message is capped per socket (its role's
 * message size) and, through an `UnfinishedPool` shared by the room's guards, for the whole
 * room: sockets that start big messages and never finish them cannot fill the server.
 *
 * The cursor lane's frames (`cursor`, `cursor-view`, src/protocol/cursors.ts) are told apart
 * here, checked strictly, and given back as their own kind: they never reach the sync room.
 */
import { z } from 'zod'
import {
  LIMITS,
  ROOM_LIMITS,
  CURSOR_UPLINK_TYPES,
  cursorUplinkSchema,
  type CursorUplink,
} from '../../protocol'
import type { ClientMessage } from '../core/client-message'

/** The envelope of every message tldraw's sync client sends; the room validates records. */
const clientMessageSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('connect'),
    connectRequestId: z.string(),
    lastServerClock: z.number(),
    protocolVersion: z.number(),
    schema: z.looseObject({}),
  }),
  z.looseObject({
    type: z.literal('push'),
    clientClock: z.number(),
    diff: z.record(z.string(), z.array(z.unknown())).optional(),
    presence: z.array(z.unknown()).optional(),
  }),
  z.looseObject({ type: z.literal('ping') }),
])

export type FrameVerdict =
  | { kind: 'message'; json: string; data: ClientMessage }
  | { kind: 'cursor'; data: CursorUplink }
  | { kind: 'partial' }
  | { kind: 'too-big'; reason: string }
  | { kind: 'malformed'; reason: string }

const CHUNK = /^(\d+)_/

/** Bytes of unfinished messages held by all the guards of one room. */
export class UnfinishedPool {
  used = 0
  constructor(readonly limit: number = ROOM_LIMITS.maxUnfinishedBytesPerRoom) {}
}

export class FrameGuard {
  private pieces: string[] = []
  private expected = 0
  private bytes = 0

  constructor(
    /** The largest whole message this socket may send (a viewer's is small). */
    private readonly maxMessageBytes: number = LIMITS.maxMessageBytes,
    private readonly pool: UnfinishedPool = new UnfinishedPool(),
  ) {}

  /** Gives back what the socket held (it closed). */
  dispose(): void {
    this.reset()
  }

  accept(frame: string | ArrayBuffer | ArrayBufferView): FrameVerdict {
    if (typeof frame !== 'string')
      return { kind: 'malformed', reason: 'binary frames are not accepted' }
    const maxFrame = Math.min(LIMITS.maxFrameBytes, this.maxMessageBytes)
    if (frame.length > maxFrame) {
      return { kind: 'too-big', reason: `frame over ${maxFrame} bytes` }
    }
    const chunk = CHUNK.exec(frame)
    if (!chunk) {
      if (this.pieces.length > 0)
        return this.fail('a whole message arrived in the middle of a chunked one')
      return this.check(frame)
    }
    const remaining = Number(chunk[1])
    if (this.pieces.length === 0) this.expected = remaining
    else if (remaining !== --this.expected) return this.fail('chunks out of order')
    if (this.bytes + frame.length > this.maxMessageBytes) {
      this.reset()
      return { kind: 'too-big', reason: `message over ${this.maxMessageBytes} bytes` }
    }
    if (this.pool.used + frame.length > this.pool.limit) {
      this.reset()
      return { kind: 'too-big', reason: 'too many unfinished messages on this board; try again' }
    }
    this.pieces.push(frame.slice(chunk[0].length))
    this.bytes += frame.length
    this.pool.used += frame.length
    if (remaining > 0) return { kind: 'partial' }
    const whole = this.pieces.join('')
    this.reset()
    return this.check(whole)
  }

  private check(json: string): FrameVerdict {
    let data: unknown
    try {
      data = JSON.parse(json)
    } catch {
      return { kind: 'malformed', reason: 'not JSON' }
    }
    const type = (data as { type?: unknown } | null)?.type
    if ((CURSOR_UPLINK_TYPES as readonly unknown[]).includes(type)) {
      const lane = cursorUplinkSchema.safeParse(data)
      return lane.success ? { kind: 'cursor', data: lane.data } : malformed(lane.error)
    }
    const parsed = clientMessageSchema.safeParse(data)
    if (!parsed.success) return malformed(parsed.error)
    return { kind: 'message', json, data: parsed.data as ClientMessage }
  }

  private fail(reason: string): FrameVerdict {
    this.reset()
    return { kind: 'malformed', reason }
  }

  private reset() {
    this.pool.used -= this.bytes
    this.pieces = []
    this.expected = 0
    this.bytes = 0
  }
}

function malformed(error: z.ZodError): FrameVerdict {
  const issue = error.issues[0]
  return { kind: 'malformed', reason: `${issue.path.join('.') || 'message'}: ${issue.message}` }
}
