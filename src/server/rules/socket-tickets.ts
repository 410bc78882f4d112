/**
 * Socket tickets: how a secret reaches the board's socket without being in its URL. The
 * client sends its secret in an `Authorization` header (which logs do not keep) and receives
 * a ticket; it connects with `?t=<ticket>`. A ticket is good once, for
 * `SOCKET_TICKET_TTL_MS`, and lives only in this board's memory: the ticket route and the
 * socket reach the same Durable Object, and a ticket that is lost (the object restarted) is
 * refused, and the client simply asks for another.
 *
 * A ticket in a log is therefore worth nothing: used at once, or expired seconds later.
 */
import { SOCKET_TICKET_TTL_MS, type Role, type SocketTicketResponse } from '../../protocol'
import { mintSecret } from './roles'

/** What a ticket grants: a role, and the author key of the person who asked (or none). */
export interface TicketGrant {
  role: Role
  /** The hash of the person key sent with the request (see `PERSON_KEY_HEADER`). */
  author: string | null
}

/** Outstanding tickets a board keeps at most; past it the oldest is dropped (memory bounded). */
export const MAX_OUTSTANDING_TICKETS = 1000

export class SocketTickets {
  /** In the order they were issued, so the oldest is first. */
  private readonly tickets = new Map<string, TicketGrant & { expiresAt: number }>()

  constructor(private readonly now: () => number = Date.now) {}

  issue(role: Role, author: string | null = null): SocketTicketResponse {
    this.prune()
    if (this.tickets.size >= MAX_OUTSTANDING_TICKETS) {
      const oldest = this.tickets.keys().next().value
      if (oldest !== undefined) this.tickets.delete(oldest)
    }
    const ticket = mintSecret()
    const expiresAt = this.now() + SOCKET_TICKET_TTL_MS
    this.tickets.set(ticket, { role, author, expiresAt })
    return { ticket, expiresAt }
  }

  /** What the ticket grants, once; null for an unknown, used or expired one. */
  redeem(ticket: string): TicketGrant | null {
    const entry = this.tickets.get(ticket)
    if (!entry) return null
    this.tickets.delete(ticket)
    return entry.expiresAt > this.now() ? { role: entry.role, author: entry.author } : null
  }

  get size(): number {
    this.prune()
    return this.tickets.size
  }

  private prune() {
    const now = this.now()
    for (const [ticket, { expiresAt }] of this.tickets) {
      if (expiresAt > now) break // issued in order, all with the same lifetime
      this.tickets.delete(ticket)
    }
  }
}
