/**
 * Tells every client on a board each session's role, so the people list shows a badge the
 * server decided rather than one a client claims (a presence record is its own client's to
 * write). Keyed by the presence record id the room assigned the session, which is the id every
 * other client sees that session's presence under.
 *
 * A session is announced once tldraw's handshake has made it a connected session (custom
 * messages reach only those), and withdrawn when the room removes it.
 */
import type { TLSocketRoom } from '@tldraw/sync-core'
import type { TLRecord } from '@tldraw/tlschema'
import type { RoleMessage } from '../../protocol'
import type { SessionMeta } from './roles'

type Room = TLSocketRoom<TLRecord, SessionMeta>

export class RoleRoster {
  /** Announced sessions: session id → its presence id and role. */
  private readonly sessions = new Map<string, { presenceId: string; role: SessionMeta['role'] }>()

  /**
   * After each message a session sends: announces it once its handshake is through; true when
   * it joined just now.
   */
  maybeJoined(room: Room, sessionId: string): boolean {
    if (this.sessions.has(sessionId)) return false
    const presenceId = room.getSessionSnapshot(sessionId)?.presenceId
    const role = room.getSessions().find((s) => s.sessionId === sessionId)?.meta.role
    if (!presenceId || !role) return false
    this.sessions.set(sessionId, { presenceId, role })
    const everyone = Object.fromEntries(
      [...this.sessions.values()].map((s) => [s.presenceId, s.role]),
    )
    send(room, sessionId, { type: 'roles', you: role, roles: everyone })
    this.tellOthers(room, sessionId, { type: 'role-joined', presenceId, role })
    return true
  }

  /** The room removed the session. */
  left(room: Room, sessionId: string): void {
    const session = this.sessions.get(sessionId)
    if (!session) return
    this.sessions.delete(sessionId)
    this.tellOthers(room, sessionId, { type: 'role-left', presenceId: session.presenceId })
  }

  private tellOthers(room: Room, sessionId: string, message: RoleMessage) {
    for (const other of this.sessions.keys()) if (other !== sessionId) send(room, other, message)
  }
}

function send(room: Room, sessionId: string, message: RoleMessage) {
  room.sendCustomMessage(sessionId, message)
}
