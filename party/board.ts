/**
 * The board party: one Durable Object per board at `/parties/board/<roomId>`.
 *
 * A thin adapter: it refuses malformed board ids before a Durable Object starts, and hands
 * everything else to `BoardRoom` (sync and storage, src/server/room/board-room.ts) and the board's
 * router (HTTP, src/server/room/board-routes.ts), which run without PartyKit in unit tests.
 *
 * Deployed, it hibernates (`hibernates`): PartyKit then takes 32,000 sockets a room (100
 * without), and may evict the Durable Object between events while the sockets stay open. The next event builds it again,
 * and `onStart` (BoardRoom.start) resumes every open socket from the state the server kept
 * with it (`conn.setState`), so the connection caps are Switchback's own (connection-limits.ts).
 */
import type * as Party from 'partykit/server'
import { BoardRoom, type Frame } from '../src/server/room/board-room'
import { handleBoardRequest } from '../src/server/room/board-routes'
import { connectionLimitsFrom } from '../src/server/limits/connection-limits'
import { malformedId } from '../src/server/http/http'

/** How long a refused socket waits for its first frame before it is closed all the same. */
const REFUSAL_WAIT_MS = 1_000

export default class BoardServer implements Party.Server {
  /** Read by PartyKit from the instance (see the header): whether the board hibernates. */
  readonly options: Party.ServerOptions
  private readonly board: BoardRoom
  /** Sockets refused while connecting, closed at their first frame (see `onConnect`). */
  private readonly refusals = new Map<string, () => void>()

  constructor(readonly party: Party.Room) {
    this.options = { hibernate: hibernates(party.env) }
    this.board = new BoardRoom({
      roomId: party.id,
      storage: party.storage,
      connections: () => party.getConnections(),
      exclusive: (task) => party.blockConcurrencyWhile(task),
      connectionLimits: connectionLimitsFrom(party.env),
    })
  }

  /** Refuse malformed room ids before a Durable Object is spun up for them. */
  static onBeforeRequest(req: Party.Request, lobby: Party.Lobby) {
    return malformedId('board', lobby.id) ?? req
  }
  static onBeforeConnect(req: Party.Request, lobby: Party.Lobby) {
    return malformedId('board', lobby.id) ?? req
  }

  onStart() {
    return this.board.start()
  }

  async onConnect(conn: Party.Connection, ctx: Party.ConnectionContext) {
    // Cloudflare sets the client's address; a client cannot (x-forwarded-for it can, so no).
    const address = ctx.request.headers.get('cf-connecting-ip')
    const url = new URL(ctx.request.url)
    if (!this.options.hibernate) return this.board.connect(conn, url, address)
    // A hibernatable socket that `partykit dev` closes while its upgrade is being answered often
    // never tells its client why (the close is lost): a refusal made while connecting is carried
    // out at the socket's first frame (tldraw's client sends its handshake at once), or soon.
    const close = conn.close
    let refusal: (() => void) | null = null
    conn.close = (code?: number, reason?: string) => {
      refusal = () => close.call(conn, code, reason)
    }
    try {
      await this.board.connect(conn, url, address)
    } finally {
      conn.close = close
    }
    if (!refusal) return
    this.refusals.set(conn.id, refusal)
    setTimeout(() => this.refuse(conn.id), REFUSAL_WAIT_MS)
  }

  onMessage(message: Frame, sender: Party.Connection) {
    if (this.refuse(sender.id)) return
    this.board.message(message, sender)
  }

  /** Carries out a refusal waiting for its socket; false when none was waiting. */
  private refuse(id: string): boolean {
    const refusal = this.refusals.get(id)
    this.refusals.delete(id)
    refusal?.()
    return refusal !== undefined
  }

  onClose(conn: Party.Connection) {
    this.refusals.delete(conn.id)
    this.board.disconnect(conn)
  }

  onError(conn: Party.Connection) {
    this.refusals.delete(conn.id)
    this.board.disconnect(conn)
  }

  onRequest(req: Party.Request): Promise<Response> {
    return handleBoardRequest(req, this.board)
  }
}

/**
 * Whether the board hibernates: the `HIBERNATE` var, "on" in a deployment (`npm run deploy`
 * sets it). Off by default, because `partykit dev` with hibernation loses the close of a socket
 * refused while another socket is on the board, so the "board is full" and "wrong key" screens
 * would never come; dev enforces no connection limit, so it takes 500 sockets without it.
 */
export function hibernates(vars: Record<string, unknown>): boolean {
  return vars.HIBERNATE === 'on' || vars.HIBERNATE === true
}
