/**
 * How many sockets a board takes (ROOM_LIMITS): editors and viewers each have their own places
 * (a board full of editors still takes the view-only link), and one client address takes so
 * many. A refusal says which, so the app can explain it and offer the view-only link when that
 * still has room. Counts are kept per admitted socket and given back when it leaves, so nothing
 * grows with sockets that came and went. A socket resumed after the board's Durable Object woke
 * from hibernation is counted again without being judged: it had its place already.
 */
import { z } from 'zod'
import { CLOSE_REASONS, ROLES, ROOM_LIMITS, SYNC_FATAL_CLOSE_CODE, type Role } from '../../protocol'

export interface ConnectionLimits {
  /** Participants and facilitators. */
  maxEditors: number
  maxViewers: number
  /** 0: no limit per address. */
  maxConnectionsPerAddress: number
}

/** Why a socket is turned away: fatal, so tldraw's client stops and shows the reason. */
export type ConnectionRefusal = { code: number; reason: string }

const countVar = z.coerce.number().int().min(0)

/**
 * The limits, with the party's vars (`MAX_EDITORS`, `MAX_VIEWERS`, `MAX_CONNECTIONS_PER_ADDRESS`,
 * set with `partykit dev --var` or in partykit.json) over the defaults; a malformed var is ignored.
 */
export function connectionLimitsFrom(vars: Record<string, unknown> = {}): ConnectionLimits {
  const read = (name: string, fallback: number) => {
    const parsed = countVar.safeParse(vars[name])
    return vars[name] !== undefined && parsed.success ? parsed.data : fallback
  }
  return {
    maxEditors: read('MAX_EDITORS', ROOM_LIMITS.maxEditors),
    maxViewers: read('MAX_VIEWERS', ROOM_LIMITS.maxViewers),
    maxConnectionsPerAddress: read(
      'MAX_CONNECTIONS_PER_ADDRESS',
      ROOM_LIMITS.maxConnectionsPerAddress,
    ),
  }
}

export class ConnectionCounter {
  private readonly sockets = new Map<string, { role: Role; address: string | null }>()
  private readonly byRole = new Map<Role, number>(ROLES.map((role) => [role, 0]))
  private readonly byAddress = new Map<string, number>()

  constructor(readonly limits: ConnectionLimits = connectionLimitsFrom()) {}

  get size(): number {
    return this.sockets.size
  }

  /** Counts the socket in, or says why it cannot come in. */
  admit(id: string, role: Role, address: string | null): ConnectionRefusal | null {
    const { maxEditors, maxViewers, maxConnectionsPerAddress } = this.limits
    const fatal = (reason: string) => ({ code: SYNC_FATAL_CLOSE_CODE, reason })
    if (
      address !== null &&
      maxConnectionsPerAddress > 0 &&
      (this.byAddress.get(address) ?? 0) >= maxConnectionsPerAddress
    ) {
      return fatal(CLOSE_REASONS.tooManyFromAddress)
    }
    const viewers = this.byRole.get('viewer') ?? 0
    const viewersFull = viewers >= maxViewers
    if (role === 'viewer') {
      if (viewersFull) return fatal(CLOSE_REASONS.boardFull)
    } else if (this.sockets.size - viewers >= maxEditors) {
      // The view-only link is offered only while it would get in.
      return fatal(viewersFull ? CLOSE_REASONS.boardFull : CLOSE_REASONS.boardFullForEditors)
    }
    this.count(id, role, address)
    return null
  }

  /** Counts in a socket that was admitted before the room was rebuilt (a hibernation's wake). */
  readmit(id: string, role: Role, address: string | null): void {
    if (!this.sockets.has(id)) this.count(id, role, address)
  }

  private count(id: string, role: Role, address: string | null) {
    this.sockets.set(id, { role, address })
    this.byRole.set(role, (this.byRole.get(role) ?? 0) + 1)
    if (address !== null) this.byAddress.set(address, (this.byAddress.get(address) ?? 0) + 1)
  }

  /** The socket left (or the room dropped everyone): its place is free again. */
  leave(id: string): void {
    const socket = this.sockets.get(id)
    if (!socket) return
    this.sockets.delete(id)
    this.byRole.set(socket.role, (this.byRole.get(socket.role) ?? 1) - 1)
    if (socket.address === null) return
    const left = (this.byAddress.get(socket.address) ?? 1) - 1
    if (left > 0) this.byAddress.set(socket.address, left)
    else this.byAddress.delete(socket.address)
  }

  clear(): void {
    for (const id of [...this.sockets.keys()]) this.leave(id)
  }
}
