/**
 * How many sockets a board takes (ROOM_LIMITS): in all, for editors (the last places are kept
 * for viewers), and from one client address. A refusal says which, so the app can explain it
 * and offer the view-only link when that still has room. Counts are kept per admitted socket
 * and given back when it leaves, so nothing grows with sockets that came and went.
 */
import { z } from 'zod'
import { CLOSE_REASONS, ROLES, ROOM_LIMITS, SYNC_FATAL_CLOSE_CODE, type Role } from '../../protocol'

export interface ConnectionLimits {
  maxConnections: number
  viewerPlaces: number
  /** 0: no limit per address. */
  maxConnectionsPerAddress: number
}

/** Why a socket is turned away: fatal, so tldraw's client stops and shows the reason. */
export type ConnectionRefusal = { code: number; reason: string }

const countVar = z.coerce.number().int().min(0)

/**
 * The limits, with the party's vars (`MAX_CONNECTIONS`, `MAX_CONNECTIONS_PER_ADDRESS`, set with
 * `partykit dev --var` or in partykit.json) over the defaults; a malformed var is ignored.
 */
export function connectionLimitsFrom(vars: Record<string, unknown> = {}): ConnectionLimits {
  const read = (name: string, fallback: number) => {
    const parsed = countVar.safeParse(vars[name])
    return vars[name] !== undefined && parsed.success ? parsed.data : fallback
  }
  const maxConnections = Math.max(1, read('MAX_CONNECTIONS', ROOM_LIMITS.maxConnections))
  return {
    maxConnections,
    viewerPlaces: Math.min(ROOM_LIMITS.viewerPlaces, maxConnections - 1),
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
    const { maxConnections, viewerPlaces, maxConnectionsPerAddress } = this.limits
    const fatal = (reason: string) => ({ code: SYNC_FATAL_CLOSE_CODE, reason })
    if (
      address !== null &&
      maxConnectionsPerAddress > 0 &&
      (this.byAddress.get(address) ?? 0) >= maxConnectionsPerAddress
    ) {
      return fatal(CLOSE_REASONS.tooManyFromAddress)
    }
    const total = this.sockets.size
    if (total >= maxConnections) return fatal(CLOSE_REASONS.boardFull)
    const editors = total - (this.byRole.get('viewer') ?? 0)
    if (role !== 'viewer' && editors >= maxConnections - viewerPlaces) {
      return fatal(CLOSE_REASONS.boardFullForEditors)
    }
    this.sockets.set(id, { role, address })
    this.byRole.set(role, (this.byRole.get(role) ?? 0) + 1)
    if (address !== null) this.byAddress.set(address, (this.byAddress.get(address) ?? 0) + 1)
    return null
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
