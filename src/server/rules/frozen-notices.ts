/**
 * What a writer hears when a frozen frame refused its write: the room answers the push with
 * "discard", which says nothing, so the socket is told why, once a second at most (a refused
 * drag sends many pushes). Kept per socket, dropped when it closes.
 */
import { FROZEN_NOTICE, type BoardNotice } from '../../protocol'

export class FrozenNotices {
  /** When each socket was last told. */
  private readonly toldAt = new Map<string, number>()

  constructor(
    private readonly send: (sessionId: string, notice: BoardNotice) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** A write from this socket into a frozen frame was refused. */
  refused(sessionId: string): void {
    const now = this.now()
    if (now - (this.toldAt.get(sessionId) ?? 0) < 1000) return
    this.toldAt.set(sessionId, now)
    this.send(sessionId, { kind: 'frozen', message: FROZEN_NOTICE })
  }

  /** The socket closed. */
  leave(sessionId: string): void {
    this.toldAt.delete(sessionId)
  }
}
