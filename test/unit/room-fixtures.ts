/**
 * What the unit tests that drive a `BoardRoom` without PartyKit share: a fake socket that keeps
 * what it is sent, tldraw's connect handshake, and a socket ticket got the way the app gets one.
 */
import { PERSON_KEY_HEADER, socketTicketResponseSchema, ticketsPath } from '../../src/protocol'
import type { RoomConnection } from '../../src/server/room/board-room'
import { applyObjectDiff } from '../../src/server/core/tldraw-internals'
import { handleBoardRequest, type BoardHost } from '../../src/server/room/board-routes'
import { connectMessage } from '../support/raw-socket'
import { origin, roomId } from './snapshot-fixtures'

export type Message = { type: string; [key: string]: unknown }

export const connectFrame = JSON.stringify(connectMessage('unit'))

/** A socket URL as long as PartyKit keeps with a real one (a ticket, a person id, its own id). */
const FAKE_URI = `ws://localhost:1999/parties/board/${'r'.repeat(22)}?t=${'t'.repeat(43)}&u=${'u'.repeat(21)}&_pk=${'p'.repeat(36)}`

/** A socket as the room sees it, keeping what it was sent (batches unpacked) and how it closed. */
export class FakeConnection implements RoomConnection {
  readonly received: Message[] = []
  closed: { code?: number; reason?: string } | null = null
  readyState = 1
  /** What the server keeps with the socket (PartyKit's `conn.state`), as a clone, like the platform's. */
  state: unknown = null

  constructor(readonly id: string) {}

  /** Like Cloudflare's attachment: a structured clone, refused past 2 KiB with PartyKit's own part. */
  setState(state: unknown) {
    if (JSON.stringify({ __pk: { id: this.id, uri: FAKE_URI }, __user: state }).length > 2048) {
      throw new Error('attachment too large')
    }
    this.state = structuredClone(state)
    return this.state
  }

  send(data: string) {
    const message = JSON.parse(data) as Message
    this.received.push(...(message.type === 'data' ? (message.data as Message[]) : [message]))
  }

  /** Like a WebSocket's: closing a closed socket does nothing. */
  close(code?: number, reason?: string) {
    if (this.closed) return
    this.closed = { code, reason }
    this.readyState = 3
  }

  of(type: string): Message[] {
    return this.received.filter((m) => m.type === type)
  }
}

/**
 * A socket ticket for the secret, through the board's HTTP route, as the app gets one; with a
 * person key, the ticket carries its author (whose hidden stickies the socket gets).
 */
export async function roomTicket(
  room: BoardHost,
  secret: string,
  personKey?: string,
): Promise<string> {
  const headers: Record<string, string> = { Authorization: `Bearer ${secret}` }
  if (personKey) headers[PERSON_KEY_HEADER] = personKey
  const answer = await handleBoardRequest(
    new Request(`${origin}${ticketsPath(roomId)}`, { method: 'POST', headers }),
    room,
  )
  return socketTicketResponseSchema.parse(await answer.json()).ticket
}

/** The presence records a socket was sent by the room (puts and patches applied), one per update. */
export function presenceSeen(conn: FakeConnection): Record<string, unknown>[] {
  const seen: Record<string, unknown>[] = []
  let current: Record<string, unknown> = {}
  for (const patch of conn.of('patch')) {
    for (const [id, op] of Object.entries(patch.diff as Record<string, [string, object]>)) {
      if (!id.startsWith('instance_presence:')) continue
      current =
        op[0] === 'put' ? (op[1] as Record<string, unknown>) : applyObjectDiff(current, op[1])
      seen.push(current)
    }
  }
  return seen
}
