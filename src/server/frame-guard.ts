/**
 * Checks what a client sends before the sync room sees it. tldraw's client splits a long
 * message into numbered frames ("2_…", "1_…", "0_…"); this reassembles them, caps the size,
 * and checks the envelope with zod. A frame that fails closes only its own socket.
 */
import { z } from 'zod'
import { LIMITS } from '../protocol'

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
  /** A whole client message; `type` is its envelope's (connect, push, ping). */
  | { kind: 'message'; json: string; type: string }
  | { kind: 'partial' }
  | { kind: 'too-big'; reason: string }
  | { kind: 'malformed'; reason: string }

const CHUNK = /^(\d+)_/

export class FrameGuard {
  private pieces: string[] = []
  private expected = 0
  private bytes = 0

  accept(frame: string | ArrayBuffer | ArrayBufferView): FrameVerdict {
    if (typeof frame !== 'string')
      return { kind: 'malformed', reason: 'binary frames are not accepted' }
    if (frame.length > LIMITS.maxFrameBytes) {
      return { kind: 'too-big', reason: `frame over ${LIMITS.maxFrameBytes} bytes` }
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
    this.pieces.push(frame.slice(chunk[0].length))
    this.bytes += frame.length
    if (this.bytes > LIMITS.maxMessageBytes) {
      this.reset()
      return { kind: 'too-big', reason: `message over ${LIMITS.maxMessageBytes} bytes` }
    }
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
    const parsed = clientMessageSchema.safeParse(data)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return { kind: 'malformed', reason: `${issue.path.join('.') || 'message'}: ${issue.message}` }
    }
    return { kind: 'message', json, type: parsed.data.type }
  }

  private fail(reason: string): FrameVerdict {
    this.reset()
    return { kind: 'malformed', reason }
  }

  private reset() {
    this.pieces = []
    this.expected = 0
    this.bytes = 0
  }
}
